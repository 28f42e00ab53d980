"""Knowing the customer before writing, against the real process: the contact context in the
form, adding to a known conversation exactly once, the whole thread (with and without Slack's
rate limit), and a failing lookup that leaves the form usable."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from handlers.ui import ids
from tests.e2e.conftest import SlackUser, unique_email
from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack
from tests.forms import form_values

pytestmark = pytest.mark.e2e


@pytest.fixture
def unlimited_replies(slack: FakeSlack) -> Iterator[None]:
    yield
    slack.limit_replies(None, page_cap=1000)


def created_with(rep: SlackUser, email: str) -> int:
    _, response_url = rep.command()
    rep.submit(rep.form_opened_for(response_url), form_values(email, "First"))
    rep.answer_about(email)
    [created] = rep.conversations_with(email)
    return created.id


def with_choice(values: dict[str, Any], conversation_id: int) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": "Add"}, "value": f"add:{conversation_id}"}
    return {
        **values,
        ids.TARGET_BLOCK: {ids.TARGET_ACTION: {"type": "radio_buttons", "selected_option": option}},
    }


def thread_ticked(values: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    [block] = [b for b in view["blocks"] if b.get("block_id") == ids.THREAD_BLOCK]
    ticked = {"type": "checkboxes", "selected_options": block["element"]["options"]}
    return {**values, ids.THREAD_BLOCK: {ids.THREAD_ACTION: ticked}}


def test_context_is_shown_and_adding_happens_once(rep: SlackUser) -> None:
    email = unique_email()
    rep.drift.add_contact(email, name="Jane Customer", company="Acme")
    conversation_id = created_with(rep, email)

    message = payloads.user_message(f"Follow-up from {email}")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    _, response_url = rep.shortcut(message)
    opened = rep.form_opened_for(response_url)
    view = rep.view_updated_with(opened["id"], f"Add to conversation #{conversation_id}")
    assert "*Jane Customer* · Acme" in json.dumps(view, ensure_ascii=False)

    values = with_choice(form_values(email, "Second thoughts"), conversation_id)
    rep.submit(view, values)
    rep.transport("interactive", payloads.view_submission(view, values))  # a double submit
    rep.slack.wait_for(lambda: [m for m in rep.slack.messages if "added this" in str(m.blocks)])
    rep.view_updated_with(opened["id"], "Added to the")
    posted = [m for m in rep.drift.messages if m["conversationId"] == conversation_id]
    assert len(posted) == 1 and posted[0]["type"] == "chat"
    assert len(rep.conversations_with(email)) == 1

    before = len(rep.slack.views)
    rep.shortcut(message)  # the message is now linked to that conversation
    rep.slack.wait_for(
        lambda: [
            v
            for v in list(rep.slack.views.values())[before:]
            if "already in Drift" in json.dumps(v) and f"/{conversation_id}" in json.dumps(v)
        ]
    )


@pytest.mark.parametrize("rate_limited", [False, True])
def test_a_thread_of_40_replies_is_imported(
    rep: SlackUser, unlimited_replies: None, rate_limited: bool
) -> None:
    rep.slack.limit_replies(1 if rate_limited else None, window=60.0, page_cap=15)
    email = unique_email()
    parent = payloads.user_message(f"Thread about {email}")
    rep.slack.add_message(payloads.CHANNEL_ID, parent)
    for n in range(40):
        rep.slack.add_message(payloads.CHANNEL_ID, payloads.thread_reply(parent, f"Reply {n:02d}"))
    _, response_url = rep.shortcut({**parent, "thread_ts": parent["ts"], "reply_count": 40})
    opened = rep.form_opened_for(response_url)
    view = rep.view_updated_with(opened["id"], "Include the whole thread (41 messages)")
    if rate_limited:
        assert "15 of 41 messages were fetched" in json.dumps(view)

    rep.submit(view, thread_ticked(form_values(email, "See below"), view))
    rep.answer_about(email)
    [created] = rep.conversations_with(email)
    body = created.request["message"]["body"]
    replies = [int(n) for n in re.findall(r"Reply (\d\d)", body)]
    assert replies == list(range(14 if rate_limited else 40))
    assert ("26 messages could not be fetched" in body) is rate_limited


def test_a_failing_contact_lookup_leaves_the_form_usable(rep: SlackUser) -> None:
    email = unique_email()
    rep.drift.fail_next(403, path="/contacts")
    _, response_url = rep.command(text=f"{email} Hello")
    opened = rep.form_opened_for(response_url)
    view = rep.view_updated_with(opened["id"], "Contact context unavailable")
    rep.submit(view, form_values(email, "Hello"))
    rep.answer_about(email)
    assert len(rep.conversations_with(email)) == 1
