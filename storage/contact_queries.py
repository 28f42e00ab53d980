"""The conversations known with one contact, as a mixin any SQL backend of the Store can use.

The host class supplies `_read(sql, parameters)` and names its parameter marker in
`_placeholder` ("?" for SQLite, "%s" for psycopg); the SQL is otherwise the same on both.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from storage.protocol import ConversationRecord

SCANNED_RECORDS = 200
CONTACT_INDEX = (
    "CREATE INDEX IF NOT EXISTS conversations_by_contact"
    " ON conversations (team_id, lower(contact_email), created_at)"
)
_COLUMNS = ", ".join(field.name for field in fields(ConversationRecord))


class ContactQueries:
    """`recent_for_contact` for a SQL store."""

    _placeholder = "?"

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
        mark = self._placeholder
        rows = self._read(
            f"SELECT {_COLUMNS} FROM conversations WHERE team_id = {mark}"
            f" AND lower(contact_email) = lower({mark})"
            f" ORDER BY created_at DESC, id DESC LIMIT {mark}",
            (team_id, email, SCANNED_RECORDS),
        )
        first_of: dict[int, ConversationRecord] = {}
        for row in rows:
            record = ConversationRecord(*row)
            first_of[record.conversation_id] = record
        return list(first_of.values())[:limit]
