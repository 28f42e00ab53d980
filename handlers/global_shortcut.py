"""Global shortcut "New Drift conversation": the form with a channel picker for the answer."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.modal import open_blank_form
from handlers.flow.services import Services
from handlers.ui import ids


def handle_global_shortcut(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Ack, then open the form at once."""
    ack()
    open_blank_form(client, services, body, "global")


def register(app: App) -> None:
    app.global_shortcut(ids.GLOBAL_SHORTCUT_CALLBACK_ID)(handle_global_shortcut)
