"""PostgresStore's once-only marks and per-channel defaults (semantics: SqliteChannelsMixin)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from storage.postgres_sync import NOW
from storage.protocol import DRAFT_TTL_SECONDS, ChannelDefaults
from storage.sqlite_channels import MAX_KEY_LENGTH


class PostgresChannels:
    """`first_time`, `channel_defaults` and `set_channel_defaults` for PostgresStore."""

    _now: Callable[[], dict[str, float | None]]

    def _transaction(self) -> AbstractContextManager[psycopg.Cursor[TupleRow]]:
        raise NotImplementedError

    def _read(self, sql: str, parameters: Any) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def first_time(self, key: str) -> bool:
        """Mark `key`; True only for the first caller (marks older than a week are pruned)."""
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValueError("a mark's key must be 1 to 512 characters")
        values = {"key": key, "ttl": DRAFT_TTL_SECONDS, **self._now()}
        with self._transaction() as db:
            db.execute(f"DELETE FROM seen WHERE created_at < {NOW} - %(ttl)s", values)
            db.execute(
                f"INSERT INTO seen (key, created_at) VALUES (%(key)s, {NOW})"
                " ON CONFLICT (key) DO NOTHING RETURNING key",
                values,
            )
            return db.fetchone() is not None

    def channel_defaults(self, team_id: str, channel_id: str) -> ChannelDefaults:
        """The channel's remembered assignee and source label (empty when never set)."""
        rows = self._read(
            "SELECT assignee_id, source_label FROM channel_defaults"
            " WHERE team_id = %s AND channel_id = %s",
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
        values = {
            "team": team_id,
            "channel": channel_id,
            "assignee": assignee_id,
            "label": source_label,
            **self._now(),
        }
        with self._transaction() as db:
            db.execute(
                "INSERT INTO channel_defaults (team_id, channel_id, assignee_id, source_label,"
                " updated_at) VALUES (%(team)s, %(channel)s, COALESCE(%(assignee)s::text, ''),"
                f" COALESCE(%(label)s::text, ''), {NOW})"
                " ON CONFLICT (team_id, channel_id) DO UPDATE SET"
                " assignee_id = COALESCE(%(assignee)s::text, channel_defaults.assignee_id),"
                " source_label = COALESCE(%(label)s::text, channel_defaults.source_label),"
                " updated_at = excluded.updated_at",
                values,
            )
