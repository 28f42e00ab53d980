"""The whole-thread import's part of the Drift body: the thread after the rep's message."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from handlers.flow.services import Services
from handlers.flow.validation import MAX_MESSAGE_CHARS
from rendering.prefill import rich_text_plain_length
from rendering.thread import thread_html
from storage.records import Draft

UNREADABLE = "<p><i>The Slack thread could not be read, so only this message is here.</i></p>"


def whole_thread_html(services: Services, client: WebClient, draft: Draft) -> str:
    """The thread after the rep's message, newest messages kept within Drift's limit."""
    origin = draft.origin
    fetched = services.threads.read(client, origin, origin.thread_ts or origin.message_ts)
    if fetched is None or not fetched.messages:
        return UNREADABLE
    budget = MAX_MESSAGE_CHARS - rich_text_plain_length(draft.message)

    def author_of(message: dict[str, Any]) -> str:
        user = services.names.user(str(message.get("user") or "")) if message.get("user") else None
        profile = message.get("bot_profile") or {}
        bot_name = profile.get("name") if isinstance(profile, dict) else None
        return user.best_name if user else str(message.get("username") or bot_name or "Someone")

    return thread_html(
        fetched.messages, services.names, author_of, budget=budget, unread=fetched.unread
    )
