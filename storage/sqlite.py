"""`SqliteStore`: the `Store` of storage/protocol.py on one embedded SQLite file.

The submission states and what `claim(key)` answers are documented with the protocol in
storage/protocol.py; the schema is in storage/sqlite_schema.py, the sync tables' methods in
storage/sqlite_sync.py.

Concurrency: one connection per store, used under a `threading.Lock` (`check_same_thread=False`).
SQLite admits one writer at a time anyway; threads of one process queueing on a mutex hand over
in microseconds, whereas per-thread connections would queue in SQLite's busy handler, which
sleeps in steps of up to 100 ms, and would leak connections of finished pool threads. Reads
take well under a millisecond, so serialising them costs nothing at bot scale. Across processes
every write is one `BEGIN IMMEDIATE` transaction (the write lock is taken before the read that
decides), and `busy_timeout` makes the other process wait instead of failing. WAL lets readers
proceed during a write; `synchronous=NORMAL` in WAL mode survives application crashes (a power
loss may drop the last commits). Times come from `clock` (wall-clock epoch seconds, as they
must stay meaningful across restarts).
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Self

from storage.contact_queries import ContactQueries
from storage.migrations import migrations_after
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
from storage.sqlite_channels import SqliteChannelsMixin
from storage.sqlite_schema import MIGRATIONS, RECORD_COLUMNS, RECORD_PLACEHOLDERS, TOUCH_BATCH
from storage.sqlite_sync import SqliteSync

logger = logging.getLogger("drift_open")


class SqliteStore(SqliteSync, ContactQueries, SqliteChannelsMixin):
    """`Store` on an embedded SQLite file (WAL), safe across threads and processes."""

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Callable[[], float] = time.time,
        stale_after: float = STALE_AFTER_SECONDS,
        busy_timeout: float = 10.0,
    ) -> None:
        self._clock = clock
        self._stale_after = stale_after
        self._lock = threading.Lock()
        self._path = Path(path)
        self._identity: tuple[int, int] | None = None
        self._gone_reported = False
        self._connection = sqlite3.connect(
            str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
            self._identity = self._file_identity()
        except BaseException:
            self._connection.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def claim(self, key: str, draft: Draft) -> Claim:
        """Record `key` as pending unless already known; handlers/store.py lists the states."""
        now = self._clock()
        with self._transaction() as db:
            row = db.execute(
                "SELECT state, attempts, failure, ambiguous, updated_at"
                " FROM submissions WHERE key = ?",
                (key,),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO submissions (key, state, draft_json, attempts, created_at,"
                    " updated_at) VALUES (?, 'pending', ?, 1, ?, ?)",
                    (key, draft.to_json(), now, now),
                )
                return Claim("new", attempts=1)
            state, attempts, failure, ambiguous, updated_at = row
            if state == "done":
                return Claim("done", record=self._record_for(db, key), attempts=attempts)
            if state == "pending" and now - updated_at < self._stale_after:
                return Claim("pending", attempts=attempts)
            if state == "pending":
                self._mark_stale(db, "key = ?", (key,), now)
                return Claim("failed", failure=STALE_FAILURE, ambiguous=True, attempts=attempts)
            if ambiguous:
                return Claim("failed", failure=failure, ambiguous=True, attempts=attempts)
            db.execute(
                "UPDATE submissions SET state = 'pending', draft_json = ?,"
                " attempts = attempts + 1, updated_at = ? WHERE key = ?",
                (draft.to_json(), now, key),
            )
            return Claim("new", failure=failure, attempts=attempts + 1)

    def complete(self, key: str, record: ConversationRecord, *, outbox: str = "") -> None:
        """Record the conversation made for `key` (the first record for a key is kept), and
        `outbox`, the message that tells the rep, in the same transaction."""
        if record.submission_key not in ("", key):
            raise ValueError("record.submission_key does not match the key being completed")
        record = replace(record, submission_key=key)
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO conversations ({RECORD_COLUMNS}) VALUES ({RECORD_PLACEHOLDERS})"
                " ON CONFLICT (submission_key) DO NOTHING",
                tuple(getattr(record, field.name) for field in fields(record)),
            )
            db.execute(
                "INSERT INTO submissions (key, state, draft_json, attempts, created_at,"
                " updated_at) VALUES (?, 'done', '', 1, ?, ?) ON CONFLICT (key) DO UPDATE"
                " SET state = 'done', ambiguous = 0, updated_at = excluded.updated_at",
                (key, now, now),
            )
            self._enqueue(db, key, outbox, now)

    def fail(self, key: str, reason: str, *, ambiguous: bool, outbox: str = "") -> None:
        """Record that the attempt for `key` failed (`ambiguous` if Drift may have acted on
        it), and `outbox`, the message that tells the rep, in the same transaction."""
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO submissions (key, state, draft_json, attempts, failure, ambiguous,"
                " created_at, updated_at) VALUES (?, 'failed', '', 1, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET state = 'failed', failure = excluded.failure,"
                " ambiguous = excluded.ambiguous, updated_at = excluded.updated_at"
                " WHERE submissions.state != 'done'",
                (key, reason, int(ambiguous), now, now),
            )
            self._enqueue(db, key, outbox, now)

    def delivered(self, key: str) -> None:
        """Slack accepted the message for `key` (or it was given up on): forget it."""
        with self._transaction() as db:
            db.execute("DELETE FROM outbox WHERE key = ?", (key,))

    def take_undelivered(self) -> list[Undelivered]:
        """Messages whose owner stopped touching them, oldest first; taken by this caller."""
        now = self._clock()
        with self._transaction() as db:
            rows = db.execute(
                "UPDATE outbox SET touched_at = ? WHERE touched_at <= ?"
                " RETURNING key, message_json, created_at",
                (now, now - self._stale_after),
            ).fetchall()
        return [Undelivered(key, message) for key, message, _ in sorted(rows, key=lambda r: r[2])]

    def touch(self, keys: Collection[str]) -> None:
        """Keep these pending submissions alive: their owner is still working on them."""
        pending = list(keys)
        now = self._clock()
        with self._transaction() as db:
            for start in range(0, len(pending), TOUCH_BATCH):
                batch = pending[start : start + TOUCH_BATCH]
                marks = ", ".join("?" for _ in batch)
                db.execute(
                    "UPDATE submissions SET updated_at = ? WHERE state = 'pending'"
                    f" AND key IN ({marks})",
                    (now, *batch),
                )
                db.execute(
                    f"UPDATE outbox SET touched_at = ? WHERE key IN ({marks})", (now, *batch)
                )

    def expire_stale(self) -> list[StaleSubmission]:
        """Turn every stale pending submission into an ambiguous failure and return them once."""
        now = self._clock()
        cutoff = now - self._stale_after
        with self._transaction() as db:
            rows = db.execute(
                "SELECT key, draft_json FROM submissions WHERE state = 'pending'"
                " AND updated_at <= ? ORDER BY updated_at",
                (cutoff,),
            ).fetchall()
            self._mark_stale(db, "state = 'pending' AND updated_at <= ?", (cutoff,), now)
        return [StaleSubmission(key, Draft.from_json(draft_json)) for key, draft_json in rows]

    def find_by_message(
        self, team_id: str, channel_id: str, message_ts: str
    ) -> ConversationRecord | None:
        """The newest conversation made from this message; None for "" (a slash command)."""
        if not message_ts:
            return None
        rows = self._read(
            f"SELECT {RECORD_COLUMNS} FROM conversations WHERE team_id = ? AND channel_id = ?"
            " AND message_ts = ? ORDER BY created_at DESC, id DESC LIMIT 1",
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
            f"SELECT {RECORD_COLUMNS} FROM conversations WHERE team_id = ? AND user_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (team_id, user_id, limit),
        )
        return [ConversationRecord(*row) for row in rows]

    def save_draft(self, draft: Draft) -> str:
        """Keep `draft` for a week under a short unguessable id; prunes expired drafts."""
        draft_id = secrets.token_urlsafe(12)
        now = self._clock()
        with self._transaction() as db:
            db.execute("DELETE FROM drafts WHERE created_at < ?", (now - DRAFT_TTL_SECONDS,))
            db.execute(
                "INSERT INTO drafts (id, draft_json, created_at) VALUES (?, ?, ?)",
                (draft_id, draft.to_json(), now),
            )
        return draft_id

    def load_draft(self, draft_id: str) -> Draft | None:
        """The draft saved under `draft_id`, or None if unknown or older than a week."""
        if not draft_id or len(draft_id) > MAX_DRAFT_ID_LENGTH:
            return None
        rows = self._read(
            "SELECT draft_json FROM drafts WHERE id = ? AND created_at >= ?",
            (draft_id, self._clock() - DRAFT_TTL_SECONDS),
        )
        return Draft.from_json(rows[0][0]) if rows else None

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def _migrate(self) -> None:
        with self._transaction() as db:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            for migration in migrations_after(version, MIGRATIONS):
                for statement in migration.statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {migration.version:d}")

    def problem(self) -> str:
        """Why the store cannot be trusted ("" when it can): the file was deleted or replaced
        while open, so writes would go to an inode nobody will ever read again."""
        if self._identity is None or self._file_identity() == self._identity:
            return ""
        problem = f"the database file {self._path} was deleted or replaced while running"
        if not self._gone_reported:
            self._gone_reported = True
            logger.error("DRIFT_OPEN_DB: %s; restart drift-open to open it again", problem)
        return problem

    def _file_identity(self) -> tuple[int, int] | None:
        if str(self._path) == ":memory:":
            return None
        try:
            info = os.stat(self._path)
        except FileNotFoundError:
            return (-1, -1)
        return (info.st_dev, info.st_ino)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        problem = self.problem()
        if problem:
            raise sqlite3.OperationalError(problem)
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def _read(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    @staticmethod
    def _enqueue(db: sqlite3.Connection, key: str, outbox: str, now: float) -> None:
        if outbox:
            db.execute(
                "INSERT INTO outbox (key, message_json, created_at, touched_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE"
                " SET message_json = excluded.message_json, touched_at = excluded.touched_at",
                (key, outbox, now, now),
            )

    @staticmethod
    def _mark_stale(
        db: sqlite3.Connection, where: str, parameters: tuple[object, ...], now: float
    ) -> None:
        db.execute(
            "UPDATE submissions SET state = 'failed', failure = ?, ambiguous = 1,"
            f" updated_at = ? WHERE {where}",
            (STALE_FAILURE, now, *parameters),
        )

    @staticmethod
    def _record_for(db: sqlite3.Connection, key: str) -> ConversationRecord | None:
        row = db.execute(
            f"SELECT {RECORD_COLUMNS} FROM conversations WHERE submission_key = ?", (key,)
        ).fetchone()
        return ConversationRecord(*row) if row else None
