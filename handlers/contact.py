"""The email typed in the form: what Drift and drift-open know of that contact, under the field."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.form_context import preview_text_of, show_context
from handlers.flow.services import Services
from handlers.flow.validation import read_form
from handlers.ui import ids, views
from handlers.ui.context import carried_blocks


def handle_email_entered(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Ack, look the contact up (bounded), and update the form keeping what the rep typed."""
    ack()
    view = body.get("view") or {}
    try:
        origin, nonce = views.decode_metadata(str(view.get("private_metadata") or ""))
    except ValueError:
        return
    user_id = str((body.get("user") or {}).get("id") or "")
    if not services.allowed_origin(user_id, origin):
        return
    draft = read_form(((view.get("state") or {}).get("values")) or {}).draft(origin)
    _, thread_blocks = carried_blocks(view, add_to=draft.add_to, ticked=draft.whole_thread)
    show_context(
        client,
        services,
        view_id=str(view.get("id") or ""),
        view_hash=str(view.get("hash") or ""),
        draft=draft,
        nonce=nonce,
        thread_blocks=thread_blocks,
        assignee_preview=preview_text_of(view),
    )


def register(app: App) -> None:
    app.action(ids.EMAIL_ACTION)(handle_email_entered)
