"""Message shortcut "Send to Drift customer": on a reply in a linked thread, a confirm modal
showing exactly what the contact will read; on Send, the message is queued as a chat message
from the rep's Drift user, and the thread says when Drift has it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.assignees import AssigneeProblem, resolve_assignee
from handlers.flow.mirrors import ToDrift, enqueue, slack_key
from handlers.flow.services import Services
from handlers.shortcut import origin_from_shortcut
from handlers.ui import ids, messages, send_views
from rendering.drift_text import html_to_text
from rendering.prefill import message_to_rich_text
from rendering.richtext import rich_text_to_html
from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.records import Draft

logger = logging.getLogger(__name__)


def confirm_or_notice(shortcut: dict[str, Any], services: Services) -> dict[str, Any]:
    """The modal to open: the confirmation, or a notice saying why it cannot be sent."""
    origin = origin_from_shortcut(shortcut)
    if not services.settings.sync_to_drift:
        return send_views.build_send_notice_view(send_views.SYNC_OFF)
    thread_ts = origin.thread_ts or origin.message_ts
    link = services.store.thread_link(origin.team_id, origin.channel_id, thread_ts)
    if link is None:
        return send_views.build_send_notice_view(send_views.NOT_LINKED)
    try:
        assignee = resolve_assignee(services.names, services.users, origin.user_id)
        reason = assignee.unassigned_reason
    except AssigneeProblem as problem:
        assignee, reason = None, str(problem)
    if assignee is None or assignee.drift_id is None:
        notice = send_views.NO_DRIFT_USER.format(reason=reason)
        return send_views.build_send_notice_view(notice)
    rich_text = message_to_rich_text(shortcut.get("message") or {})
    customer_text = html_to_text(rich_text_to_html(rich_text, services.names))
    if not customer_text:
        return send_views.build_send_notice_view(send_views.EMPTY)
    draft_id = services.store.save_draft(Draft(origin, message=rich_text))
    metadata = send_views.encode_send_metadata(draft_id, link.conversation_id, assignee.drift_id)
    base = services.settings.drift_app_base_url
    url = f"{base}/inboxes/{link.inbox_id}/conversations/{link.conversation_id}"
    return send_views.build_send_confirm_view(customer_text, url, metadata)


def handle_send_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, services: Services
) -> None:
    ack()
    origin = origin_from_shortcut(shortcut)
    if not services.allowed(origin.user_id, origin.channel_id):
        services.delivery.tell_user(origin, messages.build_refusal_message(), [])
        return
    view = confirm_or_notice(shortcut, services)
    try:
        client.views_open(trigger_id=str(shortcut.get("trigger_id") or ""), view=view)
    except SLACK_FAILURES as exc:
        logger.info("Could not open the send-to-customer modal (%s)", slack_error_code(exc))


def handle_send_confirm(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services
) -> None:
    """Queue the chat message (once per Slack message) and say so in the modal."""
    user_id = str((body.get("user") or {}).get("id") or "")
    try:
        draft_id, conversation_id, drift_user_id = send_views.decode_send_metadata(
            str(view.get("private_metadata") or "")
        )
    except ValueError:
        ack()
        return
    draft = services.store.load_draft(draft_id)
    if draft is None or draft.origin.user_id != user_id:
        ack(response_action="update", view=send_views.build_send_notice_view(send_views.EMPTY))
        return
    origin = draft.origin
    item = ToDrift(
        conversation_id=conversation_id,
        team_id=origin.team_id,
        channel_id=origin.channel_id,
        thread_ts=origin.thread_ts or origin.message_ts,
        author_id=user_id,
        message={"blocks": [draft.message]},
        kind="chat",
        drift_user_id=drift_user_id,
    )
    fresh = enqueue(services.store, slack_key(origin.channel_id, origin.message_ts, "chat"), item)
    text = send_views.SENDING if fresh else send_views.ALREADY_SENT
    ack(response_action="update", view=send_views.build_send_notice_view(text))
    services.sync_wake.set()


def register(app: App) -> None:
    app.message_shortcut(ids.SEND_TO_CUSTOMER_CALLBACK_ID)(handle_send_shortcut)
    app.view_submission(ids.SEND_CONFIRM_CALLBACK_ID)(handle_send_confirm)
