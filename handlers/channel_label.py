"""App Home → "Label a channel": a workspace admin or the channel's creator sets the label that
every conversation opened from that channel carries in its integration source."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.defaults import clean_label
from handlers.flow.services import Services
from handlers.ui import ids, messages
from handlers.ui.label_view import (
    CANNOT_CHECK,
    NOT_ALLOWED,
    STORE_DOWN,
    build_label_saved_view,
    build_label_view,
)
from runtime.slack_errors import SLACK_FAILURES, slack_error_code

logger = logging.getLogger(__name__)


def handle_label_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the label form."""
    ack()
    try:
        client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=build_label_view())
    except SLACK_FAILURES as exc:
        logger.info("Could not open the channel label form (%s)", slack_error_code(exc))


def label_refusal(services: Services, user_id: str, channel_id: str) -> str:
    """Why `user_id` may not label `channel_id` ("" when they may)."""
    if not services.allowed(user_id, channel_id):
        return messages.build_refusal_message()
    user = services.names.user(user_id)
    if user is not None and user.is_admin:
        return ""
    channel = services.names.channel(channel_id)
    if user is None or channel is None:
        return CANNOT_CHECK
    return "" if channel.creator == user_id else NOT_ALLOWED


def handle_label_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services
) -> None:
    """Check who asks, save the label, and show what was saved; problems go back in the ack."""
    values = (view.get("state") or {}).get("values") or {}
    chosen = (values.get(ids.LABEL_CHANNEL_BLOCK) or {}).get(ids.LABEL_CHANNEL_ACTION) or {}
    typed = (values.get(ids.LABEL_TEXT_BLOCK) or {}).get(ids.LABEL_TEXT_ACTION) or {}
    channel_id = str(chosen.get("selected_conversation") or "")
    label = clean_label(str(typed.get("value") or ""))
    user_id = str((body.get("user") or {}).get("id") or "")
    team = body.get("team") or {}
    team_id = str(team.get("id") or (body.get("user") or {}).get("team_id") or "")
    if not channel_id:
        ack(response_action="errors", errors={ids.LABEL_CHANNEL_BLOCK: "Choose a channel."})
        return
    refusal = label_refusal(services, user_id, channel_id)
    if refusal:
        ack(response_action="errors", errors={ids.LABEL_CHANNEL_BLOCK: refusal})
        return
    try:
        services.store.set_channel_defaults(team_id, channel_id, source_label=label)
    except Exception:
        logger.exception("The store could not save a channel label")
        ack(response_action="errors", errors={ids.LABEL_TEXT_BLOCK: STORE_DOWN})
        return
    logger.info("Channel %s labelled by %s", channel_id, user_id)
    ack(response_action="update", view=build_label_saved_view(channel_id, label))


def register(app: App) -> None:
    app.action(ids.HOME_LABEL_ACTION)(handle_label_button)
    app.view_submission(ids.LABEL_CALLBACK_ID)(handle_label_submission)
