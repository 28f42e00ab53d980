"""What an unfurled Drift link shows: the conversation's facts, fetched once and kept briefly.

A card costs `GET /conversations/{id}`, `GET /contacts/{id}` and the messages' pages; the
assignee's name comes from the cached users directory. Cards are cached for `ttl` seconds, so a
link pasted in several channels, or Slack's repeated `link_shared` events, cost one fetch. Only
the contact's details and the conversation are fetched; a missing `contact_read` scope or a
failed messages read leaves those lines out instead of losing the card.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from cachetools import TTLCache

from caching.loading import LoadingCache
from drift.client import DriftClient
from drift.errors import DriftError, DriftNotFoundError
from drift.users import UserDirectory
from handlers.ui.cards import ConversationCard
from rendering.drift_text import preview

logger = logging.getLogger(__name__)

CARD_TTL_SECONDS = 60.0
PREVIEW_CHARS = 120
_CONVERSATION_PATH = re.compile(r"/inboxes/(\d{1,12})/conversations/(\d{1,19})/?")


def conversation_id_in(url: str, app_base_url: str) -> int | None:
    """The conversation id of a `{app_base_url}/inboxes/{inbox}/conversations/{id}` link."""
    link, base = urlsplit(url), urlsplit(app_base_url)
    if (link.scheme, link.hostname) != (base.scheme, base.hostname) or link.port != base.port:
        return None
    prefix = base.path.rstrip("/")
    if not link.path.startswith(prefix):
        return None
    match = _CONVERSATION_PATH.fullmatch(link.path[len(prefix) :])
    return int(match.group(2)) if match else None


class ConversationCards:
    """Cards by conversation id, cached for `ttl` seconds (one Drift lookup per id at a time)."""

    def __init__(
        self,
        drift: DriftClient,
        users: UserDirectory,
        *,
        ttl: float = CARD_TTL_SECONDS,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._drift = drift
        self._users = users
        self._cache: LoadingCache[int, ConversationCard | None] = LoadingCache(
            TTLCache(256, ttl, timer=timer)
        )

    def card(self, conversation_id: int, url: str) -> ConversationCard | None:
        """The conversation's card; None when Drift has no such conversation or cannot say."""
        return self._cache.get(conversation_id, lambda: self._fetch(conversation_id, url))

    def cached(self, conversation_id: int) -> ConversationCard | None:
        """The card if one is cached (a link was unfurled lately); never fetches."""
        return self._cache.peek(conversation_id)

    def _fetch(self, conversation_id: int, url: str) -> ConversationCard | None:
        try:
            conversation = self._drift.get_conversation(conversation_id)
        except DriftNotFoundError:
            return None
        except DriftError as exc:
            logger.info("No card for conversation %s: %s", conversation_id, type(exc).__name__)
            return None
        contact_name = contact_email = ""
        if conversation.contact_id is not None:
            try:
                contact = self._drift.get_contact(conversation.contact_id)
                contact_name, contact_email = contact.name, contact.email
            except DriftError as exc:
                logger.info("The card leaves the contact out: %s", type(exc).__name__)
        assignee = ""
        if conversation.participants:
            try:
                user = self._users.get_user(conversation.participants[0])
            except DriftError:
                user = None
            assignee = user.name if user else ""
        return ConversationCard(
            conversation_id=conversation_id,
            url=url,
            status=conversation.status,
            contact_name=contact_name,
            contact_email=contact_email,
            assignee_name=assignee,
            created_at=conversation.created_at / 1000 if conversation.created_at else None,
            last_message=self._last_message(conversation_id),
        )

    def _last_message(self, conversation_id: int) -> str:
        try:
            messages = self._drift.list_messages(conversation_id)
        except DriftError as exc:
            logger.info("The card leaves the last message out: %s", type(exc).__name__)
            return ""
        chats = [message for message in messages if message.type == "chat" and message.body]
        return preview(chats[-1].body, PREVIEW_CHARS) if chats else ""
