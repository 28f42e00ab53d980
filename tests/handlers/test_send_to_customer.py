"""Send to Drift customer: a confirm modal showing what the contact reads, then a chat
message as the rep's Drift user, and the thread says it was sent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.flow.sync_sender import SENT_TO_CUSTOMER
from handlers.ui import ids, send_views
from tests.conftest import REP_DRIFT_ID, Harness
from tests.fakes import payloads
from tests.sync_fixtures import ROOT, Linked, link_conversation


@pytest.fixture
def linked(harness: Harness) -> Linked:
    return link_conversation(harness)


def open_send(harness: Harness, message: dict[str, Any], **fields: Any) -> dict[str, Any]:
    payload = payloads.message_shortcut(
        message,
        callback_id=ids.SEND_TO_CUSTOMER_CALLBACK_ID,
        trigger_id=harness.slack.new_trigger_id(),
        **fields,
    )
    harness.interactive(payload)
    return harness.opened_view()


def chats(linked: Linked) -> list[dict[str, Any]]:
    return [m for m in linked.harness.drift.messages if m["type"] == "chat"]


def test_confirm_shows_the_text_and_send_posts_a_chat_as_the_rep(linked: Linked) -> None:
    harness = linked.harness
    message = payloads.user_message("Hi Jane, <b>the fix</b> is live", thread_ts=ROOT)
    view = open_send(harness, message)
    assert view["callback_id"] == ids.SEND_CONFIRM_CALLBACK_ID
    assert "Hi Jane, <b>the fix</b> is live" in json.dumps(view["blocks"])
    response = harness.submit(view, {})
    assert send_views.SENDING in json.dumps(json.loads(response.body)["view"])
    linked.sender.send_pending()
    [chat] = chats(linked)
    assert chat["userId"] == REP_DRIFT_ID
    assert "Hi Jane, &lt;b&gt;the fix&lt;/b&gt; is live" in chat["body"]
    linked.sender.send_pending()
    assert linked.thread_posts() == [SENT_TO_CUSTOMER.format(user=payloads.USER_ID)]


def test_sending_the_same_message_twice_sends_it_once(linked: Linked) -> None:
    message = payloads.user_message("only once", thread_ts=ROOT)
    for _ in range(2):
        view = open_send(linked.harness, message)
        response = linked.harness.submit(view, {})
    assert send_views.ALREADY_SENT in json.dumps(json.loads(response.body)["view"])
    linked.sender.send_pending()
    assert len(chats(linked)) == 1


def test_outside_a_linked_thread_it_says_so(linked: Linked) -> None:
    view = open_send(linked.harness, payloads.user_message("loose", thread_ts="1600000000.1"))
    assert send_views.NOT_LINKED in json.dumps(view)
    assert view.get("submit") is None


def test_a_rep_without_a_drift_user_is_told(linked: Linked) -> None:
    linked.harness.slack.add_user("U0NODRIFT", name="nd", email="nobody@example.com")
    message = payloads.user_message("hello", thread_ts=ROOT)
    view = open_send(linked.harness, message, user_id="U0NODRIFT")
    assert "cannot tell which Drift user you are" in json.dumps(view)


def test_a_chat_drift_did_not_confirm_is_reported_not_repeated(linked: Linked) -> None:
    harness = linked.harness
    view = open_send(harness, payloads.user_message("maybe", thread_ts=ROOT))
    harness.submit(view, {})
    harness.drift.fail_next(500, path=f"/conversations/{linked.conversation_id}/messages")
    linked.sender.send_pending()
    linked.sender.send_pending()
    [warning] = linked.thread_posts()
    assert "not sent to the customer" in warning
    assert linked.sender.send_pending() == 0
