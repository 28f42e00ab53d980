"""The doctor's check of the thread sync: its mode (webhooks or polling) and the Drift scope."""

from __future__ import annotations

from collections.abc import Callable

from drift.errors import DriftError
from drift.models import TokenInfo
from runtime.doctor_check import Check
from runtime.scopes import SYNC_DRIFT_SCOPES
from runtime.settings import Settings


def check_sync(settings: Settings, token_info: Callable[[], TokenInfo]) -> Check:
    """Which way Drift messages reach the thread, and whether the token may read them."""
    name = "Thread sync"
    if settings.drift_sync == "off":
        return Check(name, True, "off (DRIFT_SYNC=off): threads and conversations are not synced")
    directions = {
        "both": "both ways",
        "to-drift": "Slack → Drift only",
        "to-slack": "Drift → Slack only",
    }
    detail = directions[settings.drift_sync]
    if not settings.sync_to_slack:
        return Check(name, True, detail)
    if settings.drift_webhooks:
        detail += (
            "; Drift → Slack by webhook: set the Request URL of your Drift app to "
            "https://<host>/drift/events with the event new_message"
        )
    else:
        why = (
            "Socket Mode has no public URL"
            if settings.socket_mode
            else "no DRIFT_VERIFICATION_TOKEN"
        )
        detail += (
            f"; Drift → Slack by polling every {settings.drift_poll_seconds:g} s over "
            f"conversations linked in the last {settings.drift_sync_days:g} days ({why})"
        )
    try:
        scopes = token_info().scopes
    except DriftError:
        return Check(name, True, detail + "; Drift scopes not checked (see the Drift line)")
    missing = sorted(set(SYNC_DRIFT_SCOPES) - set(scopes))
    if missing:
        return Check(
            name,
            False,
            f"{detail}; the Drift token lacks {', '.join(missing)}, so Drift messages cannot be"
            " read",
            "Add conversation_read at dev.drift.com → your app → OAuth & Permissions, reinstall, "
            "and use the NEW token; or set DRIFT_SYNC=to-drift.",
        )
    return Check(name, True, detail)
