"""Delivery: the fallback chains that get an outcome to the rep whatever Slack refuses."""

from __future__ import annotations

import logging

import pytest
from slack_sdk import WebClient

from handlers.flow.delivery import Delivery
from storage.records import Origin
from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack

TEXT = "Drift conversation with jane@acme.com"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Created*"}}]
PARENT_TS = "1700000000.000100"


@pytest.fixture
def delivery(fake_slack: FakeSlack) -> Delivery:
    return Delivery(WebClient(token=fake_slack.bot_token, base_url=fake_slack.base_url))


def origin(channel_id: str = payloads.CHANNEL_ID, response_url: str = "", **fields: str) -> Origin:
    return Origin(
        team_id=payloads.TEAM_ID,
        user_id=payloads.USER_ID,
        channel_id=channel_id,
        response_url=response_url,
        **fields,
    )


def fallbacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "handlers.flow.delivery"]


def test_post_answer_in_the_thread(fake_slack: FakeSlack, delivery: Delivery) -> None:
    where = delivery.post_answer(origin(message_ts=PARENT_TS, source="shortcut"), TEXT, BLOCKS)
    assert where == "thread"
    [posted] = fake_slack.messages
    assert (posted.channel, posted.thread_ts, posted.text) == (payloads.CHANNEL_ID, PARENT_TS, TEXT)
    assert posted.blocks == BLOCKS


def test_post_answer_in_the_channel_for_a_command(
    fake_slack: FakeSlack, delivery: Delivery
) -> None:
    assert delivery.post_answer(origin(), TEXT, BLOCKS) == "channel"
    assert fake_slack.messages[0].thread_ts is None


def test_private_channel_the_bot_cannot_see_falls_back_to_response_url(
    fake_slack: FakeSlack, delivery: Delivery, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "handlers.flow.delivery")
    fake_slack.add_channel("G0SECRET", "deals", is_private=True, bot_is_member=False)
    url = fake_slack.response_url(channel_id="G0SECRET")
    answer_origin = origin("G0SECRET", url, message_ts=PARENT_TS)
    assert delivery.post_answer(answer_origin, TEXT, BLOCKS) == "response_url"
    [post] = fake_slack.response_posts
    assert post.channel_id == "G0SECRET"
    assert post.in_channel
    assert post.body["thread_ts"] == PARENT_TS
    assert post.body["replace_original"] is False
    assert fake_slack.messages == []
    assert fallbacks(caplog) == [
        "chat.postMessage to the channel failed (channel_not_found); trying response_url"
    ]


def test_public_channel_without_chat_write_public_falls_back_to_a_dm(
    fake_slack: FakeSlack, delivery: Delivery, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "handlers.flow.delivery")
    fake_slack.scopes = fake_slack.scopes - {"chat:write.public"}
    fake_slack.add_channel("C0SALES", "sales", bot_is_member=False)
    assert delivery.post_answer(origin("C0SALES"), TEXT, BLOCKS) == "dm"
    [dm] = fake_slack.messages
    assert dm.dm_user == payloads.USER_ID
    assert dm.thread_ts is None
    assert fallbacks(caplog) == [
        "chat.postMessage to the channel failed (not_in_channel); trying response_url"
    ]


def test_expired_response_url_falls_back_to_a_dm(
    fake_slack: FakeSlack, delivery: Delivery, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "handlers.flow.delivery")
    fake_slack.add_channel("G0SECRET", "deals", is_private=True, bot_is_member=False)
    url = fake_slack.response_url(channel_id="G0SECRET")
    fake_slack.advance(30 * 60 + 1)
    assert delivery.post_answer(origin("G0SECRET", url), TEXT, BLOCKS) == "dm"
    assert fallbacks(caplog)[-1] == "response_url answered 404; trying a DM"


