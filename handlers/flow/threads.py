"""Reading a message's Slack thread for the whole-thread import (conversations.replies, paged),
within its rate limit, and keeping what was read for the submission.

Slack limits conversations.replies sharply for some apps (1 request a minute, 15 messages a
page): a 429 ends the reading with what was fetched so far, marked `rate_limited`, and is not
waited out. The thread read when the form opened is kept (`ThreadCache`, 15 minutes), so the
submission does not spend the limit again; a process that restarted in between reads it anew.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.records import Origin

logger = logging.getLogger(__name__)

PAGE_SIZE = 15
MAX_PAGES = 40
THREAD_TTL_SECONDS = 900.0


@dataclass(frozen=True)
class FetchedThread:
    """The thread's messages read so far, oldest first, and how many Slack says it has."""

    messages: tuple[dict[str, Any], ...]
    total: int
    rate_limited: bool = False

    @property
    def unread(self) -> int:
        return max(0, self.total - len(self.messages))


def thread_root(origin: Origin, message: dict[str, Any] | None = None) -> str:
    """The thread's ts when the message is a reply or has replies; "" otherwise."""
    if origin.thread_ts:
        return origin.thread_ts
    if message is not None and int(message.get("reply_count") or 0) > 0:
        return origin.message_ts
    return ""


def read_thread(client: WebClient, channel_id: str, root_ts: str) -> FetchedThread | None:
    """Every message of the thread (or as many as the rate limit allowed); None when Slack
    would not give any (no history scope, a channel the bot is not in, an unknown thread)."""
    messages: list[dict[str, Any]] = []
    total = 0
    cursor = ""
    for _ in range(MAX_PAGES):
        try:
            page = client.conversations_replies(
                channel=channel_id, ts=root_ts, limit=PAGE_SIZE, cursor=cursor or None
            )
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                logger.info("conversations.replies rate-limited after %d messages", len(messages))
                return FetchedThread(tuple(messages), max(total, len(messages)), True)
            logger.info("The thread could not be read (%s)", slack_error_code(exc))
            return None
        except SLACK_FAILURES as exc:
            logger.info("The thread could not be read (%s)", slack_error_code(exc))
            return None
        for entry in page.get("messages") or []:
            if isinstance(entry, dict):
                messages.append(entry)
                if entry.get("ts") == root_ts:
                    total = int(entry.get("reply_count") or 0) + 1
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not (page.get("has_more") and cursor):
            break
    return FetchedThread(tuple(messages), max(total, len(messages)))


class ThreadCache:
    """Threads read for forms, by (team, channel, root ts); shared across threads."""

    def __init__(
        self, *, ttl: float = THREAD_TTL_SECONDS, timer: Callable[[], float] | None = None
    ) -> None:
        self._cache: TTLCache[tuple[str, str, str], FetchedThread] = (
            TTLCache(128, ttl) if timer is None else TTLCache(128, ttl, timer=timer)
        )
        self._lock = threading.Lock()

    def read(self, client: WebClient, origin: Origin, root_ts: str) -> FetchedThread | None:
        """The thread from the cache, else read from Slack (and kept)."""
        key = (origin.team_id, origin.channel_id, root_ts)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        fetched = read_thread(client, origin.channel_id, root_ts)
        if fetched is not None:
            with self._lock:
                self._cache[key] = fetched
        return fetched
