"""SqliteStore's lookup of the conversations drift-open knows with one contact."""

from __future__ import annotations

from typing import Any

from storage.protocol import ConversationRecord
from storage.sqlite_schema import RECORD_COLUMNS

SCANNED_RECORDS = 200


class ContactQueries:
    """`recent_for_contact`, mixed into SqliteStore (which supplies `_read`)."""

    def _read(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def recent_for_contact(
        self, team_id: str, email: str, limit: int = 5
    ) -> list[ConversationRecord]:
        """The Drift conversations with `email` (any case) in this team, one record each (the
        first, which says when it started), the most recently used first; a conversation a
        thread was added to counts as used then."""
        if limit < 1 or not email:
            return []
        rows = self._read(
            f"SELECT {RECORD_COLUMNS} FROM conversations WHERE team_id = ?"
            " AND lower(contact_email) = lower(?) ORDER BY created_at DESC, id DESC LIMIT ?",
            (team_id, email, SCANNED_RECORDS),
        )
        first_of: dict[int, ConversationRecord] = {}
        for row in rows:
            record = ConversationRecord(*row)
            first_of[record.conversation_id] = record
        return list(first_of.values())[:limit]
