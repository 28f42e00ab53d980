"""Global shortcut "New Drift conversation": the form with a channel picker for the answer."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import ids
from handlers.drafts import Draft, Origin, Source
from handlers.modal import open_form
from handlers.services import Services


def open_blank_form(
    client: WebClient, services: Services, body: dict[str, Any], source: Source
) -> None:
    """Open an empty form for the user in `body`; the channel is chosen in the form."""
    user = body.get("user") or {}
    team_id = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    user_id = str(user.get("id") or "")
    origin = Origin(team_id=team_id, user_id=user_id, channel_id="", source=source)
    open_form(
        client,
        str(body.get("trigger_id") or ""),
        Draft(origin, assignee_id=user_id),
        store=services.store,
        delivery=services.delivery,
        ask_channel=True,
    )


def handle_global_shortcut(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Ack, then open the form at once."""
    ack()
    open_blank_form(client, services, body, "global")


def register(app: App) -> None:
    app.global_shortcut(ids.GLOBAL_SHORTCUT_CALLBACK_ID)(handle_global_shortcut)
