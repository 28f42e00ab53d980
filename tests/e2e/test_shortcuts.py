"""The "Open in Drift" message shortcut in HTTP mode: prefill, the thread the answer goes to,
private channels the bot is not in, bot messages without text, and messages already in Drift."""

from __future__ import annotations

import json

import pytest

from handlers.ui import ids
from tests.e2e.conftest import ACK_BOUND_SECONDS, SlackUser, unique_email
from tests.fakes import payloads
from tests.forms import form_values, inputs

pytestmark = pytest.mark.e2e

PRIVATE_CHANNEL_ID = "G0PRIVDEALS"


def test_shortcut_on_a_top_level_message_answers_in_its_thread(rep: SlackUser) -> None:
    email = unique_email()
    message = payloads.user_message(f"Please loop in <mailto:{email}|{email}> <b>now</b>")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    acked, response_url = rep.shortcut(message)
    assert acked.status == 200
    assert acked.seconds < ACK_BOUND_SECONDS
    view = rep.form_opened_for(response_url)
    fields = inputs(view)
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == email
    assert "Please loop in" in json.dumps(fields[ids.MESSAGE_BLOCK]["initial_value"])

    rep.submit(view, form_values(email, "Hi <b>Jane</b> & co"))
    answer = rep.answer_about(email)
    assert (answer.channel, answer.thread_ts) == (payloads.CHANNEL_ID, message["ts"])
    [created] = rep.conversations_with(email)
    body = created.request["message"]["body"]
    assert "Hi &lt;b&gt;Jane&lt;/b&gt; &amp; co" in body
    permalink = f"https://acme.slack.com/archives/{payloads.CHANNEL_ID}/p"
    assert permalink + message["ts"].replace(".", "") in body
    assert f"/conversations/{created.id}" in answer.text


def test_shortcut_on_a_message_already_in_drift_offers_the_link(rep: SlackUser) -> None:
    email = unique_email()
    message = payloads.user_message(f"Ping {email}")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    _, first_url = rep.shortcut(message)
    rep.submit(rep.form_opened_for(first_url), form_values(email, "First"))
    rep.answer_about(email)
    [created] = rep.conversations_with(email)

    link = f"/conversations/{created.id}"
    opened_before = len(rep.slack.views)
    rep.shortcut(message)
    shown = rep.slack.wait_for(
        lambda: [
            view
            for view in list(rep.slack.views.values())[opened_before:]
            if "already in Drift" in json.dumps(view) and link in json.dumps(view)
        ]
    )
    assert ids.CREATE_ANOTHER_ACTION in json.dumps(shown)
    assert len(rep.conversations_with(email)) == 1


def test_shortcut_on_a_thread_reply_answers_in_the_parent_thread(rep: SlackUser) -> None:
    email = unique_email()
    parent = payloads.user_message("Parent")
    reply = payloads.thread_reply(parent, f"Reply from {email}")
    rep.slack.add_message(payloads.CHANNEL_ID, parent)
    rep.slack.add_message(payloads.CHANNEL_ID, reply)
    _, response_url = rep.shortcut(reply)
    view = rep.form_opened_for(response_url)
    assert inputs(view)[ids.EMAIL_BLOCK]["initial_value"] == email
    rep.submit(view, form_values(email, "Following up"))
    answer = rep.answer_about(email)
    assert (answer.channel, answer.thread_ts) == (payloads.CHANNEL_ID, parent["ts"])
    [created] = rep.conversations_with(email)
    assert f"thread_ts={parent['ts']}" in created.request["message"]["body"]


def test_shortcut_in_a_private_channel_the_bot_is_not_in_still_answers(rep: SlackUser) -> None:
    rep.slack.add_channel(PRIVATE_CHANNEL_ID, "deals", is_private=True, bot_is_member=False)
    email = unique_email()
    message = payloads.user_message(f"Private lead {email}")
    rep.slack.add_message(PRIVATE_CHANNEL_ID, message)
    _, response_url = rep.shortcut(message, channel_id=PRIVATE_CHANNEL_ID, channel_name="deals")
    view = rep.form_opened_for(response_url)
    rep.submit(view, form_values(email, "From the private channel"))

    post = rep.slack.wait_for(
        lambda: next((p for p in rep.slack.response_posts if p.url_id in response_url), None)
    )
    [created] = rep.conversations_with(email)
    assert post.in_channel
    assert post.body["thread_ts"] == message["ts"]
    assert f"/conversations/{created.id}" in post.body["text"]
    refused = [
        c
        for c in rep.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == PRIVATE_CHANNEL_ID
    ]
    assert [c.error for c in refused] == ["channel_not_found"]
    assert created.request["message"]["attributes"]["integrationSource"].startswith(
        "Slack · #deals"
    )
    rep.view_updated_with(view["id"], "Created")


def test_shortcut_on_a_bot_message_without_text_opens_an_empty_form(rep: SlackUser) -> None:
    email = unique_email()
    message = payloads.bot_message("")
    rep.slack.add_message(payloads.CHANNEL_ID, message)
    acked, response_url = rep.shortcut(message)
    assert acked.status == 200
    view = rep.form_opened_for(response_url)
    fields = inputs(view)
    assert "initial_value" not in fields[ids.EMAIL_BLOCK]
    assert "initial_value" not in fields[ids.MESSAGE_BLOCK]

    rep.submit(view, form_values(email, "Typed by the rep"))
    answer = rep.answer_about(email)
    assert answer.thread_ts == message["ts"]
    [created] = rep.conversations_with(email)
    assert "Typed by the rep" in created.request["message"]["body"]
