"""Buttons that bring a kept draft back into the form: "Try again" and "Create another anyway"."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.form_context import contact_blocks_for, kept_thread_blocks, show_context
from handlers.flow.modal import new_nonce, open_form
from handlers.flow.services import Services
from handlers.ui import ids, messages, views
from handlers.ui.blocks import section
from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.records import Draft

logger = logging.getLogger(__name__)

NOT_YOURS = "This form belongs to someone else: only the person who wrote it can reopen it."
DRAFT_GONE = (
    "That draft is no longer kept (drafts are kept for 7 days). "
    "Start again with /drift-open or the message shortcut."
)


def handle_reopen(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """Reopen the form with the kept input: in place inside a modal, else as a new modal."""
    ack()
    actions = body.get("actions") or [{}]
    draft = services.store.load_draft(str(actions[0].get("value") or ""))
    container_view = body.get("view") or {}
    if draft is None:
        logger.info("Draft not found for %s", (body.get("user") or {}).get("id"))
        tell(services, body, DRAFT_GONE)
        return
    clicker = str((body.get("user") or {}).get("id") or "")
    refusal = refusal_for(services, clicker, draft)
    if refusal:
        logger.info("Try again refused for %s: %s", clicker, refusal)
        tell(services, body, refusal)
        return
    if body.get("response_url"):
        draft = replace(draft, origin=replace(draft.origin, response_url=str(body["response_url"])))
    ask_channel = draft.origin.asks_for_channel
    if container_view.get("id"):
        form = views.build_form_view(
            draft,
            nonce=new_nonce(),
            ask_channel=ask_channel,
            contact_blocks=contact_blocks_for(services, draft),
            thread_blocks=kept_thread_blocks(client, services, draft),
        )
        try:
            client.views_update(view_id=container_view["id"], view=form)
            return
        except SLACK_FAILURES as exc:
            logger.info("Could not reopen the form in place (%s)", slack_error_code(exc))
    opened = open_form(
        client,
        str(body.get("trigger_id") or ""),
        draft,
        store=services.store,
        delivery=services.delivery,
        ask_channel=ask_channel,
    )
    if opened is not None and (draft.email or draft.whole_thread):
        show_context(
            client,
            services,
            view_id=opened.view_id,
            view_hash=opened.view_hash,
            draft=draft,
            nonce=opened.nonce,
            thread_blocks=kept_thread_blocks(client, services, draft),
        )


def refusal_for(services: Services, user_id: str, draft: Draft) -> str:
    """Why `user_id` may not reopen `draft` ("" when they may): it is the rep's own."""
    if draft.origin.user_id and user_id != draft.origin.user_id:
        return NOT_YOURS
    if not services.allowed_origin(user_id, draft.origin):
        return messages.build_refusal_message()
    return ""


def tell(services: Services, body: dict[str, Any], text: str) -> None:
    """Say `text` where the click happened: in the modal, else privately by response_url."""
    container_view = body.get("view") or {}
    if container_view.get("id"):
        services.delivery.update_modal(container_view["id"], views.status_view([section(text)]))
    elif body.get("response_url"):
        services.delivery.respond(str(body["response_url"]), text)


def handle_link_click(ack: Ack) -> None:
    """The "Open in Drift" URL button also sends an action; acknowledge it."""
    ack()


def register(app: App) -> None:
    app.action(ids.RETRY_ACTION)(handle_reopen)
    app.action(ids.CREATE_ANOTHER_ACTION)(handle_reopen)
    app.action(ids.OPEN_LINK_ACTION)(handle_link_click)
