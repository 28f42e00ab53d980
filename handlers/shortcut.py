"""Message shortcut "Open in Drift": the form prefilled from the message; answers in its thread."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.defaults import starting_assignee
from handlers.flow.form_context import show_context, thread_blocks_for
from handlers.flow.modal import OpenedForm, open_form
from handlers.flow.services import Services
from handlers.ui import ids, messages, views
from rendering.prefill import first_email, message_to_rich_text
from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.records import Draft, Origin

logger = logging.getLogger(__name__)


def origin_from_shortcut(shortcut: dict[str, Any]) -> Origin:
    message = shortcut.get("message") or {}
    channel = shortcut.get("channel") or {}
    return Origin(
        team_id=str(
            (shortcut.get("team") or {}).get("id")
            or (shortcut.get("user") or {}).get("team_id")
            or ""
        ),
        user_id=str((shortcut.get("user") or {}).get("id") or ""),
        channel_id=str(channel.get("id") or ""),
        channel_name=str(channel.get("name") or ""),
        source="shortcut",
        message_ts=str(message.get("ts") or shortcut.get("message_ts") or ""),
        thread_ts=str(message.get("thread_ts") or ""),
        response_url=str(shortcut.get("response_url") or ""),
        author_id=str(message.get("user") or ""),
        enterprise_id=str((shortcut.get("team") or {}).get("enterprise_id") or ""),
    )


def draft_from_shortcut(shortcut: dict[str, Any]) -> Draft:
    """The form's starting values: the message's text and first email, the rep as assignee."""
    message = shortcut.get("message") or {}
    origin = origin_from_shortcut(shortcut)
    return Draft(
        origin,
        email=first_email(message),
        message=message_to_rich_text(message),
        assignee_id=origin.user_id,
    )


def handle_message_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Ack, open the form first (the trigger dies in 3 s), then enrich it if there is more."""
    ack()
    draft = draft_from_shortcut(shortcut)
    origin = draft.origin
    if not services.allowed(origin.user_id, origin.channel_id):
        services.delivery.tell_user(origin, messages.build_refusal_message(), [])
        return
    draft = replace(draft, assignee_id=starting_assignee(services.store, origin))
    opened = open_form(
        client,
        str(shortcut.get("trigger_id") or ""),
        draft,
        store=services.store,
        delivery=services.delivery,
    )
    if opened is not None:
        enrich_form(client, services, draft, opened, shortcut.get("message") or {})


def enrich_form(
    client: WebClient,
    services: Services,
    draft: Draft,
    opened: OpenedForm,
    message: dict[str, Any],
) -> None:
    """After the modal is up: say "Already in Drift"; else prefill a Slack Connect author's
    email, show what is known of the contact, and offer the whole thread."""
    origin = draft.origin
    existing = services.store.find_by_message(origin.team_id, origin.channel_id, origin.message_ts)
    if existing is not None:
        already = views.build_already_view(existing.url, services.store.save_draft(draft))
        try:
            client.views_update(view_id=opened.view_id, hash=opened.view_hash, view=already)
        except SLACK_FAILURES as exc:
            logger.info("Could not say the message is in Drift (%s)", slack_error_code(exc))
        return
    if not draft.email and origin.author_id:
        author = services.names.user(origin.author_id)
        if author and author.email and author.is_external_to(origin.team_id, origin.enterprise_id):
            draft = replace(draft, email=author.email)
    thread_blocks = thread_blocks_for(client, services, draft, message)
    if draft.email or thread_blocks:
        show_context(
            client,
            services,
            view_id=opened.view_id,
            view_hash=opened.view_hash,
            draft=draft,
            nonce=opened.nonce,
            thread_blocks=thread_blocks,
        )


def register(app: App) -> None:
    app.message_shortcut(ids.MESSAGE_SHORTCUT_CALLBACK_ID)(handle_message_shortcut)
