"""What the form shows about a contact: Drift's contact record (looked up with a short deadline,
never holding up the form) and the conversations drift-open knows with them (from the store).

`ContactLookups.facts(team_id, email)` always answers: when Drift is slow, refuses (no
`contact_read` scope) or fails, the facts say "unavailable" and why. The status of each known
conversation is asked at the same time (GET /conversations/{id}) and shown when it arrives
within the same deadline. The lookups run on a small pool of their own so a slow Drift never
takes the creation workers; a late answer still fills the cache, so the next look is immediate.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from cachetools import TTLCache

from drift.client import DriftClient
from drift.contacts import CONTACT_READ
from drift.errors import DriftAuthError, DriftError
from drift.models import Contact
from handlers.flow.cards import ConversationCards
from handlers.ui.context import ContactFacts, KnownConversation
from storage.protocol import ConversationRecord, Store

logger = logging.getLogger(__name__)
T = TypeVar("T")

CONTACT_TTL_SECONDS = 60.0
LOOKUP_THREADS = 8
RECENT_LIMIT = 3
SLOW = "Drift did not answer in time"
NO_SCOPE = f"the Drift token lacks the {CONTACT_READ} scope"
FAILED = "Drift could not be asked"


class ContactLookups:
    """Contact facts by email, cached for `ttl` seconds; safe to share across threads."""

    def __init__(
        self,
        drift: DriftClient,
        store: Store,
        cards: ConversationCards | None = None,
        *,
        timeout: float = 2.0,
        ttl: float = CONTACT_TTL_SECONDS,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._drift = drift
        self._store = store
        self._cards = cards
        self._timeout = timeout
        self._cache: TTLCache[str, tuple[Contact, ...]] = TTLCache(512, ttl, timer=timer)
        self._statuses: TTLCache[int, str] = TTLCache(512, ttl, timer=timer)
        self._timer = timer
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(LOOKUP_THREADS, thread_name_prefix="drift-contact")

    def facts(self, team_id: str, email: str) -> ContactFacts:
        """Who `email` is in Drift and the recent conversations known with them."""
        deadline = self._timer() + self._timeout
        records = self._records(team_id, email)
        statuses = {record.conversation_id: self._status(record) for record in records}
        contacts_future = self._contacts(email)
        known = tuple(
            self._known(record, self._within(statuses[record.conversation_id], deadline))
            for record in records
        )
        try:
            contacts = tuple(contacts_future.result(timeout=self._left(deadline)))
        except FutureTimeout:
            return ContactFacts(email, "unavailable", reason=SLOW, conversations=known)
        except DriftAuthError as exc:
            logger.info("Contact lookup refused by Drift (%s)", exc.status_code)
            return ContactFacts(email, "unavailable", reason=NO_SCOPE, conversations=known)
        except DriftError as exc:
            logger.info("Contact lookup failed: %s", type(exc).__name__)
            return ContactFacts(email, "unavailable", reason=FAILED, conversations=known)
        if not contacts:
            return ContactFacts(email, "new", conversations=known)
        named = next((c for c in contacts if c.name), contacts[0])
        company = next((c.company for c in contacts if c.company), "")
        return ContactFacts(
            email,
            "found",
            name=named.name,
            company=company,
            sharing=len(contacts),
            conversations=known,
        )

    def _records(self, team_id: str, email: str) -> list[ConversationRecord]:
        """The store's recent conversations with `email`; none when the store cannot say."""
        try:
            return self._store.recent_for_contact(team_id, email, limit=RECENT_LIMIT)
        except Exception:
            logger.warning("The store could not list the conversations with a contact")
            return []

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _known(record: ConversationRecord, status: str) -> KnownConversation:
        return KnownConversation(
            conversation_id=record.conversation_id,
            url=record.url,
            created_at=record.created_at,
            assignee_slack_id=record.assignee_slack_id if record.assignee_drift_id else "",
            status=status,
        )

    def _contacts(self, email: str) -> Future[list[Contact]]:
        key = email.lower()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return _done(list(cached))
        future = self._pool.submit(self._drift.find_contacts, email, timeout=self._timeout)
        future.add_done_callback(lambda done: self._remember(key, done))
        return future

    def _status(self, record: ConversationRecord) -> Future[str]:
        """The conversation's status: an unfurl card's or a cached one, else asked of Drift."""
        card = self._cards.cached(record.conversation_id) if self._cards else None
        if card is not None and card.status:
            return _done(card.status)
        with self._lock:
            cached = self._statuses.get(record.conversation_id)
        if cached is not None:
            return _done(cached)
        future = self._pool.submit(self._fetch_status, record.conversation_id)
        return future

    def _fetch_status(self, conversation_id: int) -> str:
        try:
            status = self._drift.get_conversation(conversation_id, timeout=self._timeout).status
        except DriftError as exc:
            logger.info("No status for conversation %s: %s", conversation_id, type(exc).__name__)
            return ""
        with self._lock:
            self._statuses[conversation_id] = status
        return status

    def _within(self, future: Future[str], deadline: float) -> str:
        try:
            return future.result(timeout=self._left(deadline))
        except FutureTimeout:
            return ""

    def _left(self, deadline: float) -> float:
        return max(0.0, deadline - self._timer())

    def _remember(self, key: str, done: Future[list[Contact]]) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        with self._lock:
            self._cache[key] = tuple(done.result())


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future
