"""Start-up checks: one line naming the setting, what happened, and "run `make doctor`"."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from drift.client import DriftClient
from drift.errors import DriftError, DriftTransportError
from runtime.settings import Settings
from runtime.slack_errors import SLACK_FAILURES
from storage.location import redacted, without_password

logger = logging.getLogger("drift_open")

DOCTOR = "run `make doctor`"


LIBRARY_LOGGERS = ("slack_sdk", "slack_bolt", "urllib3")


@contextmanager
def quiet_libraries(names: tuple[str, ...] = LIBRARY_LOGGERS) -> Iterator[None]:
    """Hold back the libraries' own log lines (unless DEBUG): our one line says it all."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [each.level for each in loggers]
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        for each in loggers:
            each.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for each, level in zip(loggers, levels, strict=True):
            each.setLevel(level)


class StartupError(Exception):
    """Start-up cannot go on; the message is the one line to print."""


def check_slack(settings: Settings, client: WebClient) -> None:
    """auth.test with the bot token, then apps.connections.open with the app token (Socket Mode)."""
    with quiet_libraries():
        _check_slack(settings, client)


def _check_slack(settings: Settings, client: WebClient) -> None:
    try:
        client.auth_test()
    except SlackApiError as exc:
        raise StartupError(
            f"SLACK_BOT_TOKEN: Slack refused it ({exc.response.get('error')}); {DOCTOR}."
        ) from exc
    except SLACK_FAILURES as exc:
        raise StartupError(
            f"SLACK_API_BASE_URL: Slack could not be reached ({type(exc).__name__}); "
            f"check the network, then {DOCTOR}."
        ) from exc
    if not settings.socket_mode:
        return
    try:
        client.apps_connections_open(app_token=settings.slack_app_token)
    except SlackApiError as exc:
        raise StartupError(
            f"SLACK_APP_TOKEN: apps.connections.open failed ({exc.response.get('error')}); "
            f"{DOCTOR}."
        ) from exc
    except SLACK_FAILURES as exc:
        raise StartupError(
            f"SLACK_API_BASE_URL: Slack could not be reached ({type(exc).__name__}); "
            f"check the network, then {DOCTOR}."
        ) from exc


def store_error(settings: Settings, exc: Exception) -> StartupError:
    """The line for a DRIFT_OPEN_DB that cannot be opened or written."""
    cause = without_password(" ".join(str(exc).split()) or type(exc).__name__, settings.db_path)
    return StartupError(
        f"DRIFT_OPEN_DB: cannot open {redacted(settings.db_path)!r} ({cause}); {DOCTOR}."
    )


def warn_about_drift(drift: DriftClient) -> None:
    """Warn once when Drift refuses the token or cannot be reached; the app keeps running."""
    try:
        drift.token_info()
    except DriftTransportError as exc:
        logger.warning(
            "DRIFT_API_BASE_URL: Drift could not be reached (%s); %s", type(exc).__name__, DOCTOR
        )
    except DriftError as exc:
        logger.warning("DRIFT_ACCESS_TOKEN: Drift refused it (%s); %s", exc, DOCTOR)
