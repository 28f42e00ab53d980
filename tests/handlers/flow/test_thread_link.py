"""The thread where the answer lands is linked to the conversation, and the answer says so."""

from __future__ import annotations

import pytest

from handlers.flow.creation import CreateConversation, Submission
from handlers.ui.messages import SYNCED_THREAD_NOTE
from storage.records import Draft, Origin, Source
from tests.conftest import Harness
from tests.fakes import payloads
from tests.fakes.payloads import rich_text

ROOT = "1700000000.000100"


def run(harness: Harness, **origin: str) -> None:
    harness.command()
    view = harness.opened_view()
    fields = {"team_id": payloads.TEAM_ID, "user_id": payloads.USER_ID}
    fields["channel_id"] = payloads.CHANNEL_ID
    source: Source = "shortcut" if origin.get("message_ts") else "command"
    draft = Draft(
        Origin(**fields, **origin, source=source),
        email="jane@acme.com",
        message=rich_text("Hi Jane"),
        assignee_id="",
    )
    submission = Submission(f"key-{view['id']}", draft, view["id"], "nonce")
    outcome = CreateConversation(harness.services, harness.app.client).run(submission)
    assert outcome is not None


@pytest.mark.parametrize(
    ("origin", "thread"),
    [
        ({"message_ts": ROOT}, ROOT),
        ({"message_ts": "1700000000.000200", "thread_ts": ROOT}, ROOT),
        ({}, "answer"),
    ],
    ids=["message", "reply in a thread", "command"],
)
def test_the_answers_thread_is_linked(
    harness: Harness, origin: dict[str, str], thread: str
) -> None:
    run(harness, **origin)
    [answer] = harness.slack.messages
    root = answer.ts if thread == "answer" else thread
    assert answer.thread_ts == (None if thread == "answer" else thread)
    link = harness.services.store.thread_link(payloads.TEAM_ID, payloads.CHANNEL_ID, root)
    [created] = harness.drift.conversations
    assert link is not None
    assert (link.conversation_id, link.inbox_id) == (created.id, created.response["inboxId"])
    assert SYNCED_THREAD_NOTE in str(answer.blocks)


@pytest.mark.parametrize(("sync", "note"), [("to-slack", False), ("to-drift", True)])
def test_the_note_line_follows_drift_sync(make_harness, sync: str, note: bool) -> None:
    harness = make_harness(DRIFT_SYNC=sync)
    run(harness)
    [answer] = harness.slack.messages
    assert (SYNCED_THREAD_NOTE in str(answer.blocks)) is note
    assert harness.services.store.conversation_link(harness.drift.conversations[0].id)


def test_with_sync_off_nothing_is_linked(make_harness) -> None:
    harness = make_harness(DRIFT_SYNC="off")
    run(harness)
    [answer] = harness.slack.messages
    assert SYNCED_THREAD_NOTE not in str(answer.blocks)
    assert harness.services.store.conversation_link(harness.drift.conversations[0].id) is None


def test_a_fallback_answer_links_nothing(harness: Harness) -> None:
    harness.slack.directory.channels.pop(payloads.CHANNEL_ID, None)
    run(harness)
    [answer] = harness.slack.messages
    assert answer.dm_user == payloads.USER_ID  # the answer went to a DM: no thread to link
    assert harness.services.store.conversation_link(harness.drift.conversations[0].id) is None
