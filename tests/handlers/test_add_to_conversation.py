"""Add to conversation #N: the message goes into a conversation drift-open knows with the same
contact, as the rep's Drift user, exactly once, and the Slack message is linked to it."""

from __future__ import annotations

import json
from typing import Any

from handlers.flow.targets import NOT_KNOWN
from handlers.ui import ids
from tests.conftest import REP_DRIFT_ID, Harness
from tests.fakes import payloads
from tests.forms import form_values
from tests.waiting import wait_until

EMAIL = "jane@acme.com"


def adding(email: str, text: str, conversation_id: int) -> dict[str, Any]:
    values = form_values(email, text)
    option = {"text": {"type": "plain_text", "text": "Add"}, "value": f"add:{conversation_id}"}
    values[ids.TARGET_BLOCK] = {
        ids.TARGET_ACTION: {"type": "radio_buttons", "selected_option": option}
    }
    return values


def created_first(harness: Harness) -> int:
    harness.command()
    harness.submit(harness.opened_view(), form_values(EMAIL, "First contact"))
    store = harness.services.store
    wait_until(lambda: bool(store.recent_for_contact(payloads.TEAM_ID, EMAIL)))
    [conversation] = harness.drift.conversations
    return conversation.id


def shortcut_form(harness: Harness, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    message = payloads.user_message(f"{text} from {EMAIL}")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    before = len(harness.slack.calls_to("views.open"))
    harness.shortcut(message)
    harness.slack.wait_for(lambda: len(harness.slack.calls_to("views.open")) > before)
    harness.settle_listeners()
    return message, harness.slack.views[list(harness.slack.views)[-1]]


def test_adding_posts_one_chat_as_the_rep_and_links_the_message(harness: Harness) -> None:
    conversation_id = created_first(harness)
    message, view = shortcut_form(harness, "Second question")
    assert f"Add to conversation #{conversation_id}" in json.dumps(view)

    values = adding(EMAIL, "More details", conversation_id)
    first = harness.submit(view, values)
    again = harness.interactive(payloads.view_submission(view, values))
    harness.drain()

    assert json.loads(first.body)["response_action"] == "update"
    assert again.status == 200
    [posted] = harness.drift.messages
    assert posted["conversationId"] == conversation_id
    assert (posted["type"], posted["userId"]) == ("chat", REP_DRIFT_ID)
    assert "More details" in posted["body"] and "view in Slack" in posted["body"]
    assert harness.drift.created_count == 1
    record = harness.services.store.find_by_message(
        payloads.TEAM_ID, payloads.CHANNEL_ID, message["ts"]
    )
    assert record is not None and record.conversation_id == conversation_id
    answers = [m for m in harness.slack.messages if "added this to the" in json.dumps(m.blocks)]
    assert len(answers) == 1
    assert answers[0].thread_ts == message["ts"]
    assert f"conversations/{conversation_id}" in json.dumps(answers[0].blocks)


def test_a_conversation_not_known_with_this_contact_is_refused_in_the_ack(
    harness: Harness,
) -> None:
    conversation_id = created_first(harness)
    harness.command()
    response = harness.submit(
        harness.opened_view(), adding("someone.else@acme.com", "Hi", conversation_id)
    )
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {ids.TARGET_BLOCK: NOT_KNOWN},
    }
    harness.drain()
    assert harness.drift.messages == []


def test_a_rep_without_a_drift_user_is_sent_back_to_choose(harness: Harness) -> None:
    users = harness.drift.endpoints.users
    users[:] = [user for user in users if user["id"] != REP_DRIFT_ID]
    conversation_id = created_first(harness)  # created unassigned: the rep maps to no one
    harness.command()
    view = harness.opened_view()
    harness.submit(view, adding(EMAIL, "Hi", conversation_id))
    harness.drain()
    assert harness.drift.messages == []
    shown = json.dumps(harness.slack.views[view["id"]])
    assert "not linked to a Drift user" in shown


def test_a_drift_failure_while_adding_says_it_may_have_been_added(harness: Harness) -> None:
    conversation_id = created_first(harness)
    harness.drift.fail_next(500, path=f"/conversations/{conversation_id}/messages")
    harness.command()
    view = harness.opened_view()
    harness.submit(view, adding(EMAIL, "Hi", conversation_id))
    harness.drain()
    shown = json.dumps(harness.slack.views[view["id"]])
    assert "it may or may not have been added" in shown
    assert ids.RETRY_ACTION in shown


def test_try_again_after_a_failed_add_keeps_the_choice(harness: Harness) -> None:
    conversation_id = created_first(harness)
    harness.drift.fail_next(400, path=f"/conversations/{conversation_id}/messages")
    harness.command()
    view = harness.opened_view()
    harness.submit(view, adding(EMAIL, "Hi", conversation_id))
    harness.drain()
    failed = harness.slack.views[view["id"]]
    [retry] = [
        element
        for block in failed["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ids.RETRY_ACTION
    ]
    click = payloads.block_actions(
        [payloads.button_action(ids.RETRY_ACTION, retry["value"])], view=failed
    )
    harness.interactive(click)
    harness.settle_listeners()
    reopened = harness.slack.views[view["id"]]
    [target] = [b for b in reopened["blocks"] if b.get("block_id") == ids.TARGET_BLOCK]
    assert target["element"]["initial_option"]["value"] == f"add:{conversation_id}"
