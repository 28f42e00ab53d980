"""SqliteStore's once-only marks and per-channel defaults (see storage/protocol.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from storage.protocol import DRAFT_TTL_SECONDS, ChannelDefaults

MAX_KEY_LENGTH = 512

# Schema version 3 (storage/sqlite_schema.py); the same statements suit PostgreSQL with
# DOUBLE PRECISION for REAL.
CHANNELS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, created_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS seen_by_age ON seen (created_at)",
    """CREATE TABLE IF NOT EXISTS channel_defaults (
        team_id TEXT NOT NULL, channel_id TEXT NOT NULL,
        assignee_id TEXT NOT NULL DEFAULT '', source_label TEXT NOT NULL DEFAULT '',
        updated_at REAL NOT NULL, PRIMARY KEY (team_id, channel_id))""",
)


class SqliteChannelsMixin:
    """`first_time`, `channel_defaults` and `set_channel_defaults` for SqliteStore."""

    _clock: Callable[[], float]

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _read(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def first_time(self, key: str) -> bool:
        """Mark `key`; True only for the first caller (marks older than a week are pruned)."""
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValueError("a mark's key must be 1 to 512 characters")
        now = self._clock()
        with self._transaction() as db:
            db.execute("DELETE FROM seen WHERE created_at < ?", (now - DRAFT_TTL_SECONDS,))
            inserted = db.execute(
                "INSERT INTO seen (key, created_at) VALUES (?, ?)"
                " ON CONFLICT (key) DO NOTHING RETURNING key",
                (key, now),
            ).fetchall()
        return bool(inserted)

    def channel_defaults(self, team_id: str, channel_id: str) -> ChannelDefaults:
        """The channel's remembered assignee and source label (empty when never set)."""
        rows = self._read(
            "SELECT assignee_id, source_label FROM channel_defaults"
            " WHERE team_id = ? AND channel_id = ?",
            (team_id, channel_id),
        )
        return ChannelDefaults(*rows[0]) if rows else ChannelDefaults()

    def set_channel_defaults(
        self,
        team_id: str,
        channel_id: str,
        *,
        assignee_id: str | None = None,
        source_label: str | None = None,
    ) -> None:
        """Change the given values of the channel's defaults; None keeps a value as it is."""
        if not channel_id:
            return
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO channel_defaults (team_id, channel_id, assignee_id, source_label,"
                " updated_at) VALUES (?, ?, COALESCE(?, ''), COALESCE(?, ''), ?)"
                " ON CONFLICT (team_id, channel_id) DO UPDATE SET"
                " assignee_id = COALESCE(?, channel_defaults.assignee_id),"
                " source_label = COALESCE(?, channel_defaults.source_label),"
                " updated_at = excluded.updated_at",
                (team_id, channel_id, assignee_id, source_label, now, assignee_id, source_label),
            )
