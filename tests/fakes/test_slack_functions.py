"""The fake's Workflow Builder steps: function_executed events and functions.complete* checks."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import FakeSlack

STEP = "create_drift_conversation"
URL = "https://app.drift.com/conversations/1"


def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_the_event_carries_the_execution_its_token_and_the_step(slack: FakeSlack) -> None:
    execution, event = slack.run_step(STEP, {"email": "a@b.co"})
    assert event["type"] == "function_executed"
    assert event["function"]["callback_id"] == STEP
    assert event["function_execution_id"] == execution.execution_id
    assert execution.execution_id.startswith("Fx")
    assert event["bot_access_token"].startswith("xwfp-")
    assert event["inputs"] == {"email": "a@b.co"}
    assert {p["name"] for p in event["function"]["output_parameters"]} == {
        "conversation_id",
        "conversation_url",
    }


def test_a_required_input_must_be_given(slack: FakeSlack) -> None:
    with pytest.raises(ValueError):
        slack.run_step(STEP, {"message": "no email"})


@pytest.mark.parametrize(
    "outputs",
    [
        {"conversation_id": 1},
        {"conversation_id": "1", "conversation_url": URL},
        {"conversation_id": True, "conversation_url": URL},
        {"conversation_id": 1, "conversation_url": URL, "extra": "x"},
    ],
)
def test_outputs_must_fit_the_declared_parameters(
    slack: FakeSlack, web: WebClient, outputs: dict[str, Any]
) -> None:
    execution, _ = slack.run_step(STEP, {"email": "a@b.co"})
    call = lambda: web.functions_completeSuccess(  # noqa: E731
        function_execution_id=execution.execution_id, outputs=outputs
    )
    assert error_of(call) == "parameter_validation_failed"
    assert execution.state == "running"


def test_an_execution_is_finished_once_and_its_token_then_expires(
    slack: FakeSlack, web: WebClient
) -> None:
    execution, _ = slack.run_step(STEP, {"email": "a@b.co"})
    own = WebClient(token=execution.token, base_url=slack.base_url, retry_handlers=[])
    own.functions_completeSuccess(
        function_execution_id=execution.execution_id,
        outputs={"conversation_id": 1, "conversation_url": URL},
    )
    assert execution.state == "completed"
    again = lambda: web.functions_completeError(  # noqa: E731
        function_execution_id=execution.execution_id, error="late"
    )
    assert error_of(again) == "execution_not_in_running_state"
    assert error_of(lambda: own.auth_test()) == "invalid_auth"


@pytest.mark.parametrize(
    ("execution_id", "error", "code"),
    [("FxUNKNOWN", "boom", "function_execution_not_found"), (None, "  ", "invalid_arguments")],
)
def test_complete_error_needs_a_known_execution_and_a_reason(
    slack: FakeSlack, web: WebClient, execution_id: str | None, error: str, code: str
) -> None:
    execution, _ = slack.run_step(STEP, {"email": "a@b.co"})
    call = lambda: web.functions_completeError(  # noqa: E731
        function_execution_id=execution_id or execution.execution_id, error=error
    )
    assert error_of(call) == code
