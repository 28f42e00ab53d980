"""SqliteStore's sync tables: thread links, mirrored message ids and their queue, leases.

The semantics are the protocol's (storage/protocol.py, "Sync"); every write is one
transaction and every time comes from the store's clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from storage.protocol import Mirror, ThreadLink
from storage.sqlite_schema import LINK_COLUMNS

MIRROR_KEY_TTL_SECONDS = 60 * 24 * 3600.0


class SqliteSync:
    """The sync half of `SqliteStore`; it supplies the clock, transactions and reads."""

    _clock: Callable[[], float]
    _stale_after: float

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _read(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def link_thread(self, link: ThreadLink) -> None:
        """Link the thread to the conversation (a thread links to its newest conversation)."""
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO thread_links ({LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)"
                " ON CONFLICT (team_id, channel_id, thread_ts) DO UPDATE SET"
                " conversation_id = excluded.conversation_id, inbox_id = excluded.inbox_id,"
                " linked_at = excluded.linked_at, cursor = excluded.cursor,"
                " active_at = excluded.active_at, polled_at = 0",
                (
                    link.team_id,
                    link.channel_id,
                    link.thread_ts,
                    link.conversation_id,
                    link.inbox_id,
                    now,
                    link.cursor,
                    now,
                ),
            )

    def thread_link(self, team_id: str, channel_id: str, thread_ts: str) -> ThreadLink | None:
        """The conversation this Slack thread is linked to, if any."""
        rows = self._read(
            f"SELECT {LINK_COLUMNS} FROM thread_links"
            " WHERE team_id = ? AND channel_id = ? AND thread_ts = ?",
            (team_id, channel_id, thread_ts),
        )
        return ThreadLink(*rows[0]) if rows else None

    def conversation_link(self, conversation_id: int) -> ThreadLink | None:
        """The thread most recently linked to this Drift conversation, if any."""
        rows = self._read(
            f"SELECT {LINK_COLUMNS} FROM thread_links WHERE conversation_id = ?"
            " ORDER BY linked_at DESC, id DESC LIMIT 1",
            (int(conversation_id),),
        )
        return ThreadLink(*rows[0]) if rows else None

    def recent_links(self, max_age: float) -> list[ThreadLink]:
        """Links made in the last `max_age` seconds, most recently active first."""
        rows = self._read(
            f"SELECT {LINK_COLUMNS} FROM thread_links WHERE linked_at >= ?"
            " ORDER BY active_at DESC, id DESC",
            (self._clock() - max_age,),
        )
        return [ThreadLink(*row) for row in rows]

    def advance_cursor(self, conversation_id: int, cursor: int, *, active: bool) -> None:
        """Record a poll of the conversation; the cursor never moves back."""
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                "UPDATE thread_links SET cursor = MAX(cursor, ?), polled_at = ?,"
                " active_at = CASE WHEN ? THEN ? ELSE active_at END WHERE conversation_id = ?",
                (int(cursor), now, int(active), now, int(conversation_id)),
            )

    def enqueue_mirror(self, key: str, payload: str) -> bool:
        """Queue `payload` under the source id `key`; False (and nothing queued) if the id was
        seen before. An empty payload only marks the id as seen."""
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                "DELETE FROM mirror_keys WHERE created_at < ?", (now - MIRROR_KEY_TTL_SECONDS,)
            )
            fresh = db.execute(
                "INSERT INTO mirror_keys (key, created_at) VALUES (?, ?)"
                " ON CONFLICT (key) DO NOTHING RETURNING key",
                (key, now),
            ).fetchone()
            if fresh is None:
                return False
            if payload:
                db.execute(
                    "INSERT INTO mirror_queue (key, payload, created_at) VALUES (?, ?, ?)",
                    (key, payload, now),
                )
            return True

    def take_mirrors(self, limit: int = 20) -> list[Mirror]:
        """Up to `limit` of the oldest queued messages, in order, stopping before the first one
        someone holds fresh: nothing overtakes a message still being sent."""
        now = self._clock()
        cutoff = now - self._stale_after
        with self._transaction() as db:
            rows = db.execute(
                "UPDATE mirror_queue SET taken_at = ? WHERE seq IN (SELECT seq FROM mirror_queue"
                " WHERE seq < COALESCE((SELECT MIN(seq) FROM mirror_queue WHERE taken_at > ?),"
                " 9223372036854775807) ORDER BY seq LIMIT ?) RETURNING seq, key, payload",
                (now, cutoff, max(0, limit)),
            ).fetchall()
        return [Mirror(key, payload) for _, key, payload in sorted(rows)]

    def finish_mirror(self, key: str) -> None:
        """The other side took it (or refused it for good): it leaves the queue."""
        with self._transaction() as db:
            db.execute("DELETE FROM mirror_queue WHERE key = ?", (key,))

    def hold_lease(self, name: str, holder: str, ttl: float) -> bool:
        """Acquire or renew the lease `name` for `ttl` seconds; whether `holder` has it."""
        now = self._clock()
        with self._transaction() as db:
            row = db.execute(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                " expires_at = excluded.expires_at"
                " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?"
                " RETURNING holder",
                (name, holder, now + ttl, now),
            ).fetchone()
        return row is not None
