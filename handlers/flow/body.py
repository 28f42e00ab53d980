"""The Drift message of a submission: the rep's text as HTML, with the footer that says where
in Slack it came from and links back to the message."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from handlers.flow.services import Services
from handlers.flow.validation import MAX_MESSAGE_CHARS
from rendering.html import conversation_body
from rendering.prefill import rich_text_plain_length
from rendering.richtext import rich_text_to_html
from rendering.thread import thread_html
from runtime.slack_errors import SLACK_FAILURES
from storage.records import Draft

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Body:
    """The HTML for Drift and the names it was built with (for integrationSource)."""

    html: str
    channel_name: str
    rep_name: str


def render_body(services: Services, client: WebClient, draft: Draft) -> Body:
    """The rep's message, then "From Slack: #channel — Author (view in Slack)"."""
    names = services.names
    origin = draft.origin
    rep = names.user(origin.user_id)
    rep_name = rep.best_name if rep else ""
    channel_name = channel_name_of(services, draft)
    author = names.user(origin.author_id) if origin.author_id else None
    message_html = rich_text_to_html(draft.message, names)
    if draft.whole_thread and origin.source == "shortcut":
        message_html += whole_thread_html(services, client, draft)
    html = conversation_body(
        message_html,
        channel_name=channel_name,
        author_name=author.best_name if author else "",
        permalink=permalink_of(client, draft),
        rep_name=rep_name,
    )
    return Body(html, channel_name, rep_name)


def whole_thread_html(services: Services, client: WebClient, draft: Draft) -> str:
    """The thread after the rep's message, newest messages kept within Drift's limit."""
    origin = draft.origin
    fetched = services.threads.read(client, origin, origin.thread_ts or origin.message_ts)
    if fetched is None or not fetched.messages:
        return "<p><i>The Slack thread could not be read, so only this message is here.</i></p>"
    budget = MAX_MESSAGE_CHARS - rich_text_plain_length(draft.message)

    def author_of(message: dict[str, Any]) -> str:
        user = services.names.user(str(message.get("user") or "")) if message.get("user") else None
        profile = message.get("bot_profile") or {}
        bot_name = profile.get("name") if isinstance(profile, dict) else None
        return user.best_name if user else str(message.get("username") or bot_name or "Someone")

    return thread_html(
        fetched.messages, services.names, author_of, budget=budget, unread=fetched.unread
    )


def channel_name_of(services: Services, draft: Draft) -> str:
    origin = draft.origin
    if origin.channel_name and origin.channel_name not in ("privategroup", "directmessage"):
        return origin.channel_name
    if origin.channel_id:
        return services.names.channel_name(origin.channel_id) or origin.channel_name
    return origin.channel_name


def permalink_of(client: WebClient, draft: Draft) -> str | None:
    origin = draft.origin
    if not (origin.channel_id and origin.message_ts):
        return None
    try:
        response = client.chat_getPermalink(channel=origin.channel_id, message_ts=origin.message_ts)
    except SLACK_FAILURES:
        logger.info("chat.getPermalink failed; the Drift message goes without a back-link")
        return None
    permalink = response.get("permalink")
    return permalink if isinstance(permalink, str) else None
