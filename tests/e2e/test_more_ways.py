"""The other ways in, against the real process: the reaction, the Workflow Builder step and the
per-channel defaults."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.ui import ids
from tests.e2e.conftest import OUTCOME_TIMEOUT_SECONDS, SlackUser, buttons, unique_email
from tests.fakes import payloads
from tests.fakes.signing import SlackHttpClient
from tests.forms import form_values, inputs

pytestmark = pytest.mark.e2e


def react(rep: SlackUser, http: SlackHttpClient, message: dict[str, Any]) -> dict[str, Any]:
    """Add the reaction to `message`; returns the ephemeral the app answered with."""
    before = len(rep.slack.ephemerals)
    event = payloads.reaction_added(message)
    assert http.send(http.prepare_event(event)).status_code == 200
    ephemeral = rep.slack.wait_for(
        lambda: rep.slack.ephemerals[before:] and rep.slack.ephemerals[before],
        timeout=OUTCOME_TIMEOUT_SECONDS,
    )
    return {"text": ephemeral.text, "blocks": ephemeral.blocks or []}


def test_reaction_offer_opens_the_form_that_creates_the_conversation(
    rep: SlackUser, http: SlackHttpClient
) -> None:
    email = unique_email()
    message = payloads.user_message(f"Customer {email} asks for a quote")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    offer = react(rep, http, message)
    assert email in json.dumps(offer["blocks"])
    button = buttons(offer["blocks"])[ids.REACTION_OPEN_ACTION]
    _, response_url = rep.click_in_message(
        {"ts": message["ts"]}, ids.REACTION_OPEN_ACTION, button["value"], payloads.CHANNEL_ID
    )
    view = rep.form_opened_for(response_url)
    assert "asks for a quote" in json.dumps(view["blocks"])
    rep.submit(view, form_values(email, "Quote follows"))
    answer = rep.answer_about(email)
    assert (answer.channel, answer.thread_ts) == (payloads.CHANNEL_ID, message["ts"])
    [created] = rep.conversations_with(email)

    link = react_as_someone_else(rep, http, message)
    assert f"/conversations/{created.id}" in link["text"]
    assert ids.REACTION_OPEN_ACTION not in json.dumps(link["blocks"])
    assert len(rep.conversations_with(email)) == 1


def react_as_someone_else(
    rep: SlackUser, http: SlackHttpClient, message: dict[str, Any]
) -> dict[str, Any]:
    """A teammate reacts to a message that already became a conversation."""
    teammate = "U0TEAMMATE"
    if teammate not in rep.slack.directory.users:
        rep.slack.add_user(teammate, name="teammate", email="mate@example.com")
    before = len(rep.slack.ephemerals)
    event = payloads.reaction_added(message, user=teammate)
    assert http.send(http.prepare_event(event)).status_code == 200
    ephemeral = rep.slack.wait_for(
        lambda: next((e for e in rep.slack.ephemerals[before:] if e.user == teammate), None),
        timeout=OUTCOME_TIMEOUT_SECONDS,
    )
    return {"text": ephemeral.text or "", "blocks": ephemeral.blocks or []}


def run_step(rep: SlackUser, http: SlackHttpClient, inputs: dict[str, Any], times: int = 1) -> Any:
    """The workflow reaches the step; Slack delivers its event `times` times. The execution,
    once finished."""
    execution, event = rep.slack.run_step(ids.WORKFLOW_STEP_CALLBACK_ID, inputs)
    for _ in range(times):
        assert http.send(http.prepare_event(event)).status_code == 200
    rep.slack.wait_for(lambda: execution.state != "running", timeout=OUTCOME_TIMEOUT_SECONDS)
    return execution


def test_step_creates_one_conversation_per_execution_and_outputs_it(
    rep: SlackUser, http: SlackHttpClient
) -> None:
    email = unique_email()
    message = payloads.user_message("Lead from the web form")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    inputs = {"email": email, "channel": payloads.CHANNEL_ID, "message_ts": message["ts"]}
    execution = run_step(rep, http, inputs, times=2)
    assert execution.state == "completed"
    [created] = rep.conversations_with(email)
    assert execution.outputs["conversation_id"] == created.id
    assert execution.outputs["conversation_url"].endswith(f"/conversations/{created.id}")
    answer = rep.answer_about(email)
    assert answer.thread_ts == message["ts"]
    assert rep.posts_to_drift_for(email) == 1


def test_step_with_a_bad_email_fails_with_the_reason(rep: SlackUser, http: SlackHttpClient) -> None:
    execution = run_step(rep, http, {"email": "not-an-email"})
    assert execution.state == "failed"
    assert "email" in execution.error and "name@company.com" in execution.error


def test_the_channels_last_assignee_is_preselected_next_time(rep: SlackUser) -> None:
    channel = "C0DEFAULTS"
    rep.slack.add_channel(channel, "defaults")
    rep.slack.add_user("U0CHOSEN", name="chosen", email="chosen@example.com")
    email = unique_email()
    _, first_url = rep.command(channel_id=channel, channel_name="defaults")
    first = rep.form_opened_for(first_url)
    assert inputs(first)[ids.ASSIGNEE_BLOCK]["initial_user"] == payloads.USER_ID
    rep.submit(first, form_values(email, "Hello", assignee="U0CHOSEN"))
    rep.answer_about(email)
    _, second_url = rep.command(channel_id=channel, channel_name="defaults")
    second = rep.form_opened_for(second_url)
    assert inputs(second)[ids.ASSIGNEE_BLOCK]["initial_user"] == "U0CHOSEN"
