"""The app's configuration: one frozen `Settings`, read once from an environment mapping.

`load_settings(environ)` is the only place that knows the variable names (the app's public
interface). Every missing or malformed value is collected, then one `SettingsError` lists them,
one line each, naming the variable and where to get it; `app.py` prints them and exits.
`load_settings_leniently(environ)` returns the settings it could read plus those lines, for
`python app.py doctor`, which checks what it can even when a setting is missing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from drift.users import parse_user_map
from storage.location import is_postgres_url, postgres_url_problem, redacted

DEFAULT_SLACK_API_BASE_URL = "https://slack.com/api/"
DEFAULT_DRIFT_API_BASE_URL = "https://driftapi.com"
DEFAULT_DRIFT_APP_BASE_URL = "https://app.drift.com"
MAX_DRIFT_TIMEOUT_SECONDS = 60.0  # every wait of a job stays bounded
MAX_CONTACT_LOOKUP_TIMEOUT_SECONDS = 10.0  # the form's context must come while the rep types
DEFAULT_DB_PATH = "./drift-open.sqlite3"
EMOJI_NAME = re.compile(r"[a-z0-9_+'-]{1,100}")

T = TypeVar("T")

WHERE_SLACK = "api.slack.com/apps → your app"
WHERE_DRIFT = "dev.drift.com → your app → OAuth & Permissions"


class SettingsError(ValueError):
    """Settings are missing or malformed; the message has one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


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
    contact_lookup_timeout: float = 2.0
    log_level: str = "INFO"
    log_format: str = "text"
    slack_api_base_url: str = DEFAULT_SLACK_API_BASE_URL
    drift_api_base_url: str = DEFAULT_DRIFT_API_BASE_URL
    drift_app_base_url: str = DEFAULT_DRIFT_APP_BASE_URL
    host: str = "0.0.0.0"
    port: int = 3000
    http_request_timeout: float = 10.0
    shutdown_timeout: float = 30.0
    db_path: str = DEFAULT_DB_PATH
    db_pool_size: int = 0
    allowed_users: frozenset[str] = frozenset()
    allowed_channels: frozenset[str] = frozenset()
    drift_sync: str = "both"
    drift_verification_token: str = ""
    drift_poll_seconds: float = 30.0
    drift_sync_days: float = 14.0

    @property
    def sync_to_drift(self) -> bool:
        """Replies in a linked thread become internal notes (DRIFT_SYNC both or to-drift)."""
        return self.drift_sync in ("both", "to-drift")

    @property
    def sync_to_slack(self) -> bool:
        """Drift messages are posted into the linked thread (DRIFT_SYNC both or to-slack)."""
        return self.drift_sync in ("both", "to-slack")

    @property
    def drift_webhooks(self) -> bool:
        """Drift's new_message webhook feeds the sync (HTTP mode with a verification token);
        otherwise the app polls Drift."""
        return not self.socket_mode and bool(self.drift_verification_token)

    open_reaction: str = "drift"

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
            self.drift_verification_token,
        )

    def __repr__(self) -> str:
        return (
            f"Settings(socket_mode={self.socket_mode}, port={self.port},"
            f" db_path={redacted(self.db_path)!r})"
        )

    @property
    def shared_database(self) -> bool:
        """PostgreSQL, which several replicas can share (a SQLite file serves one host)."""
        return is_postgres_url(self.db_path)


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Validated `Settings`, or one `SettingsError` listing every problem."""
    settings, problems = load_settings_leniently(environ)
    if problems:
        raise SettingsError(problems)
    return settings


def load_settings_leniently(environ: Mapping[str, str]) -> tuple[Settings, list[str]]:
    """`Settings` with defaults where a value is missing or malformed, and one line per problem."""
    reader = _Reader(environ, [])
    app_token = reader.token(
        "SLACK_APP_TOKEN",
        "xapp-",
        WHERE_SLACK + " → Basic Information → App-Level Tokens (scope connections:write)",
        required=False,
    )
    signing_secret = reader.text("SLACK_SIGNING_SECRET", "", required=False)
    if not signing_secret and not reader.raw("SLACK_APP_TOKEN"):
        reader.problems.append(
            "Neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set: set SLACK_APP_TOKEN "
            "(Socket Mode, the default; " + WHERE_SLACK + " → Basic Information → App-Level "
            "Tokens, scope connections:write) or SLACK_SIGNING_SECRET (HTTP mode; "
            + WHERE_SLACK
            + " → Basic Information → Signing Secret)."
        )
    settings = Settings(
        slack_bot_token=reader.token(
            "SLACK_BOT_TOKEN",
            "xoxb-",
            WHERE_SLACK + " → OAuth & Permissions → Bot User OAuth Token",
        ),
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        drift_access_token=reader.text(
            "DRIFT_ACCESS_TOKEN",
            WHERE_DRIFT + " → Access Token (scopes conversation_write, user_read)",
            required=True,
        ),
        drift_user_map=reader.user_map("DRIFT_USER_MAP"),
        drift_users_cache_ttl=reader.positive_float("DRIFT_USERS_CACHE_TTL", 600.0),
        drift_timeout=reader.positive_float(
            "DRIFT_TIMEOUT_SECONDS", 10.0, maximum=MAX_DRIFT_TIMEOUT_SECONDS
        ),
        contact_lookup_timeout=reader.positive_float(
            "CONTACT_LOOKUP_TIMEOUT_SECONDS", 2.0, maximum=MAX_CONTACT_LOOKUP_TIMEOUT_SECONDS
        ),
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
        http_request_timeout=reader.positive_float("HTTP_REQUEST_TIMEOUT_SECONDS", 10.0),
        shutdown_timeout=reader.positive_float("SHUTDOWN_TIMEOUT_SECONDS", 30.0),
        db_path=reader.database("DRIFT_OPEN_DB") or DEFAULT_DB_PATH,
        db_pool_size=reader.count("DRIFT_OPEN_DB_POOL_SIZE", 0),
        allowed_users=reader.slack_ids("DRIFT_OPEN_ALLOWED_USERS", ("U", "W")),
        allowed_channels=reader.slack_ids("DRIFT_OPEN_ALLOWED_CHANNELS", ("C", "G", "D")),
        drift_sync=reader.choice("DRIFT_SYNC", "both", ("both", "to-drift", "to-slack", "off")),
        drift_verification_token=reader.text(
            "DRIFT_VERIFICATION_TOKEN",
            "dev.drift.com → your app → App Credentials → Verification Token",
            required=False,
        ),
        drift_poll_seconds=reader.positive_float("DRIFT_POLL_SECONDS", 30.0),
        drift_sync_days=reader.positive_float("DRIFT_SYNC_DAYS", 14.0, unit="days"),
        open_reaction=reader.emoji_name("DRIFT_OPEN_REACTION", "drift"),
    )
    return settings, reader.problems


@dataclass(frozen=True)
class _Reader:
    """Reads one variable at a time; a bad value adds a line to `problems`, yields the default."""

    environ: Mapping[str, str]
    problems: list[str]

    def _fail(self, message: str, default: T) -> T:
        self.problems.append(message)
        return default

    def raw(self, name: str) -> str:
        return (self.environ.get(name) or "").strip()

    def text(self, name: str, where: str, *, required: bool) -> str:
        value = self.raw(name)
        if required and not value:
            return self._fail(f"{name} is not set: get it from {where}.", "")
        return value

    def token(self, name: str, prefix: str, where: str, *, required: bool = True) -> str:
        value = self.text(name, where, required=required)
        if value and not value.startswith(prefix):
            return self._fail(f"{name} must start with '{prefix}': get it from {where}.", "")
        return value

    def user_map(self, name: str) -> dict[str, int]:
        try:
            return parse_user_map(self.raw(name))
        except ValueError as exc:
            return self._fail(
                f"{name} is malformed ({exc}): use 'U123=21849,U456=998' "
                "(Slack user ID = Drift user ID).",
                {},
            )

    def positive_float(
        self, name: str, default: float, maximum: float = float("inf"), unit: str = "seconds"
    ) -> float:
        raw = self.raw(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not value > 0 or value == float("inf"):
            return self._fail(f"{name} must be a positive number of {unit}, got {raw!r}.", default)
        if value > maximum:
            return self._fail(f"{name} may be at most {maximum:g} {unit}, got {raw!r}.", default)
        return value

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        raw = self.raw(name)
        if not raw:
            return default
        for choice in choices:
            if raw.lower() == choice.lower():
                return choice
        return self._fail(f"{name} must be one of {', '.join(choices)}, got {raw!r}.", default)

    def url(self, name: str, default: str, *, trailing_slash: bool = False) -> str:
        raw = self.raw(name) or default
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return self._fail(
                f"{name} must be an http(s) URL like {default}, got {raw!r}.", default
            )
        if trailing_slash:
            return raw if raw.endswith("/") else raw + "/"
        return raw.rstrip("/")

    def database(self, name: str) -> str:
        raw = self.raw(name)
        problem = postgres_url_problem(raw) if is_postgres_url(raw) else ""
        if problem:
            return self._fail(f"{name}: {problem}.", "")
        return raw

    def count(self, name: str, default: int) -> int:
        raw = self.raw(name)
        if not raw:
            return default
        if not raw.isdigit() or int(raw) < 1:
            return self._fail(f"{name} must be a whole number above 0, got {raw!r}.", default)
        return int(raw)

    def port(self, name: str, default: int) -> int:
        raw = self.raw(name)
        if not raw:
            return default
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            return self._fail(
                f"{name} must be a TCP port between 1 and 65535, got {raw!r}.", default
            )
        return int(raw)

    def emoji_name(self, name: str, default: str) -> str:
        raw = self.raw(name).strip(":").lower()
        if not raw:
            return default
        if not EMOJI_NAME.fullmatch(raw):
            return self._fail(
                f"{name} must be an emoji name such as {default} (letters, digits, - _ + '), "
                f"got {raw!r}.",
                default,
            )
        return raw

    def slack_ids(self, name: str, prefixes: tuple[str, ...]) -> frozenset[str]:
        ids = frozenset(part.strip() for part in self.raw(name).split(",") if part.strip())
        for slack_id in sorted(ids):
            if not slack_id.startswith(prefixes) or not slack_id.isalnum():
                return self._fail(
                    f"{name} must be a comma-separated list of Slack IDs starting with "
                    f"{'/'.join(prefixes)}, got {slack_id!r}.",
                    frozenset(),
                )
        return ids


def log_level_number(settings: Settings) -> int:
    """The `logging` level for `settings.log_level`."""
    return logging.getLevelNamesMapping()[settings.log_level]
