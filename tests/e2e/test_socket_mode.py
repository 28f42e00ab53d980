"""Socket Mode end to end: the app opens its WebSocket through apps.connections.open (app-level
token), and the same payloads arrive as envelopes whose acks carry the response bodies."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from handlers.ui import ids
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import ACK_BOUND_SECONDS, Acked, SlackUser, unique_email
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack
from tests.forms import form_values, inputs

pytestmark = pytest.mark.e2e

CONNECT_TIMEOUT_SECONDS = 20.0


def socket_transport(slack: FakeSlack) -> Callable[[str, dict[str, Any]], Acked]:
    def deliver(kind: str, payload: dict[str, Any]) -> Acked:
        started = time.monotonic()
        envelope_id = slack.socket_mode.send_envelope(kind, payload)
        ack = slack.socket_mode.wait_for_ack(envelope_id)
        elapsed = time.monotonic() - started
        assert ack is not None, f"no ack for {kind} envelope {envelope_id}"
        return Acked(200, ack.get("payload"), elapsed)

    return deliver


@pytest.fixture(scope="module")
def socket_app(slack: FakeSlack, start_app: Callable[..., AppProcess]) -> AppProcess:
    process = start_app(SLACK_APP_TOKEN=slack.app_token)
    try:
        slack.socket_mode.wait_for_connection(CONNECT_TIMEOUT_SECONDS)
    except TimeoutError:
        pytest.fail(f"the app did not connect in Socket Mode:\n{process.output}")
    return process


@pytest.fixture
def rep(slack: FakeSlack, drift: FakeDrift, socket_app: AppProcess) -> SlackUser:
    return SlackUser(slack, drift, socket_transport(slack))


def test_connection_is_opened_with_the_app_level_token(slack: FakeSlack, rep: SlackUser) -> None:
    opened = slack.calls_to("apps.connections.open")
    assert opened
    assert {call.token for call in opened} == {slack.app_token}
    assert all(call.error is None for call in opened)


def test_slash_command_and_submission_end_to_end(rep: SlackUser) -> None:
    email = unique_email()
    acked, response_url = rep.command(f"{email} Hello over the socket")
    assert acked.seconds < ACK_BOUND_SECONDS
    assert not acked.body
    view = rep.form_opened_for(response_url)
    assert inputs(view)[ids.EMAIL_BLOCK]["initial_value"] == email

    submitted = rep.submit(view, form_values(email, "Over <the> socket"))
    assert submitted.seconds < ACK_BOUND_SECONDS
    assert submitted.body["response_action"] == "update"
    assert email in json.dumps(submitted.body["view"])
    answer = rep.answer_about(email)
    [created] = rep.conversations_with(email)
    assert "Over &lt;the&gt; socket" in created.request["message"]["body"]
    assert answer.channel == payloads.CHANNEL_ID
    assert f"/conversations/{created.id}" in answer.text


def test_help_comes_back_in_the_ack_payload(rep: SlackUser) -> None:
    acked, _ = rep.command("help")
    assert ids.COMMAND in json.dumps(acked.body)


def test_bad_input_errors_come_back_in_the_ack_payload(rep: SlackUser) -> None:
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    acked = rep.submit(view, form_values("not-an-email", "Hi"))
    assert acked.body["response_action"] == "errors"
    assert set(acked.body["errors"]) == {ids.EMAIL_BLOCK}


def test_shortcut_and_submission_end_to_end(rep: SlackUser) -> None:
    email = unique_email()
    message = payloads.user_message(f"Socket lead {email}")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    acked, response_url = rep.shortcut(message)
    assert acked.seconds < ACK_BOUND_SECONDS
    view = rep.form_opened_for(response_url)
    assert inputs(view)[ids.EMAIL_BLOCK]["initial_value"] == email
    rep.submit(view, form_values(email, "From the shortcut"))
    answer = rep.answer_about(email)
    assert (answer.channel, answer.thread_ts) == (payloads.CHANNEL_ID, message["ts"])
    assert len(rep.conversations_with(email)) == 1


def test_a_reaction_and_a_workflow_step_arrive_as_events(rep: SlackUser) -> None:
    email = unique_email()
    message = payloads.user_message(f"Socket lead {email}")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    before = len(rep.slack.ephemerals)
    rep.transport("events_api", payloads.event_callback(payloads.reaction_added(message)))
    offer = rep.slack.wait_for(lambda: rep.slack.ephemerals[before:] and rep.slack.ephemerals[-1])
    assert email in json.dumps(offer.blocks)

    execution, event = rep.slack.run_step(ids.WORKFLOW_STEP_CALLBACK_ID, {"email": email})
    rep.transport("events_api", payloads.event_callback(event))
    rep.slack.wait_for(lambda: execution.state != "running", timeout=15)
    assert execution.state == "completed"
    assert len(rep.conversations_with(email)) == 1
