"""The payload builders carry Slack's documented fields (slack-platform.md §1-§3)."""

from __future__ import annotations

import pytest

from tests.fakes import payloads

COMMAND_FIELDS = {
    "token",
    "team_id",
    "team_domain",
    "channel_id",
    "channel_name",
    "user_id",
    "user_name",
    "command",
    "text",
    "api_app_id",
    "is_enterprise_install",
    "response_url",
    "trigger_id",
}


def test_command_form_has_every_documented_field_as_strings() -> None:
    form = payloads.command_form(text="hi", enterprise_id="E1")
    assert set(form) == COMMAND_FIELDS | {"enterprise_id"}
    assert all(isinstance(value, str) for value in form.values())
    assert form["command"] == "/drift-open"


def test_message_shortcut_points_at_the_message() -> None:
    reply = payloads.thread_reply(payloads.user_message("parent"), "child")
    shortcut = payloads.message_shortcut(reply, callback_id="open_in_drift", trigger_id="t1")
    assert shortcut["type"] == "message_action"
    assert shortcut["callback_id"] == "open_in_drift"
    assert shortcut["message_ts"] == reply["ts"]
    assert shortcut["message"]["thread_ts"] != reply["ts"]
    assert shortcut["channel"] == {"id": payloads.CHANNEL_ID, "name": payloads.CHANNEL_NAME}
    assert {"trigger_id", "response_url", "user", "team", "action_ts"} <= set(shortcut)


def test_view_submission_carries_the_view_and_state_values() -> None:
    view = {"id": "V1", "hash": "1.a", "callback_id": "cb", "private_metadata": "{}"}
    values = {"email": {"value": payloads.email_value("a@b.co")}}
    submission = payloads.view_submission(view, values)
    assert submission["type"] == "view_submission"
    assert submission["view"]["id"] == "V1"
    assert submission["view"]["hash"] == "1.a"
    assert submission["view"]["state"] == {"values": values}
    assert submission["response_urls"] == []


@pytest.mark.parametrize(
    ("where", "container_type"),
    [("view", "view"), ("message", "message")],
)
def test_block_actions_in_a_modal_or_a_message(where: str, container_type: str) -> None:
    source = {"id": "V1", "ts": payloads.new_ts()}
    action = payloads.button_action("retry", "draft-1")
    body = payloads.block_actions([action], **{where: source})
    assert body["container"]["type"] == container_type
    assert body["actions"] == [action]
    assert ("response_url" in body) is (where == "message")


def test_block_actions_needs_exactly_one_source() -> None:
    with pytest.raises(ValueError):
        payloads.block_actions([])


def test_bot_message_has_no_user_and_new_ts_increases() -> None:
    message = payloads.bot_message("deployed")
    assert "user" not in message
    assert message["subtype"] == "bot_message"
    first, second = payloads.new_ts(), payloads.new_ts()
    assert float(second) > float(first)
