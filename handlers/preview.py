"""Live assignee preview: choosing "Assign to" says who in Drift will get the conversation."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.assignees import AssigneeProblem, preview_text, resolve_assignee
from handlers.flow.services import Services
from handlers.flow.validation import read_form
from handlers.ui import ids, messages, views
from handlers.ui.blocks import mrkdwn_escape
from handlers.ui.context import carried_blocks
from runtime.slack_errors import SLACK_FAILURES, slack_error_code

logger = logging.getLogger(__name__)


def handle_assignee_change(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Recompute the preview line and update the form in place (the rep's input is kept)."""
    ack()
    view = body.get("view") or {}
    try:
        origin, nonce = views.decode_metadata(str(view.get("private_metadata") or ""))
    except ValueError:
        return
    form = read_form(((view.get("state") or {}).get("values")) or {})
    user_id = str((body.get("user") or {}).get("id") or "")
    if not services.allowed_origin(user_id, origin):
        line = f":warning: {mrkdwn_escape(messages.build_refusal_message())}"
    else:
        try:
            assignee = resolve_assignee(services.names, services.users, form.assignee_id)
            line = preview_text(assignee)
        except AssigneeProblem as problem:
            line = f":warning: {mrkdwn_escape(str(problem))}"
    draft = form.draft(origin)
    contact_blocks, thread_blocks = carried_blocks(
        view, add_to=draft.add_to, ticked=draft.whole_thread
    )
    updated = views.build_form_view(
        draft,
        nonce=nonce,
        assignee_preview=line,
        ask_channel=origin.asks_for_channel,
        contact_blocks=contact_blocks,
        thread_blocks=thread_blocks,
    )
    try:
        client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=updated)
    except SLACK_FAILURES as exc:
        logger.info("Assignee preview not shown (%s)", slack_error_code(exc))


def register(app: App) -> None:
    app.action(ids.ASSIGNEE_ACTION)(handle_assignee_change)
