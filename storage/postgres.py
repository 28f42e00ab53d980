"""`PostgresStore`: the `Store` of storage/protocol.py on a PostgreSQL shared by every replica.

Semantics are SqliteStore's (the states are documented with the protocol). What differs:
- The claim is one `INSERT ... ON CONFLICT DO NOTHING RETURNING`; only a known key reads its
  row, `FOR UPDATE`, so two replicas claiming one key at once are served one after the other.
- Times come from the database's clock (`now()`), so replicas on hosts whose clocks disagree
  still agree on what is stale; tests pass a `clock` instead.
- Sweeps (`expire_stale`, `take_undelivered`) lock their rows `SKIP LOCKED`: replicas sweeping
  together each get different rows, and every row is handed out once.
- A `psycopg_pool.ConnectionPool` (opened explicitly, connections checked before use) replaces
  SqliteStore's lock; each call holds a connection only for its own transaction.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from typing import Any, Self

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from storage.contact_queries import ContactQueries
from storage.location import redacted
from storage.postgres_channels import PostgresChannels
from storage.postgres_schema import RECORD_COLUMNS, RECORD_PLACEHOLDERS, migrate
from storage.postgres_sync import NOW, PostgresSync
from storage.protocol import (
    DRAFT_TTL_SECONDS,
    MAX_DRAFT_ID_LENGTH,
    STALE_AFTER_SECONDS,
    STALE_FAILURE,
    Claim,
    ConversationRecord,
    StaleSubmission,
    Undelivered,
)
from storage.records import Draft

logger = logging.getLogger("drift_open")

CONNECT_TIMEOUT_SECONDS = 5
POOL_TIMEOUT_SECONDS = 10.0
HEALTH_TIMEOUT_SECONDS = 2.0

Cursor = psycopg.Cursor[TupleRow]


class PostgresStore(PostgresSync, PostgresChannels, ContactQueries):
    """`Store` on PostgreSQL through a connection pool; safe across threads and replicas."""

    _placeholder = "%s"

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 8,
        clock: Callable[[], float] | None = None,
        stale_after: float = STALE_AFTER_SECONDS,
    ) -> None:
        self._clock = clock
        self._stale_after = stale_after
        self._where = redacted(url)
        self._unreachable = ""
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
            migrate(connection)
        self._pool: ConnectionPool[psycopg.Connection[TupleRow]] = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
            check=ConnectionPool.check_connection,
            timeout=POOL_TIMEOUT_SECONDS,
            name="drift-open",
            open=False,
        )
        self._pool.open(wait=True, timeout=POOL_TIMEOUT_SECONDS)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def claim(self, key: str, draft: Draft) -> Claim:
        """Record `key` as pending unless already known (the states: storage/protocol.py)."""
        values = {"key": key, "draft": draft.to_json(), **self._now()}
        with self._transaction() as db:
            db.execute(
                "INSERT INTO submissions (key, state, draft_json, attempts, created_at,"
                f" updated_at) VALUES (%(key)s, 'pending', %(draft)s, 1, {NOW}, {NOW})"
                " ON CONFLICT (key) DO NOTHING RETURNING key",
                values,
            )
            if db.fetchone() is not None:
                return Claim("new", attempts=1)
            db.execute(
                f"SELECT state, attempts, failure, ambiguous, {NOW} - updated_at"
                " FROM submissions WHERE key = %(key)s FOR UPDATE",
                values,
            )
            row = db.fetchone()
            if row is None:
                raise RuntimeError(f"submission {key!r} vanished while being claimed")
            state, attempts, failure, ambiguous, age = row
            if state == "done":
                return Claim("done", record=self._record_for(db, key), attempts=attempts)
            if state == "pending" and age < self._stale_after:
                return Claim("pending", attempts=attempts)
            if state == "pending":
                self._mark_stale(db, "key = %(key)s", values)
                return Claim("failed", failure=STALE_FAILURE, ambiguous=True, attempts=attempts)
            if ambiguous:
                return Claim("failed", failure=failure, ambiguous=True, attempts=attempts)
            db.execute(
                "UPDATE submissions SET state = 'pending', draft_json = %(draft)s,"
                f" attempts = attempts + 1, updated_at = {NOW} WHERE key = %(key)s",
                values,
            )
            return Claim("new", failure=failure, attempts=attempts + 1)

    def complete(self, key: str, record: ConversationRecord, *, outbox: str = "") -> None:
        """Record the conversation made for `key` (the first record for a key is kept), and
        `outbox`, the message that tells the rep, in the same transaction."""
        if record.submission_key not in ("", key):
            raise ValueError("record.submission_key does not match the key being completed")
        values = {**asdict(replace(record, submission_key=key)), "key": key, **self._now()}
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO conversations ({RECORD_COLUMNS}) VALUES ({RECORD_PLACEHOLDERS})"
                " ON CONFLICT (submission_key) DO NOTHING",
                values,
            )
            db.execute(
                "INSERT INTO submissions (key, state, draft_json, attempts, created_at,"
                f" updated_at) VALUES (%(key)s, 'done', '', 1, {NOW}, {NOW})"
                " ON CONFLICT (key) DO UPDATE"
                " SET state = 'done', ambiguous = false, updated_at = excluded.updated_at",
                values,
            )
            self._enqueue(db, key, outbox)

    def fail(self, key: str, reason: str, *, ambiguous: bool, outbox: str = "") -> None:
        """Record that the attempt for `key` failed (`ambiguous` if Drift may have acted on
        it), and `outbox`, the message that tells the rep, in the same transaction."""
        values = {"key": key, "reason": reason, "ambiguous": ambiguous, **self._now()}
        with self._transaction() as db:
            db.execute(
                "INSERT INTO submissions (key, state, draft_json, attempts, failure, ambiguous,"
                f" created_at, updated_at) VALUES (%(key)s, 'failed', '', 1, %(reason)s,"
                f" %(ambiguous)s, {NOW}, {NOW}) ON CONFLICT (key) DO UPDATE"
                " SET state = 'failed', failure = excluded.failure,"
                " ambiguous = excluded.ambiguous, updated_at = excluded.updated_at"
                " WHERE submissions.state != 'done'",
                values,
            )
            self._enqueue(db, key, outbox)

    def delivered(self, key: str) -> None:
        """Slack accepted the message for `key` (or it was given up on): forget it."""
        with self._transaction() as db:
            db.execute("DELETE FROM outbox WHERE key = %s", (key,))

    def take_undelivered(self) -> list[Undelivered]:
        """Messages whose owner stopped touching them, oldest first; taken by this caller."""
        with self._transaction() as db:
            db.execute(
                "WITH orphaned AS (SELECT key FROM outbox"
                f" WHERE touched_at <= {NOW} - %(stale)s FOR UPDATE SKIP LOCKED)"
                f" UPDATE outbox SET touched_at = {NOW} FROM orphaned"
                " WHERE outbox.key = orphaned.key"
                " RETURNING outbox.key, outbox.message_json, outbox.created_at",
                {"stale": self._stale_after, **self._now()},
            )
            rows = db.fetchall()
        return [Undelivered(key, message) for key, message, _ in sorted(rows, key=lambda r: r[2])]

    def touch(self, keys: Collection[str]) -> None:
        """Keep these pending submissions alive: their owner is still working on them."""
        values = {"keys": list(keys), **self._now()}
        if not values["keys"]:
            return
        with self._transaction() as db:
            db.execute(
                f"UPDATE submissions SET updated_at = {NOW}"
                " WHERE state = 'pending' AND key = ANY(%(keys)s)",
                values,
            )
            db.execute(f"UPDATE outbox SET touched_at = {NOW} WHERE key = ANY(%(keys)s)", values)

    def expire_stale(self) -> list[StaleSubmission]:
        """Turn every stale pending submission into an ambiguous failure and return them once."""
        with self._transaction() as db:
            db.execute(
                "WITH stale AS (SELECT key, updated_at FROM submissions WHERE state = 'pending'"
                f" AND updated_at <= {NOW} - %(stale)s FOR UPDATE SKIP LOCKED)"
                " UPDATE submissions SET state = 'failed', failure = %(failure)s,"
                f" ambiguous = true, updated_at = {NOW} FROM stale"
                " WHERE submissions.key = stale.key"
                " RETURNING submissions.key, submissions.draft_json, stale.updated_at",
                {"stale": self._stale_after, "failure": STALE_FAILURE, **self._now()},
            )
            rows = sorted(db.fetchall(), key=lambda row: row[2])
        return [StaleSubmission(key, Draft.from_json(draft_json)) for key, draft_json, _ in rows]

    def find_by_message(
        self, team_id: str, channel_id: str, message_ts: str
    ) -> ConversationRecord | None:
        """The newest conversation made from this message; None for "" (a slash command)."""
        if not message_ts:
            return None
        rows = self._read(
            f"SELECT {RECORD_COLUMNS} FROM conversations WHERE team_id = %s AND channel_id = %s"
            " AND message_ts = %s ORDER BY created_at DESC, id DESC LIMIT 1",
            (team_id, channel_id, message_ts),
        )
        return ConversationRecord(*rows[0]) if rows else None

    def recent_for_user(
        self, team_id: str, user_id: str, limit: int = 20
    ) -> list[ConversationRecord]:
        """Conversations this Slack user submitted, newest first."""
        if limit < 1:
            return []
        rows = self._read(
            f"SELECT {RECORD_COLUMNS} FROM conversations WHERE team_id = %s AND user_id = %s"
            " ORDER BY created_at DESC, id DESC LIMIT %s",
            (team_id, user_id, limit),
        )
        return [ConversationRecord(*row) for row in rows]

    def save_draft(self, draft: Draft) -> str:
        """Keep `draft` for a week under a short unguessable id; prunes expired drafts."""
        values = {"id": secrets.token_urlsafe(12), "draft": draft.to_json(), **self._now()}
        with self._transaction() as db:
            db.execute(
                f"DELETE FROM drafts WHERE created_at < {NOW} - %(ttl)s",
                {**values, "ttl": DRAFT_TTL_SECONDS},
            )
            db.execute(
                "INSERT INTO drafts (id, draft_json, created_at)"
                f" VALUES (%(id)s, %(draft)s, {NOW})",
                values,
            )
        return str(values["id"])

    def load_draft(self, draft_id: str) -> Draft | None:
        """The draft saved under `draft_id`, or None if unknown or older than a week."""
        if not draft_id or len(draft_id) > MAX_DRAFT_ID_LENGTH:
            return None
        rows = self._read(
            f"SELECT draft_json FROM drafts WHERE id = %(id)s AND created_at >= {NOW} - %(ttl)s",
            {"id": draft_id, "ttl": DRAFT_TTL_SECONDS, **self._now()},
        )
        return Draft.from_json(rows[0][0]) if rows else None

    def problem(self) -> str:
        """Why this replica cannot use the database ("" when it can): for /healthz."""
        try:
            with self._pool.connection(timeout=HEALTH_TIMEOUT_SECONDS) as connection:
                connection.execute("SELECT 1")
        except (psycopg.Error, OSError) as exc:
            problem = f"the database {self._where} cannot be reached ({type(exc).__name__})"
            if problem != self._unreachable:
                logger.error("DRIFT_OPEN_DB: %s", problem)
            self._unreachable = problem
            return problem
        self._unreachable = ""
        return ""

    def close(self) -> None:
        self._pool.close()

    def _now(self) -> dict[str, float | None]:
        return {"now": self._clock() if self._clock else None}

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with (
            self._pool.connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            yield cursor

    def _read(self, sql: str, parameters: Any) -> list[tuple[Any, ...]]:
        with self._pool.connection() as connection:
            return connection.execute(sql, parameters).fetchall()

    def _enqueue(self, db: Cursor, key: str, outbox: str) -> None:
        if outbox:
            db.execute(
                "INSERT INTO outbox (key, message_json, created_at, touched_at)"
                f" VALUES (%(key)s, %(message)s, {NOW}, {NOW}) ON CONFLICT (key) DO UPDATE"
                " SET message_json = excluded.message_json, touched_at = excluded.touched_at",
                {"key": key, "message": outbox, **self._now()},
            )

    def _mark_stale(self, db: Cursor, where: str, values: dict[str, Any]) -> None:
        db.execute(
            "UPDATE submissions SET state = 'failed', failure = %(failure)s, ambiguous = true,"
            f" updated_at = {NOW} WHERE {where}",
            {**values, "failure": STALE_FAILURE},
        )

    @staticmethod
    def _record_for(db: Cursor, key: str) -> ConversationRecord | None:
        db.execute(f"SELECT {RECORD_COLUMNS} FROM conversations WHERE submission_key = %s", (key,))
        row = db.fetchone()
        return ConversationRecord(*row) if row else None
