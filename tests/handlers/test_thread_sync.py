"""Replies in a linked thread become internal notes in Drift; everything else is ignored."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.flow.sync_sender import NOTE_REFUSED
from tests.conftest import REP_DRIFT_ID, Harness
from tests.fakes import payloads
from tests.sync_fixtures import ROOT, Linked, link_conversation


@pytest.fixture
def linked(harness: Harness) -> Linked:
    return link_conversation(harness)


def notes(linked: Linked) -> list[dict[str, Any]]:
    return [
        m for m in linked.harness.drift.messages if m["conversationId"] == linked.conversation_id
    ]


def test_a_reply_becomes_a_note_as_the_authors_drift_user(linked: Linked) -> None:
    linked.reply("Customer *really* wants <https://x.test|the docs>", blocks=[])
    assert linked.sender.send_pending() == 1
    [note] = notes(linked)
    assert note["type"] == "private_note"
    assert note["userId"] == REP_DRIFT_ID
    assert "<strong>really</strong>" in note["body"] or "<b>really</b>" in note["body"]
    assert 'href="https://x.test"' in note["body"] and "the docs</a>" in note["body"]
    assert "replied in Slack" not in note["body"]


def test_an_unmapped_author_is_named_in_an_attribution_line(linked: Linked) -> None:
    linked.harness.slack.add_user("U0STRANGER", name="sam", real_name="Sam <b>Smith</b>")
    linked.reply("hello", user="U0STRANGER")
    linked.sender.send_pending()
    [note] = notes(linked)
    assert "userId" not in note
    assert "Sam &lt;b&gt;Smith&lt;/b&gt; replied in Slack" in note["body"]


def test_the_same_event_twice_makes_one_note(linked: Linked) -> None:
    event = linked.reply("once")
    linked.harness.event(event)
    linked.harness.settle_listeners()
    linked.sender.send_pending()
    assert len(notes(linked)) == 1


@pytest.mark.parametrize("subtype", ["thread_broadcast", "file_share"])
def test_broadcasts_and_files_are_synced(linked: Linked, subtype: str) -> None:
    linked.reply("also this", subtype=subtype)
    linked.sender.send_pending()
    assert len(notes(linked)) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"subtype": "channel_join"},
        {"subtype": "bot_message", "bot_id": "B0OTHER"},
        {"bot_id": "B0OTHER"},
        {"user": payloads.BOT_USER_ID},
        {"user_team": "T0OTHERORG"},
        {"thread_ts": None},
    ],
    ids=["join", "bot message", "bot id", "drift-open itself", "other organisation", "top level"],
)
def test_what_is_not_a_persons_reply_is_ignored(linked: Linked, fields: dict[str, Any]) -> None:
    event = payloads.user_message("ignored", thread_ts=ROOT)
    event.update({key: value for key, value in fields.items() if value is not None})
    for key in [key for key, value in fields.items() if value is None]:
        event.pop(key, None)
    event["channel"] = linked.link.channel_id
    linked.harness.event(event)
    linked.harness.settle_listeners()
    assert linked.sender.send_pending() == 0
    assert notes(linked) == []


def test_a_reply_in_an_unlinked_thread_is_ignored(linked: Linked) -> None:
    event = payloads.user_message("elsewhere", thread_ts="1600000000.000001")
    event["channel"] = linked.link.channel_id
    linked.harness.event(event)
    linked.harness.settle_listeners()
    assert linked.sender.send_pending() == 0


def test_an_edit_and_a_deletion_add_short_notes(linked: Linked) -> None:
    reply = linked.reply("first words")
    edited = {**reply, "text": "better words", "edited": {"ts": "1700000001.000001"}}
    edited["blocks"] = [payloads.rich_text("better words")]
    changed = {
        "type": "message",
        "subtype": "message_changed",
        "channel": linked.link.channel_id,
        "ts": "1700000001.000002",
        "message": edited,
        "previous_message": reply,
    }
    linked.harness.event(changed)
    linked.harness.settle_listeners()  # Bolt runs listeners in parallel: one event at a time
    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": linked.link.channel_id,
        "ts": "1700000002.000001",
        "deleted_ts": reply["ts"],
        "previous_message": edited,
    }
    linked.harness.event(deleted)
    linked.harness.settle_listeners()
    linked.sender.send_pending()
    bodies = [note["body"] for note in notes(linked)]
    assert len(bodies) == 3
    assert "first words" in bodies[0]
    assert "edited a reply in Slack" in bodies[1] and "better words" in bodies[1]
    assert "deleted a reply in Slack" in bodies[2]


def test_an_unchanged_text_is_not_an_edit(linked: Linked) -> None:
    reply = linked.reply("same")
    changed = {
        "type": "message",
        "subtype": "message_changed",
        "channel": linked.link.channel_id,
        "ts": "1700000001.000002",
        "message": {**reply, "attachments": [{"title": "unfurl"}]},
        "previous_message": reply,
    }
    linked.harness.event(changed)
    linked.harness.settle_listeners()
    linked.sender.send_pending()
    assert len(notes(linked)) == 1


def test_a_note_drift_refuses_is_reported_once_not_retried(linked: Linked) -> None:
    path = f"/conversations/{linked.conversation_id}/messages"
    linked.harness.drift.fail_next(404, times=2, path=path)
    linked.reply("one")
    linked.reply("two")
    linked.sender.send_pending()
    linked.sender.send_pending()
    assert notes(linked) == []
    [warning] = linked.thread_posts()
    assert NOTE_REFUSED.split(":")[0] in warning
    assert linked.sender.send_pending() == 0


def test_with_sync_to_slack_only_replies_stay_in_slack(make_harness) -> None:
    harness = make_harness(DRIFT_SYNC="to-slack")
    linked = link_conversation(harness)
    linked.reply("kept in Slack")
    assert linked.sender.send_pending() == 0
