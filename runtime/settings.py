"""The app's configuration: one frozen `Settings`, read once from an environment mapping.

`load_settings(environ)` is the only place that knows the variable names (the app's public
interface). A missing or malformed value raises `SettingsError` whose message is one line naming
the variable and where to get it; `app.py` prints that line and exits.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from drift.users import parse_user_map

DEFAULT_SLACK_API_BASE_URL = "https://slack.com/api/"
DEFAULT_DRIFT_API_BASE_URL = "https://driftapi.com"
DEFAULT_DRIFT_APP_BASE_URL = "https://app.drift.com"
DEFAULT_DB_PATH = "./drift-open.sqlite3"

WHERE_SLACK = "api.slack.com/apps → your app"
WHERE_DRIFT = "dev.drift.com → your app → OAuth & Permissions"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one line naming it and where to get it."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment, validated."""

    slack_bot_token: str
    drift_access_token: str
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    drift_user_map: Mapping[str, int] = field(default_factory=dict)
    drift_users_cache_ttl: float = 600.0
    drift_timeout: float = 10.0
    log_level: str = "INFO"
    log_format: str = "text"
    slack_api_base_url: str = DEFAULT_SLACK_API_BASE_URL
    drift_api_base_url: str = DEFAULT_DRIFT_API_BASE_URL
    drift_app_base_url: str = DEFAULT_DRIFT_APP_BASE_URL
    host: str = "0.0.0.0"
    port: int = 3000
    db_path: str = DEFAULT_DB_PATH
    allowed_users: frozenset[str] = frozenset()
    allowed_channels: frozenset[str] = frozenset()

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is configured, else HTTP mode."""
        return bool(self.slack_app_token)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line."""
        return (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.drift_access_token,
        )

    def __repr__(self) -> str:
        return (
            f"Settings(socket_mode={self.socket_mode}, port={self.port}, db_path={self.db_path!r})"
        )


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Validate the environment and build `Settings`; raise `SettingsError` on the first problem."""
    reader = _Reader(environ)
    app_token = reader.token(
        "SLACK_APP_TOKEN",
        "xapp-",
        WHERE_SLACK + " → Basic Information → App-Level Tokens (scope connections:write)",
        required=False,
    )
    return Settings(
        slack_bot_token=reader.token(
            "SLACK_BOT_TOKEN",
            "xoxb-",
            WHERE_SLACK + " → OAuth & Permissions → Bot User OAuth Token",
        ),
        slack_signing_secret=reader.text(
            "SLACK_SIGNING_SECRET",
            WHERE_SLACK + " → Basic Information → Signing Secret",
            required=not app_token,
        ),
        slack_app_token=app_token,
        drift_access_token=reader.text(
            "DRIFT_ACCESS_TOKEN",
            WHERE_DRIFT + " → Access Token (scopes conversation_write, user_read)",
            required=True,
        ),
        drift_user_map=reader.user_map("DRIFT_USER_MAP"),
        drift_users_cache_ttl=reader.positive_float("DRIFT_USERS_CACHE_TTL", 600.0),
        drift_timeout=reader.positive_float("DRIFT_TIMEOUT_SECONDS", 10.0),
        log_level=reader.choice(
            "LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
        log_format=reader.choice("LOG_FORMAT", "text", ("text", "json")),
        slack_api_base_url=reader.url(
            "SLACK_API_BASE_URL", DEFAULT_SLACK_API_BASE_URL, trailing_slash=True
        ),
        drift_api_base_url=reader.url("DRIFT_API_BASE_URL", DEFAULT_DRIFT_API_BASE_URL),
        drift_app_base_url=reader.url("DRIFT_APP_BASE_URL", DEFAULT_DRIFT_APP_BASE_URL),
        host=reader.text("HOST", "the address to listen on in HTTP mode", required=False)
        or "0.0.0.0",
        port=reader.port("PORT", 3000),
        db_path=reader.text("DRIFT_OPEN_DB", "a writable file path", required=False)
        or DEFAULT_DB_PATH,
        allowed_users=reader.slack_ids("DRIFT_OPEN_ALLOWED_USERS", ("U", "W")),
        allowed_channels=reader.slack_ids("DRIFT_OPEN_ALLOWED_CHANNELS", ("C", "G", "D")),
    )


@dataclass(frozen=True)
class _Reader:
    environ: Mapping[str, str]

    def _raw(self, name: str) -> str:
        return (self.environ.get(name) or "").strip()

    def text(self, name: str, where: str, *, required: bool) -> str:
        value = self._raw(name)
        if required and not value:
            raise SettingsError(f"{name} is not set: get it from {where}.")
        return value

    def token(self, name: str, prefix: str, where: str, *, required: bool = True) -> str:
        value = self.text(name, where, required=required)
        if value and not value.startswith(prefix):
            raise SettingsError(f"{name} must start with '{prefix}': get it from {where}.")
        return value

    def user_map(self, name: str) -> dict[str, int]:
        try:
            return parse_user_map(self._raw(name))
        except ValueError as exc:
            raise SettingsError(
                f"{name} is malformed ({exc}): use 'U123=21849,U456=998' "
                "(Slack user ID = Drift user ID)."
            ) from None

    def positive_float(self, name: str, default: float) -> float:
        raw = self._raw(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not value > 0 or value == float("inf"):
            raise SettingsError(f"{name} must be a positive number of seconds, got {raw!r}.")
        return value

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        raw = self._raw(name)
        if not raw:
            return default
        for choice in choices:
            if raw.lower() == choice.lower():
                return choice
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}.")

    def url(self, name: str, default: str, *, trailing_slash: bool = False) -> str:
        raw = self._raw(name) or default
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"{name} must be an http(s) URL like {default}, got {raw!r}.")
        if trailing_slash:
            return raw if raw.endswith("/") else raw + "/"
        return raw.rstrip("/")

    def port(self, name: str, default: int) -> int:
        raw = self._raw(name)
        if not raw:
            return default
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise SettingsError(f"{name} must be a TCP port between 1 and 65535, got {raw!r}.")
        return int(raw)

    def slack_ids(self, name: str, prefixes: tuple[str, ...]) -> frozenset[str]:
        ids = frozenset(part.strip() for part in self._raw(name).split(",") if part.strip())
        for slack_id in ids:
            if not slack_id.startswith(prefixes) or not slack_id.isalnum():
                raise SettingsError(
                    f"{name} must be a comma-separated list of Slack IDs starting with "
                    f"{'/'.join(prefixes)}, got {slack_id!r}."
                )
        return ids


def log_level_number(settings: Settings) -> int:
    """The `logging` level for `settings.log_level`."""
    return logging.getLevelNamesMapping()[settings.log_level]
