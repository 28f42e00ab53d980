"""`/drift-open [email] [text]`: open the form, prefilled from the inline text; `help` explains."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.defaults import starting_assignee
from handlers.flow.form_context import show_context
from handlers.flow.modal import open_form
from handlers.flow.services import Services
from handlers.flow.validation import MAX_MESSAGE_CHARS
from handlers.ui import ids, messages
from rendering.mrkdwn import mrkdwn_to_rich_text
from rendering.prefill import split_command_text
from storage.records import Draft, Origin

HELP_WORDS = frozenset({"help", "-h", "--help", "?"})


# Twice the message limit leaves room for markup; anything longer cannot fit, and parsing a
# megabyte would outlast the 3 seconds the trigger to open the form lives.
MAX_COMMAND_TEXT_CHARS = 2 * MAX_MESSAGE_CHARS


def origin_from_command(command: dict[str, Any]) -> Origin:
    return Origin(
        team_id=str(command.get("team_id") or ""),
        user_id=str(command.get("user_id") or ""),
        channel_id=str(command.get("channel_id") or ""),
        channel_name=str(command.get("channel_name") or ""),
        source="command",
        response_url=str(command.get("response_url") or ""),
    )


def draft_from_command(command: dict[str, Any]) -> Draft:
    """The form's starting values: an inline email and text, the rep as assignee."""
    origin = origin_from_command(command)
    email, text = split_command_text(str(command.get("text") or ""))
    message = mrkdwn_to_rich_text(text) if text else {}
    return Draft(origin, email=email, message=message, assignee_id=origin.user_id)


def handle_command(
    ack: Ack, command: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Answer `help` and refusals in the ack itself; otherwise ack, then open the form at once."""
    if str(command.get("text") or "").strip().lower() in HELP_WORDS:
        text, blocks = messages.build_help_message()
        ack(text=text, blocks=blocks)
        return
    typed = len(str(command.get("text") or ""))
    if typed > MAX_COMMAND_TEXT_CHARS:
        ack(text=messages.build_too_long_message(typed, MAX_MESSAGE_CHARS))
        return
    draft = draft_from_command(command)
    if not services.allowed(draft.origin.user_id, draft.origin.channel_id):
        ack(text=messages.build_refusal_message())
        return
    ack()
    draft = replace(draft, assignee_id=starting_assignee(services.store, draft.origin))
    opened = open_form(
        client,
        str(command.get("trigger_id") or ""),
        draft,
        store=services.store,
        delivery=services.delivery,
    )
    if opened is not None and draft.email:
        show_context(
            client,
            services,
            view_id=opened.view_id,
            view_hash=opened.view_hash,
            draft=draft,
            nonce=opened.nonce,
        )


def register(app: App) -> None:
    app.command(ids.COMMAND)(handle_command)
