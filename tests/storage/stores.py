"""Data for the store tests: a settable wall clock, a draft and a conversation record."""

from __future__ import annotations

from dataclasses import replace

from storage.protocol import ConversationRecord
from storage.records import Draft, Origin
from tests.clock import START, FakeClock

__all__ = ["START", "FakeClock", "make_draft", "make_record"]


def make_draft(text: str = "Customer asks about pricing", **origin: str) -> Draft:
    fields = {"team_id": "T1", "user_id": "U1", "channel_id": "C1", "message_ts": "1.000100"}
    fields.update(origin)
    return Draft(
        origin=Origin(**fields),
        email="customer@example.com",
        message={
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        },
        assignee_id="U2",
    )


def make_record(key: str, conversation_id: int = 101, **changes: object) -> ConversationRecord:
    record = ConversationRecord(
        team_id="T1",
        channel_id="C1",
        message_ts="1.000100",
        source="shortcut",
        user_id="U1",
        assignee_slack_id="U2",
        assignee_drift_id=21,
        contact_email="customer@example.com",
        conversation_id=conversation_id,
        inbox_id=7,
        url=f"https://app.drift.com/conversations/{conversation_id}",
        created_at=START,
        submission_key=key,
    )
    return replace(record, **changes)
