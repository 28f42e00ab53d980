"""A step's inputs as a Draft, and its outcome kept in the outbox until Slack took it."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.flow.outbox import Outbound, created_outbound, failed_outbound
from handlers.flow.step import draft_from_inputs, step_message
from handlers.ui.outcomes import Created, Failed
from storage.records import Origin
from tests.fakes import payloads

STEP_ORIGIN = Origin(
    team_id="T1",
    user_id="",
    channel_id="C1",
    source="workflow",
    message_ts="1.000100",
    function_execution_id="Fx1",
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (payloads.rich_text("Rich"), "Rich"),
        ("Plain *bold*", "bold"),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_the_message_input_is_rich_text_or_plain_text(value: Any, text: str | None) -> None:
    message = step_message(value)
    assert message["type"] == "rich_text"
    if text is None:
        assert message["elements"] == []
    else:
        assert text in str(message)


@pytest.mark.parametrize(
    ("inputs", "problem"),
    [
        ({"email": ""}, "email input"),
        ({"email": "a b@c.co"}, "email input"),
        ({"email": "a@b.co", "assignee": "jane"}, "assignee input"),
        ({"email": "a@b.co", "channel": "C1", "message_ts": "yesterday"}, "message_ts input"),
        ({"email": "a@b.co", "message_ts": "1.2"}, "needs the channel"),
    ],
)
def test_unusable_inputs_say_which(inputs: dict[str, Any], problem: str) -> None:
    draft, reason = draft_from_inputs(inputs, team_id="T1", enterprise_id="", execution_id="Fx1")
    assert draft is None and problem in reason


def test_good_inputs_make_a_workflow_draft() -> None:
    inputs = {"email": " a@b.co ", "assignee": "U1", "channel": "C1", "message_ts": "1.000100"}
    draft, reason = draft_from_inputs(inputs, team_id="T1", enterprise_id="E1", execution_id="Fx1")
    assert reason == "" and draft is not None
    assert (draft.email, draft.assignee_id) == ("a@b.co", "U1")
    assert draft.origin.source == "workflow"
    assert draft.origin.function_execution_id == "Fx1"
    assert draft.origin.reply_thread_ts == "1.000100"


def test_a_step_outcome_survives_the_outbox() -> None:
    created = Created("a@b.co", "https://app.drift.com/conversations/9", "", conversation_id=9)
    outbound = created_outbound(created, "", STEP_ORIGIN, shared=False)
    again = Outbound.from_json(outbound.to_json())
    assert again.outputs == {"conversation_id": 9, "conversation_url": created.url}
    assert again.origin.function_execution_id == "Fx1"
    failed = failed_outbound(Failed("a@b.co", "Drift said no.", draft_id="d"), "", STEP_ORIGIN)
    again = Outbound.from_json(failed.to_json())
    assert again.outputs is None
    assert again.error == "No Drift conversation was created for a@b.co: Drift said no."
