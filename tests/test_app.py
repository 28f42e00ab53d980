"""Dispatch-level scenarios: signed requests through the real app to loopback fake Slack, Drift."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from handlers.ui import ids
from tests.conftest import REP_DRIFT_ID, Harness
from tests.fakes import payloads
from tests.forms import form_values, inputs


def wait_for_answer(harness: Harness) -> Any:
    return harness.slack.wait_for(lambda: (harness.slack.messages or [None])[-1])


def test_slash_command_opens_an_empty_form(harness: Harness) -> None:
    response = harness.command()
    assert response.status == 200
    view = harness.opened_view()
    assert view["callback_id"] == ids.FORM_CALLBACK_ID
    fields = inputs(view)
    assert "initial_value" not in fields[ids.EMAIL_BLOCK]
    assert "initial_value" not in fields[ids.MESSAGE_BLOCK]
    assert fields[ids.ASSIGNEE_BLOCK]["initial_user"] == payloads.USER_ID
    assert harness.drift.calls == []


def test_slash_command_text_prefills_the_form(harness: Harness) -> None:
    harness.command(text="jane@acme.com Hi Jane, *following up* on <https://acme.com|the demo>")
    fields = inputs(harness.opened_view())
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"
    rendered = json.dumps(fields[ids.MESSAGE_BLOCK]["initial_value"])
    assert "Hi Jane" in rendered
    assert "following up" in rendered
    assert "https://acme.com" in rendered
    assert "jane@acme.com" not in rendered


def test_help_answers_in_the_ack_without_a_modal(harness: Harness) -> None:
    response = harness.command(text="help")
    assert response.status == 200
    assert "/drift-open" in response.body
    assert harness.slack.calls_to("views.open") == []


def test_shortcut_to_thread_reply_end_to_end(harness: Harness) -> None:
    message = payloads.user_message(
        "Please loop in <mailto:jane@acme.com|jane@acme.com> <b>now</b>"
    )
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    harness.shortcut(message)
    view = harness.opened_view()
    assert inputs(view)[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"

    response = harness.submit(view, form_values("jane@acme.com", "Hi <b>Jane</b> & co"))
    ack = json.loads(response.body)
    assert ack["response_action"] == "update"
    assert "Creating" in json.dumps(ack["view"])

    answer = wait_for_answer(harness)
    assert answer.channel == payloads.CHANNEL_ID
    assert answer.thread_ts == message["ts"]
    [created] = harness.drift.conversations
    body = created.request["message"]
    assert created.request["email"] == "jane@acme.com"
    assert "Hi &lt;b&gt;Jane&lt;/b&gt; &amp; co" in body["body"]
    assert "<b>Jane" not in body["body"]
    assert body["attributes"]["autoAssigneeId"] == REP_DRIFT_ID
    assert body["attributes"]["integrationSource"].startswith("Slack · #general · by ")
    url = f"https://app.drift.com/inboxes/{created.response['inboxId']}/conversations/{created.response['id']}"
    assert url in answer.text or url in json.dumps(answer.blocks)
    assert "Riley Rep" in json.dumps(answer.blocks)
    final = harness.slack.wait_for(
        lambda: "Created" in json.dumps(harness.slack.views[view["id"]]) or None
    )
    assert final


def test_shortcut_on_a_thread_reply_answers_in_the_parent_thread(harness: Harness) -> None:
    parent = payloads.user_message("Parent")
    reply = payloads.thread_reply(parent, "Reply from jane@acme.com")
    harness.slack.add_message(payloads.CHANNEL_ID, parent)
    harness.slack.add_message(payloads.CHANNEL_ID, reply)
    harness.shortcut(reply)
    view = harness.opened_view()
    harness.submit(view, form_values("jane@acme.com", "Following up"))
    answer = wait_for_answer(harness)
    assert answer.thread_ts == parent["ts"]


@pytest.mark.parametrize(
    ("email", "text", "block"),
    [
        ("not-an-email", "Hi", ids.EMAIL_BLOCK),
        ("jane@acme.com", "   ", ids.MESSAGE_BLOCK),
        ("", "Hi", ids.EMAIL_BLOCK),
    ],
)
def test_bad_input_is_answered_in_the_ack(
    harness: Harness, email: str, text: str, block: str
) -> None:
    harness.command()
    view = harness.opened_view()
    response = harness.submit(view, form_values(email, text))
    ack = json.loads(response.body)
    assert ack["response_action"] == "errors"
    assert block in ack["errors"]
    assert harness.drift.calls_to("POST", "/conversations/new") == []


def test_submission_missing_fields_is_an_error_not_a_crash(harness: Harness) -> None:
    harness.command()
    view = harness.opened_view()
    ack = json.loads(harness.submit(view, {}).body)
    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) >= {ids.EMAIL_BLOCK, ids.MESSAGE_BLOCK}


def test_unmapped_assignee_is_created_unassigned_and_says_why(harness: Harness) -> None:
    harness.slack.add_user(
        "U0NOMATCH", name="nomatch", real_name="No Match", email="nomatch@example.com"
    )
    harness.command()
    view = harness.opened_view()
    harness.submit(view, form_values("jane@acme.com", "Hi", assignee="U0NOMATCH"))
    answer = wait_for_answer(harness)
    [created] = harness.drift.conversations
    assert "autoAssigneeId" not in created.request["message"]["attributes"]
    assert "no Drift user with the email nomatch@example.com" in json.dumps(answer.blocks)


def test_the_same_modal_submitted_twice_creates_one_conversation(harness: Harness) -> None:
    harness.command()
    view = harness.opened_view()
    values = form_values("jane@acme.com", "Hi")
    harness.submit(view, values)
    harness.submit(view, values)
    wait_for_answer(harness)
    harness.slack.wait_for(
        lambda: "Already created" in json.dumps(harness.slack.views[view["id"]]) or None
    )
    assert harness.drift.created_count == 1
    assert len(harness.slack.messages) == 1


@pytest.mark.parametrize("tamper", ["forged", "stale"])
def test_unsigned_or_stale_requests_do_nothing(harness: Harness, tamper: str) -> None:
    from urllib.parse import urlencode

    body = urlencode(payloads.command_form(trigger_id=harness.slack.new_trigger_id()))
    if tamper == "forged":
        harness.signer = type(harness.signer)("not-the-secret-0123456789")
        response = harness.dispatch(body)
    else:
        response = harness.dispatch(body, timestamp=int(time.time()) - 301)
    assert response.status == 401
    assert harness.slack.calls_to("views.open") == []


def test_access_control_refuses_politely(make_harness) -> None:
    harness = make_harness(DRIFT_OPEN_ALLOWED_USERS="U0SOMEONE")
    response = harness.command()
    assert "not enabled for you" in response.body
    assert harness.slack.calls_to("views.open") == []


def create_from_shortcut(harness: Harness, message: dict[str, Any], email: str) -> dict[str, Any]:
    harness.shortcut(message)
    view = harness.opened_view()
    harness.submit(view, form_values(email, "Hi"))
    harness.slack.wait_for(lambda: harness.drift.created_count >= 1 or None)
    return view


def test_a_message_already_in_drift_is_recognised(harness: Harness) -> None:
    message = payloads.user_message("Talk to jane@acme.com")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    create_from_shortcut(harness, message, "jane@acme.com")
    wait_for_answer(harness)

    harness.shortcut(message)
    second = harness.slack.wait_for(
        lambda: next(
            (
                v
                for v in harness.slack.views.values()
                if v["callback_id"] == ids.ALREADY_CALLBACK_ID
            ),
            None,
        )
    )
    url = harness.drift.conversations[0].response
    assert f"/conversations/{url['id']}" in json.dumps(second)
    [button] = [e for b in second["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == ids.CREATE_ANOTHER_ACTION

    click = payloads.block_actions(
        [payloads.button_action(ids.CREATE_ANOTHER_ACTION, button["value"])], view=second
    )
    harness.interactive(click)
    form = harness.slack.wait_for(
        lambda: (
            harness.slack.views[second["id"]]
            if harness.slack.views[second["id"]]["callback_id"] == ids.FORM_CALLBACK_ID
            else None
        )
    )
    assert inputs(form)[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"
    harness.submit(form, form_values("jane@acme.com", "Again"))
    harness.slack.wait_for(lambda: harness.drift.created_count == 2 or None)


def test_a_slack_connect_authors_email_is_prefilled(harness: Harness) -> None:
    harness.slack.add_user(
        "U0OUTSIDE", name="jane", real_name="Jane Out", email="jane@partner.io", team_id="T0OTHER"
    )
    message = payloads.user_message("Can we talk pricing?", user="U0OUTSIDE", team="T0OTHER")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    harness.shortcut(message)
    view_id = harness.opened_view()["id"]
    updated = harness.slack.wait_for(
        lambda: inputs(harness.slack.views[view_id])[ids.EMAIL_BLOCK].get("initial_value")
    )
    assert updated == "jane@partner.io"


def test_a_colleagues_email_is_not_prefilled(harness: Harness) -> None:
    harness.slack.add_user("U0COLLEAGUE", name="sam", real_name="Sam", email="sam@example.com")
    message = payloads.user_message("Can we talk pricing?", user="U0COLLEAGUE")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    harness.shortcut(message)
    view = harness.opened_view()
    harness.settle_listeners()
    assert harness.slack.calls_to("users.info")
    assert "initial_value" not in inputs(harness.slack.views[view["id"]])[ids.EMAIL_BLOCK]


def test_slack_rate_limits_are_retried(harness: Harness) -> None:
    harness.slack.rate_limit("chat.postMessage", times=1, retry_after=0)
    harness.command()
    harness.submit(harness.opened_view(), form_values("jane@acme.com", "Hi"))
    answer = wait_for_answer(harness)
    assert answer.channel == payloads.CHANNEL_ID
    errors = [c.error for c in harness.slack.calls_to("chat.postMessage")]
    assert errors == ["ratelimited", None]


def test_the_shortcut_refuses_outside_the_allowed_channels(make_harness) -> None:
    harness = make_harness(DRIFT_OPEN_ALLOWED_CHANNELS="C0ELSEWHERE")
    harness.shortcut(payloads.user_message("hello"))
    [note] = harness.slack.wait_for(lambda: harness.slack.ephemerals)
    assert note.user == payloads.USER_ID
    assert "not enabled for you" in (note.text or "")
    assert harness.slack.calls_to("views.open") == []


def test_building_the_app_twice_adds_one_log_filter(make_harness) -> None:
    make_harness()
    make_harness()
    assert len(logging.getLogger("slack_bolt.App").filters) == 1


def test_the_answer_in_a_slack_connect_channel_names_no_customer(harness: Harness) -> None:
    harness.slack.add_channel("C0CONNECT", "acme-x-customer", is_ext_shared=True)
    harness.command(channel_id="C0CONNECT", channel_name="acme-x-customer")
    harness.submit(harness.opened_view(), form_values("jane@customer.com", "Hi"))
    answer = wait_for_answer(harness)
    assert answer.channel == "C0CONNECT"
    shown = json.dumps([answer.text, answer.blocks])
    assert "jane@customer.com" not in shown and "Riley" not in shown
    assert "/conversations/" in shown
