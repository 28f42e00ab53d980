"""Polling Drift for new messages of linked conversations (Socket Mode, or no webhook token).

Each round reads `GET /conversations/{id}/messages` for the conversations that are due, within
a budget of calls: a conversation active in the last hour is due every round, one active in the
last day every 4th, in the last 3 days every 12th, older ones every 60th, so 1,000 linked
conversations do not mean 1,000 calls per interval. When more are due than the budget allows,
the most overdue go first, so none is starved. A 429 ends the round and pauses polling for
Drift's Retry-After (or two intervals). The cursor (the newest createdAt seen) is kept per
conversation in the store.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from drift.client import DriftClient
from drift.errors import DriftError, DriftNotFoundError, DriftRateLimitError
from handlers.flow.sync_intake import accept_drift_message
from storage.protocol import Store, ThreadLink

logger = logging.getLogger(__name__)

HOUR = 3600.0
DAY = 24 * HOUR
POLL_BUDGET = 100
BUSY_ROUNDS = ((HOUR, 1), (DAY, 4), (3 * DAY, 12))
QUIET_ROUNDS = 60


@dataclass
class DriftPoller:
    """One round per `poll_once()`; the caller calls it every `interval` seconds."""

    store: Store
    drift: DriftClient
    interval: float
    max_age: float
    budget: int = POLL_BUDGET
    clock: Callable[[], float] = time.time
    resume_at: float = 0.0
    calls: int = field(default=0)

    def due(self, links: list[ThreadLink], now: float) -> list[ThreadLink]:
        """The links to read this round, the most overdue first, at most `budget`."""
        lateness = {
            id(link): (now - link.polled_at) / self._period(link, now)
            for link in links
            if now - link.polled_at >= self._period(link, now)
        }
        chosen = [link for link in links if id(link) in lateness]
        chosen.sort(key=lambda link: (-lateness[id(link)], -link.active_at))
        return chosen[: self.budget]

    def poll_once(self) -> int:
        """Read the conversations that are due; the number of messages queued."""
        now = self.clock()
        if now < self.resume_at:
            return 0
        queued = 0
        self.calls = 0
        for link in self.due(self.store.recent_links(self.max_age), now):
            try:
                self.calls += 1
                messages = self.drift.list_messages(link.conversation_id)
            except DriftRateLimitError as exc:
                self.resume_at = now + (exc.retry_after or 2 * self.interval)
                logger.info(
                    "Drift asked to slow down; polling resumes in %.0f s", self.resume_at - now
                )
                break
            except DriftNotFoundError:
                self.store.advance_cursor(link.conversation_id, link.cursor, active=False)
                continue
            except DriftError as exc:
                logger.info(
                    "Polling conversation %s failed (%s)", link.conversation_id, type(exc).__name__
                )
                continue
            newest, fresh = link.cursor, 0
            for message in messages:
                if message.created_at is not None and message.created_at > newest:
                    newest = message.created_at
                fresh += accept_drift_message(self.store, link, message)
            self.store.advance_cursor(link.conversation_id, newest, active=fresh > 0)
            queued += fresh
        return queued

    def _period(self, link: ThreadLink, now: float) -> float:
        idle = now - link.active_at
        rounds = next((count for limit, count in BUSY_ROUNDS if idle < limit), QUIET_ROUNDS)
        return self.interval * rounds - self.interval / 2
