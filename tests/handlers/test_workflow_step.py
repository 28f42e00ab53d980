"""The Workflow Builder step against the harness: outputs, the thread answer, exactly once per
execution, and a failure sentence for every way it can go wrong."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from handlers.flow.outcomes import notify_orphans
from handlers.flow.step import draft_from_inputs, step_key
from handlers.ui import ids
from storage.sqlite import SqliteStore
from tests.conftest import Harness
from tests.fakes import payloads
from tests.fakes.slack_functions import Execution


def run_step(harness: Harness, **inputs: Any) -> Execution:
    execution, event = harness.slack.run_step(ids.WORKFLOW_STEP_CALLBACK_ID, inputs)
    assert harness.event(event).status == 200
    return execution


def finished(harness: Harness, execution: Execution) -> Execution:
    harness.slack.wait_for(lambda: execution.state != "running")
    return execution


def test_the_step_creates_the_conversation_and_completes_with_its_outputs(
    harness: Harness,
) -> None:
    message = payloads.user_message("Renewal question")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    execution = run_step(
        harness,
        email="jane@acme.com",
        message=payloads.rich_text("Hi *Jane*"),
        assignee=payloads.USER_ID,
        channel=payloads.CHANNEL_ID,
        message_ts=message["ts"],
    )
    assert finished(harness, execution).state == "completed"
    [created] = harness.drift.conversations
    assert execution.outputs is not None
    assert execution.outputs["conversation_id"] == created.id
    assert execution.outputs["conversation_url"].endswith(f"/conversations/{created.id}")
    [completion] = harness.slack.calls_to("functions.completeSuccess")
    assert completion.token == execution.token
    answer = harness.slack.wait_for(lambda: harness.slack.messages and harness.slack.messages[-1])
    assert (answer.channel, answer.thread_ts) == (payloads.CHANNEL_ID, message["ts"])
    assert "A workflow opened" in str(answer.blocks)
    assert "view in Slack" in created.request["message"]["body"]


def test_without_a_message_nothing_is_posted_in_slack(harness: Harness) -> None:
    execution = run_step(harness, email="jane@acme.com", message="Plain *text*")
    assert finished(harness, execution).state == "completed"
    [created] = harness.drift.conversations
    assert "<strong>text</strong>" in created.request["message"]["body"]
    assert harness.slack.messages == []
    assert harness.slack.ephemerals == []


def test_the_same_execution_delivered_twice_creates_one_conversation(harness: Harness) -> None:
    execution, event = harness.slack.run_step(
        ids.WORKFLOW_STEP_CALLBACK_ID, {"email": "jane@acme.com"}
    )
    assert harness.event(event).status == 200
    assert harness.event(event).status == 200
    finished(harness, execution)
    harness.drain()
    assert harness.drift.created_count == 1
    assert len(harness.slack.calls_to("functions.completeSuccess")) == 1


@pytest.mark.parametrize(
    ("inputs", "reason"),
    [
        ({"email": "jane@acme"}, "email input"),
        ({"email": "jane@acme.com", "channel": "#general"}, "channel input"),
        ({"email": "jane@acme.com", "message_ts": "1.2"}, "needs the channel"),
    ],
)
def test_bad_inputs_fail_the_step_with_the_reason(
    harness: Harness, inputs: dict[str, Any], reason: str
) -> None:
    execution = run_step(harness, **inputs)
    assert finished(harness, execution).state == "failed"
    assert reason in execution.error
    assert harness.drift.conversations == []


def test_drift_refusing_fails_the_step_and_says_so(harness: Harness) -> None:
    harness.drift.fail_next(400, path="/conversations/new")
    execution = run_step(harness, email="jane@acme.com")
    assert finished(harness, execution).state == "failed"
    assert execution.error.startswith("No Drift conversation was created for jane@acme.com")


def test_an_ambiguous_outcome_is_not_guessed(harness: Harness) -> None:
    harness.drift.fail_next(503, path="/conversations/new")
    execution = run_step(harness, email="jane@acme.com")
    assert finished(harness, execution).state == "failed"
    assert "may or may not exist" in execution.error


def test_a_channel_outside_the_allowlist_fails_the_step(make_harness) -> None:
    harness = make_harness(DRIFT_OPEN_ALLOWED_CHANNELS="C0SOMEWHERE")
    execution = run_step(harness, email="jane@acme.com", channel=payloads.CHANNEL_ID)
    assert finished(harness, execution).state == "failed"
    assert "not enabled in that channel" in execution.error


def test_a_step_left_unfinished_by_a_dead_process_is_failed(
    harness: Harness, tmp_path: Path
) -> None:
    now = [1_000_000.0]
    store = SqliteStore(tmp_path / "orphans.sqlite3", clock=lambda: now[0], stale_after=120)
    services = replace(harness.services, store=store)
    execution, _ = harness.slack.run_step(ids.WORKFLOW_STEP_CALLBACK_ID, {"email": "j@acme.com"})
    draft, _ = draft_from_inputs(
        {"email": "j@acme.com"}, team_id="T1", enterprise_id="", execution_id=execution.execution_id
    )
    assert draft is not None
    assert store.claim(step_key("T1", execution.execution_id), draft).state == "new"
    now[0] += 121
    assert notify_orphans(services) == 1
    assert execution.state == "failed"
    assert "may or may not exist" in execution.error
    [call] = harness.slack.calls_to("functions.completeError")
    assert call.token == harness.slack.bot_token
    store.close()
