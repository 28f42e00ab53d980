"""CreateConversation: Drift failures, bounced assignees and duplicate submissions."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from handlers.flow.creation import START_DEADLINE_SECONDS, CreateConversation, Submission
from handlers.submission import submission_key
from handlers.ui import ids, views
from handlers.ui.outcomes import Created, Failed
from storage.protocol import Claim, ConversationRecord, Store
from storage.records import Draft, Origin
from tests.conftest import Harness
from tests.fakes import payloads
from tests.fakes.payloads import rich_text

NEW = "/conversations/new"


@dataclass
class RecordingStore:
    """The real store, with every fail() and claim() remembered."""

    inner: Store
    failures: list[tuple[str, str, bool]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    claimed: threading.Event = field(default_factory=threading.Event)

    def fail(self, key: str, reason: str, *, ambiguous: bool, outbox: str = "") -> None:
        self.failures.append((key, reason, ambiguous))
        self.inner.fail(key, reason, ambiguous=ambiguous, outbox=outbox)

    def claim(self, key: str, draft: Draft) -> Claim:
        claim = self.inner.claim(key, draft)
        self.claims.append(claim)
        self.claimed.set()
        return claim

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass
class Run:
    harness: Harness
    store: RecordingStore
    workflow: CreateConversation
    submission: Submission


def prepare(harness: Harness, *, assignee: str = payloads.USER_ID) -> Run:
    """An open form (as after a command) and the Submission its submit would queue."""
    harness.command()
    view = harness.opened_view()
    origin, nonce = views.decode_metadata(view["private_metadata"])
    draft = Draft(origin, email="jane@acme.com", message=rich_text("Hi Jane"), assignee_id=assignee)
    store = RecordingStore(harness.services.store)
    services = replace(harness.services, store=store)
    submission = Submission(
        submission_key(origin.team_id, view["id"], nonce), draft, view["id"], nonce
    )
    return Run(harness, store, CreateConversation(services, harness.app.client), submission)


def shown(harness: Harness, view_id: str) -> str:
    return json.dumps(harness.slack.views[view_id])


def retry_value(view: dict[str, Any]) -> str:
    for block in view["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == ids.RETRY_ACTION:
                return str(element["value"])
    raise AssertionError("no Try again button")


@pytest.mark.parametrize(
    ("fault", "ambiguous", "created"),
    [
        (lambda drift: drift.fail_next(400, path=NEW), False, 0),
        (lambda drift: drift.fail_next(403, path=NEW), False, 0),
        (lambda drift: drift.fail_next(429, path=NEW, retry_after=60), False, 0),
        (lambda drift: drift.fail_next(500, path=NEW), True, 0),
        (lambda drift: drift.drop_next(path=NEW, after_processing=True), True, 1),
    ],
    ids=["400", "403", "429-past-cap", "500", "dropped-after-processing"],
)
def test_drift_failure_is_recorded_and_shown_with_try_again(
    harness: Harness, fault: Any, ambiguous: bool, created: int
) -> None:
    run = prepare(harness)
    fault(harness.drift)
    outcome = run.workflow.run(run.submission)
    assert isinstance(outcome, Failed)
    assert outcome.ambiguous is ambiguous
    [(key, reason, recorded_ambiguous)] = run.store.failures
    assert (key, reason, recorded_ambiguous) == (run.submission.key, outcome.reason, ambiguous)
    assert len(harness.drift.calls_to("POST", NEW)) == 1
    assert harness.drift.created_count == created
    view = harness.slack.views[run.submission.view_id]
    text = json.dumps(view)
    assert ("may or may not have been created" in text) is ambiguous
    assert ("was not created" in text) is not ambiguous
    assert run.store.load_draft(retry_value(view)) == run.submission.draft
    assert harness.slack.messages == []
    again = harness.services.store.claim(run.submission.key, run.submission.draft)
    assert again.state == ("failed" if ambiguous else "new")


def test_failure_with_the_modal_closed_is_told_privately(harness: Harness) -> None:
    run = prepare(harness)
    harness.slack.close_view(run.submission.view_id)
    harness.drift.fail_next(500, path=NEW)
    run.workflow.run(run.submission)
    [note] = harness.slack.ephemerals
    assert note.user == payloads.USER_ID
    assert run.store.load_draft(retry_value({"blocks": note.blocks})) == run.submission.draft


@pytest.mark.parametrize("assignee", [payloads.BOT_USER_ID, "U0LEFTCO"])
def test_unassignable_assignee_bounces_back_to_the_form(harness: Harness, assignee: str) -> None:
    harness.slack.add_user("U0LEFTCO", name="left", real_name="Left Co", deleted=True)
    run = prepare(harness, assignee=assignee)
    outcome = run.workflow.run(run.submission)
    assert isinstance(outcome, Failed)
    assert harness.drift.calls_to("POST", NEW) == []
    view = harness.slack.views[run.submission.view_id]
    assert view["callback_id"] == ids.FORM_CALLBACK_ID
    assert ":warning:" in view["blocks"][0]["text"]["text"]
    assert "choose" in view["blocks"][0]["text"]["text"]
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert elements[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"
    assert "Hi Jane" in json.dumps(elements[ids.MESSAGE_BLOCK]["initial_value"])
    assert elements[ids.ASSIGNEE_BLOCK]["initial_user"] == assignee
    assert views.decode_metadata(view["private_metadata"])[1] == run.submission.nonce
    [(_, _, ambiguous)] = run.store.failures
    assert ambiguous is False


def test_created_is_recorded_shown_and_posted(harness: Harness) -> None:
    run = prepare(harness)
    outcome = run.workflow.run(run.submission)
    assert isinstance(outcome, Created)
    assert outcome.assignee_name == "Riley Rep"
    assert "Created" in shown(harness, run.submission.view_id)
    [answer] = harness.slack.messages
    assert outcome.url in json.dumps(answer.blocks)
    [record] = harness.services.store.recent_for_user(payloads.TEAM_ID, payloads.USER_ID)
    assert record.submission_key == run.submission.key
    assert record.url == outcome.url


def test_pending_duplicate_waits_for_the_first_result(harness: Harness) -> None:
    run = prepare(harness)
    first = harness.services.store.claim(run.submission.key, run.submission.draft)
    assert first.state == "new"
    results: list[Created | Failed | None] = []
    waiter = threading.Thread(target=lambda: results.append(run.workflow.run(run.submission)))
    waiter.start()
    assert run.store.claimed.wait(5)
    assert run.store.claims[0].state == "pending"
    record = ConversationRecord(
        team_id=payloads.TEAM_ID,
        channel_id=payloads.CHANNEL_ID,
        message_ts="",
        source="command",
        user_id=payloads.USER_ID,
        assignee_slack_id=payloads.USER_ID,
        assignee_drift_id=21849,
        contact_email="jane@acme.com",
        conversation_id=42,
        inbox_id=7,
        url="https://app.drift.com/inboxes/7/conversations/42",
        created_at=time.time(),
        submission_key=run.submission.key,
    )
    harness.services.store.complete(run.submission.key, record)
    waiter.join(10)
    assert not waiter.is_alive()
    [outcome] = results
    assert isinstance(outcome, Created)
    assert outcome.duplicate
    assert outcome.url == record.url
    assert harness.drift.calls_to("POST", NEW) == []
    assert "Already created" in shown(harness, run.submission.view_id)
    assert harness.slack.messages == []


class BrokenNames:
    def user(self, user_id: str) -> None:
        raise RuntimeError("names exploded")


def test_unexpected_failure_before_drift_is_a_sure_failure(harness: Harness) -> None:
    run = prepare(harness)
    services = replace(harness.services, store=run.store, names=BrokenNames())
    outcome = CreateConversation(services, harness.app.client).run(run.submission)
    assert isinstance(outcome, Failed)
    assert outcome.ambiguous is False
    assert "Nothing was sent to Drift" in outcome.reason
    assert harness.drift.calls_to("POST", NEW) == []
    assert "Try again" in shown(harness, run.submission.view_id)


class CompleteFails(RecordingStore):
    def complete(self, key: str, record: ConversationRecord, *, outbox: str = "") -> None:
        raise sqlite3.OperationalError("disk I/O error")


def test_failure_after_drift_created_the_conversation_is_ambiguous(
    harness: Harness,
) -> None:
    run = prepare(harness)
    store = CompleteFails(harness.services.store)
    services = replace(harness.services, store=store)
    outcome = CreateConversation(services, harness.app.client).run(run.submission)
    assert harness.drift.created_count == 1
    assert isinstance(outcome, Failed)
    assert outcome.ambiguous is True
    assert "Nothing was sent to Drift" not in shown(harness, run.submission.view_id)
    assert "may or may not have been created" in shown(harness, run.submission.view_id)
    [(_, _, ambiguous)] = store.failures
    assert ambiguous is True


def test_origin_without_channel_name_asks_slack(harness: Harness) -> None:
    run = prepare(harness)
    origin = Origin(
        team_id=payloads.TEAM_ID, user_id=payloads.USER_ID, channel_id=payloads.CHANNEL_ID
    )
    run.workflow.run(replace(run.submission, draft=replace(run.submission.draft, origin=origin)))
    [created] = harness.drift.conversations
    assert created.request["message"]["attributes"]["integrationSource"].startswith(
        "Slack · #general"
    )


def test_a_job_that_cannot_reach_drift_within_a_minute_sends_nothing(harness: Harness) -> None:
    run = prepare(harness)
    late = replace(run.submission, accepted_at=time.monotonic() - START_DEADLINE_SECONDS - 1)
    outcome = run.workflow.run(late)
    assert isinstance(outcome, Failed)
    assert outcome.ambiguous is False
    assert "nothing was sent" in outcome.reason
    assert harness.drift.calls_to("POST", NEW) == []