def test_nowhere_is_logged_as_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, "handlers.flow.delivery")
    with FakeSlack(messages_tab_enabled=False) as slack:
        slack.add_channel("G0SECRET", "deals", is_private=True, bot_is_member=False)
        quiet = Delivery(WebClient(token=slack.bot_token, base_url=slack.base_url))
        assert quiet.post_answer(origin("G0SECRET"), TEXT, BLOCKS) == "nowhere"
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.getMessage() == (
        f"Could not reach user {payloads.USER_ID} by any route (messages_tab_disabled)"
    )


def test_tell_user_ephemeral(fake_slack: FakeSlack, delivery: Delivery) -> None:
    assert delivery.tell_user(origin(), TEXT, BLOCKS) == "ephemeral"
    [note] = fake_slack.ephemerals
    assert (note.channel, note.user, note.blocks) == (payloads.CHANNEL_ID, payloads.USER_ID, BLOCKS)
    assert fake_slack.messages == []


def test_tell_user_not_in_channel_uses_response_url(
    fake_slack: FakeSlack, delivery: Delivery, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "handlers.flow.delivery")
    fake_slack.add_channel("C0CLOSED", "closed", members=frozenset({"U0SOMEONE"}))
    url = fake_slack.response_url(channel_id="C0CLOSED")
    assert delivery.tell_user(origin("C0CLOSED", url), TEXT, BLOCKS) == "response_url"
    [post] = fake_slack.response_posts
    assert not post.in_channel
    assert "thread_ts" not in post.body
    assert fake_slack.ephemerals == []
    assert fallbacks(caplog) == [
        "chat.postEphemeral failed (user_not_in_channel); trying response_url"
    ]


def test_tell_user_without_a_channel_or_response_url_is_a_dm(
    fake_slack: FakeSlack, delivery: Delivery
) -> None:
    assert delivery.tell_user(origin(""), TEXT, BLOCKS) == "dm"
    [dm] = fake_slack.messages
    assert dm.dm_user == payloads.USER_ID


def test_respond_through_a_response_url(fake_slack: FakeSlack, delivery: Delivery) -> None:
    assert delivery.respond(fake_slack.response_url(), "Draft gone")
    assert fake_slack.response_posts[0].body["text"] == "Draft gone"
    assert not delivery.respond(payloads.UNISSUED_RESPONSE_URL, "nobody hears")


def open_modal(slack: FakeSlack) -> str:
    web = WebClient(token=slack.bot_token, base_url=slack.base_url)
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Open in Drift"},
        "blocks": BLOCKS,
    }
    return str(web.views_open(trigger_id=slack.new_trigger_id(), view=view)["view"]["id"])


def test_update_modal_shows_the_view(fake_slack: FakeSlack, delivery: Delivery) -> None:
    view_id = open_modal(fake_slack)
    done = {"type": "modal", "title": {"type": "plain_text", "text": "Done"}, "blocks": BLOCKS}
    assert delivery.update_modal(view_id, done)
    assert fake_slack.views[view_id]["title"]["text"] == "Done"


def test_closed_modal_is_false_and_logged_at_info(
    fake_slack: FakeSlack, delivery: Delivery, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "handlers.flow.delivery")
    view_id = open_modal(fake_slack)
    fake_slack.close_view(view_id)
    done = {"type": "modal", "title": {"type": "plain_text", "text": "Done"}, "blocks": BLOCKS}
    assert delivery.update_modal(view_id, done) is False
    [record] = [r for r in caplog.records if r.name == "handlers.flow.delivery"]
    assert record.levelno == logging.INFO
    assert record.getMessage() == "views.update failed (not_found); falling back to a message"


def test_refused_update_is_a_warning_and_no_view_id_is_no_call(
    fake_slack: FakeSlack, delivery: Delivery, caplog: pytest.LogCaptureFixture
) -> None:
    view_id = open_modal(fake_slack)
    assert delivery.update_modal(view_id, {"type": "modal", "blocks": []}) is False
    assert [r.levelno for r in caplog.records if r.name == "handlers.flow.delivery"] == [
        logging.WARNING
    ]
    calls = len(fake_slack.calls_to("views.update"))
    assert delivery.update_modal("", {"type": "modal"}) is False
    assert len(fake_slack.calls_to("views.update")) == calls
