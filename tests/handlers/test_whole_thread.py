"""Whole-thread import: the shortcut on a message in a thread offers the thread; ticked, the
Drift body carries it oldest first with authors and times, within Drift's limit and Slack's
rate limit."""

from __future__ import annotations

import json
import re
from typing import Any

from handlers.ui import ids
from tests.conftest import Harness
from tests.fakes import payloads
from tests.forms import form_values

EMAIL = "jane@acme.com"


def thread_of(harness: Harness, replies: int, text: str = "Reply") -> dict[str, Any]:
    parent = payloads.user_message(f"Question from {EMAIL}")
    harness.slack.add_message(payloads.CHANNEL_ID, parent)
    for n in range(replies):
        reply = payloads.thread_reply(parent, f"{text} {n:02d}")
        harness.slack.add_message(payloads.CHANNEL_ID, reply)
    return {**parent, "thread_ts": parent["ts"], "reply_count": replies}


def opened_form(harness: Harness, message: dict[str, Any]) -> dict[str, Any]:
    harness.shortcut(message)
    harness.settle_listeners()
    return harness.slack.views[list(harness.slack.views)[-1]]


def thread_block(view: dict[str, Any]) -> dict[str, Any] | None:
    found = [b for b in view["blocks"] if b.get("block_id") == ids.THREAD_BLOCK]
    return found[0] if found else None


def submitted_with_thread(harness: Harness, view: dict[str, Any]) -> str:
    values = form_values(EMAIL, "Please see the thread")
    option = thread_block(view)["element"]["options"][0]  # type: ignore[index]
    values[ids.THREAD_BLOCK] = {
        ids.THREAD_ACTION: {"type": "checkboxes", "selected_options": [option]}
    }
    harness.submit(view, values)
    harness.drain()
    [created] = harness.drift.conversations
    return str(created.request["message"]["body"])


def test_the_whole_thread_goes_in_order_with_authors_and_times(harness: Harness) -> None:
    view = opened_form(harness, thread_of(harness, 40))
    block = thread_block(view)
    assert block is not None
    assert "Include the whole thread (41 messages)" in json.dumps(block)

    body = submitted_with_thread(harness, view)
    assert body.startswith("<p>Please see the thread</p>")
    assert "The Slack thread (41 messages)" in body
    found = [int(n) for n in re.findall(r"Reply (\d\d)", body)]
    assert found == list(range(40))
    assert body.count("<b>riley</b> · ") == 41 and " UTC" in body
    assert "view in Slack" in body
    assert len(harness.slack.calls_to("conversations.replies")) == 3  # pages of 15, read once


def test_a_rate_limited_thread_includes_what_was_fetched_and_says_so(harness: Harness) -> None:
    harness.slack.limit_replies(1, window=60.0, page_cap=15)
    view = opened_form(harness, thread_of(harness, 40))
    assert "15 of 41 messages were fetched" in json.dumps(view["blocks"])

    body = submitted_with_thread(harness, view)
    assert "The Slack thread (15 messages)" in body
    assert "26 messages could not be fetched" in body
    assert [call.error for call in harness.slack.calls_to("conversations.replies")] == [
        None,
        "ratelimited",
    ]


def test_a_long_thread_keeps_the_newest_messages_that_fit(harness: Harness) -> None:
    view = opened_form(harness, thread_of(harness, 40, text="x" * 400 + " Reply"))
    assert "oldest messages will be left out" in json.dumps(view["blocks"])
    body = submitted_with_thread(harness, view)
    counted = re.search(r"(\d+) earlier messages were left out", body)
    assert counted is not None
    left_out = int(counted.group(1))
    assert 10 < left_out < 41
    assert "Reply 39" in body and "Reply 00" not in body
    kept = re.findall(r"Reply (\d\d)", body)
    assert len(kept) == 41 - left_out  # the parent is the first left out


def test_a_reply_offers_its_thread(harness: Harness) -> None:
    parent = thread_of(harness, 2)
    reply = payloads.thread_reply(parent, "The reply the rep chose")
    harness.slack.add_message(payloads.CHANNEL_ID, reply)
    view = opened_form(harness, reply)
    assert "Include the whole thread (4 messages)" in json.dumps(thread_block(view))


def test_a_message_outside_a_thread_offers_nothing(harness: Harness) -> None:
    message = payloads.user_message("On its own")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    view = opened_form(harness, message)
    assert thread_block(view) is None
    assert harness.slack.calls_to("conversations.replies") == []


def test_unticked_the_body_is_only_the_message(harness: Harness) -> None:
    view = opened_form(harness, thread_of(harness, 3))
    harness.submit(view, form_values(EMAIL, "Only this"))
    harness.drain()
    [created] = harness.drift.conversations
    assert "Slack thread" not in created.request["message"]["body"]
