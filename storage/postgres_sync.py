"""PostgresStore's sync tables: thread links, mirrored message ids and their queue, leases.

The semantics are the protocol's (storage/protocol.py, "Sync") and SqliteSync's; times are the
database's clock unless a test passes one, and the queue is taken under row locks.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from storage.postgres_schema import LINK_COLUMNS
from storage.protocol import Mirror, ThreadLink

MIRROR_KEY_TTL_SECONDS = 60 * 24 * 3600.0
NOW = "COALESCE(%(now)s::double precision, EXTRACT(EPOCH FROM now())::double precision)"

Cursor = psycopg.Cursor[TupleRow]


class PostgresSync:
    """The sync half of `PostgresStore`; it supplies the clock, transactions and reads."""

    _stale_after: float
    _now: Callable[[], dict[str, float | None]]

    def _transaction(self) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    def _read(self, sql: str, parameters: Any) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def link_thread(self, link: ThreadLink) -> None:
        """Link the thread to the conversation (a thread links to its newest conversation)."""
        values = {
            "team": link.team_id,
            "channel": link.channel_id,
            "thread": link.thread_ts,
            "conversation": int(link.conversation_id),
            "inbox": int(link.inbox_id),
            "cursor": int(link.cursor),
            **self._now(),
        }
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO thread_links ({LINK_COLUMNS}) VALUES (%(team)s, %(channel)s,"
                f" %(thread)s, %(conversation)s, %(inbox)s, {NOW}, %(cursor)s, {NOW}, 0)"
                " ON CONFLICT (team_id, channel_id, thread_ts) DO UPDATE SET"
                " conversation_id = excluded.conversation_id, inbox_id = excluded.inbox_id,"
                " linked_at = excluded.linked_at, cursor = excluded.cursor,"
                " active_at = excluded.active_at, polled_at = 0",
                values,
            )

    def thread_link(self, team_id: str, channel_id: str, thread_ts: str) -> ThreadLink | None:
        """The conversation this Slack thread is linked to, if any."""
        rows = self._read(
            f"SELECT {LINK_COLUMNS} FROM thread_links"
            " WHERE team_id = %s AND channel_id = %s AND thread_ts = %s",
            (team_id, channel_id, thread_ts),
        )
        return ThreadLink(*rows[0]) if rows else None

    def conversation_link(self, conversation_id: int) -> ThreadLink | None:
        """The thread most recently linked to this Drift conversation, if any."""
        rows = self._read(
            f"SELECT {LINK_COLUMNS} FROM thread_links WHERE conversation_id = %s"
            " ORDER BY linked_at DESC, id DESC LIMIT 1",
            (int(conversation_id),),
        )
        return ThreadLink(*rows[0]) if rows else None

    def recent_links(self, max_age: float) -> list[ThreadLink]:
        """Links made in the last `max_age` seconds, most recently active first."""
        rows = self._read(
            f"SELECT {LINK_COLUMNS} FROM thread_links WHERE linked_at >= {NOW} - %(age)s"
            " ORDER BY active_at DESC, id DESC",
            {"age": max_age, **self._now()},
        )
        return [ThreadLink(*row) for row in rows]

    def advance_cursor(self, conversation_id: int, cursor: int, *, active: bool) -> None:
        """Record a poll of the conversation; the cursor never moves back."""
        with self._transaction() as db:
            db.execute(
                f"UPDATE thread_links SET cursor = GREATEST(cursor, %(cursor)s), polled_at = {NOW},"
                f" active_at = CASE WHEN %(active)s THEN {NOW} ELSE active_at END"
                " WHERE conversation_id = %(conversation)s",
                {
                    "cursor": int(cursor),
                    "active": active,
                    "conversation": int(conversation_id),
                    **self._now(),
                },
            )

    def enqueue_mirror(self, key: str, payload: str) -> bool:
        """Queue `payload` under the source id `key`; False (and nothing queued) if the id was
        seen before. An empty payload only marks the id as seen."""
        values = {"key": key, "payload": payload, "ttl": MIRROR_KEY_TTL_SECONDS, **self._now()}
        with self._transaction() as db:
            db.execute(f"DELETE FROM mirror_keys WHERE created_at < {NOW} - %(ttl)s", values)
            db.execute(
                f"INSERT INTO mirror_keys (key, created_at) VALUES (%(key)s, {NOW})"
                " ON CONFLICT (key) DO NOTHING RETURNING key",
                values,
            )
            if db.fetchone() is None:
                return False
            if payload:
                db.execute(
                    "INSERT INTO mirror_queue (key, payload, created_at)"
                    f" VALUES (%(key)s, %(payload)s, {NOW})",
                    values,
                )
            return True

    def take_mirrors(self, limit: int = 20) -> list[Mirror]:
        """Up to `limit` of the oldest queued messages, in order, stopping before the first one
        someone holds fresh: nothing overtakes a message still being sent."""
        with self._transaction() as db:
            db.execute("LOCK TABLE mirror_queue IN SHARE ROW EXCLUSIVE MODE")
            db.execute(
                "WITH head AS (SELECT seq FROM mirror_queue WHERE seq < COALESCE("
                f"(SELECT min(seq) FROM mirror_queue WHERE taken_at > {NOW} - %(stale)s),"
                " 9223372036854775807) ORDER BY seq LIMIT %(limit)s)"
                f" UPDATE mirror_queue SET taken_at = {NOW} FROM head"
                " WHERE mirror_queue.seq = head.seq"
                " RETURNING mirror_queue.seq, mirror_queue.key, mirror_queue.payload",
                {"stale": self._stale_after, "limit": max(0, limit), **self._now()},
            )
            rows = db.fetchall()
        return [Mirror(key, payload) for _, key, payload in sorted(rows)]

    def finish_mirror(self, key: str) -> None:
        """The other side took it (or refused it for good): it leaves the queue."""
        with self._transaction() as db:
            db.execute("DELETE FROM mirror_queue WHERE key = %s", (key,))

    def hold_lease(self, name: str, holder: str, ttl: float) -> bool:
        """Acquire or renew the lease `name` for `ttl` seconds; whether `holder` has it."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO leases (name, holder, expires_at)"
                f" VALUES (%(name)s, %(holder)s, {NOW} + %(ttl)s)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                " expires_at = excluded.expires_at"
                f" WHERE leases.holder = excluded.holder OR leases.expires_at <= {NOW}"
                " RETURNING holder",
                {"name": name, "holder": holder, "ttl": ttl, **self._now()},
            )
            return db.fetchone() is not None
