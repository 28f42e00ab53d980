"""FakeSlack behaves like the Slack Web API as slack_sdk sees it."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_builders import divider, home_view, modal, plain, slack_error, text_input


# tokens and recording ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("token", "method", "error"),
    [
        (None, "auth.test", "not_authed"),
        ("xoxb-wrong", "auth.test", "invalid_auth"),
        ("xapp-test-app", "chat.postMessage", "not_allowed_token_type"),
        ("xoxb-test-bot", "apps.connections.open", "not_allowed_token_type"),
    ],
)
def test_token_is_checked_on_every_call(
    slack: FakeSlack, token: str | None, method: str, error: str
) -> None:
    client = WebClient(token=token, base_url=slack.base_url)
    failure = slack_error(lambda: client.api_call(method, params={"channel": "C1", "text": "x"}))
    assert failure.response.status_code == 200
    assert failure.response["error"] == error
    assert slack.calls_to(method)[-1].error == error


def test_every_call_is_recorded_with_token_and_params(slack: FakeSlack, web: WebClient) -> None:
    web.chat_postMessage(channel=payloads.CHANNEL_ID, text="hello")
    web.users_info(user=payloads.USER_ID)
    calls = slack.calls
    assert [call.method for call in calls] == ["chat.postMessage", "users.info"]
    assert calls[0].params == {"channel": payloads.CHANNEL_ID, "text": "hello"}
    assert calls[0].token == "xoxb-test-bot"
    assert calls[0].error is None


def test_form_body_with_json_encoded_view_and_token_is_accepted(
    slack: FakeSlack, session: requests.Session
) -> None:
    form = {
        "token": slack.bot_token,
        "trigger_id": slack.new_trigger_id(),
        "view": json.dumps(modal()),
    }
    answer = session.post(slack.base_url + "views.open", data=form, timeout=5).json()
    assert answer["ok"] is True
    assert answer["view"]["callback_id"] == "drift_open"


def test_token_inside_a_json_body_is_not_accepted(
    slack: FakeSlack, session: requests.Session
) -> None:
    body = {"token": slack.bot_token, "channel": payloads.CHANNEL_ID, "text": "x"}
    answer = session.post(slack.base_url + "chat.postMessage", json=body, timeout=5).json()
    assert answer == {"ok": False, "error": "not_authed"}


def test_rate_limit_answers_429_with_retry_after_then_recovers(
    slack: FakeSlack, web: WebClient
) -> None:
    slack.rate_limit("chat.postMessage", times=1, retry_after=7)
    failure = slack_error(lambda: web.chat_postMessage(channel=payloads.CHANNEL_ID, text="x"))
    assert failure.response.status_code == 429
    assert failure.response.headers["Retry-After"] == "7"
    assert failure.response["error"] == "ratelimited"
    assert web.chat_postMessage(channel=payloads.CHANNEL_ID, text="x")["ok"] is True


def test_wait_for_sees_a_post_from_another_thread(slack: FakeSlack, web: WebClient) -> None:
    poster = threading.Thread(
        target=lambda: web.chat_postMessage(channel=payloads.CHANNEL_ID, text="later")
    )
    poster.start()
    messages = slack.wait_for(lambda: slack.messages)
    poster.join()
    assert messages[0].text == "later"


def test_wait_for_raises_at_the_deadline(slack: FakeSlack) -> None:
    with pytest.raises(TimeoutError):
        slack.wait_for(lambda: slack.messages, timeout=0.1)


# views ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("elapsed", "error"), [(2.9, None), (3.01, "expired_trigger_id")])
def test_trigger_expires_after_three_seconds(
    slack: FakeSlack, web: WebClient, clock: Any, elapsed: float, error: str | None
) -> None:
    trigger_id = slack.new_trigger_id()
    clock.now += elapsed
    if error is None:
        assert web.views_open(trigger_id=trigger_id, view=modal())["view"]["id"].startswith("V")
    else:
        failure = slack_error(lambda: web.views_open(trigger_id=trigger_id, view=modal()))
        assert failure.response["error"] == error


def test_trigger_is_single_use(slack: FakeSlack, web: WebClient) -> None:
    trigger_id = slack.new_trigger_id()
    web.views_open(trigger_id=trigger_id, view=modal())
    failure = slack_error(lambda: web.views_open(trigger_id=trigger_id, view=modal()))
    assert failure.response["error"] == "exchanged_trigger_id"


def test_unknown_trigger_is_invalid(web: WebClient) -> None:
    failure = slack_error(lambda: web.views_open(trigger_id="1.2.3", view=modal()))
    assert failure.response["error"] == "invalid_trigger_id"


def test_default_clock_moves_with_advance() -> None:
    with FakeSlack() as slack:
        web = WebClient(token=slack.bot_token, base_url=slack.base_url)
        trigger_id = slack.new_trigger_id()
        slack.advance(3.5)
        failure = slack_error(lambda: web.views_open(trigger_id=trigger_id, view=modal()))
    assert failure.response["error"] == "expired_trigger_id"


def test_views_open_returns_the_stored_view(slack: FakeSlack, web: WebClient) -> None:
    view = web.views_open(trigger_id=slack.new_trigger_id(), view=modal())["view"]
    assert view["hash"]
    assert view["private_metadata"] == "{}"
    assert view["state"] == {"values": {}}
    assert slack.views[view["id"]] == view
    assert slack.is_view_open(view["id"])


def test_views_update_changes_the_hash_and_rejects_a_stale_one(
    slack: FakeSlack, web: WebClient
) -> None:
    opened = web.views_open(trigger_id=slack.new_trigger_id(), view=modal())["view"]
    working = modal(title=plain("Working…"))
    updated = web.views_update(view_id=opened["id"], hash=opened["hash"], view=working)["view"]
    assert updated["hash"] != opened["hash"]
    assert updated["title"]["text"] == "Working…"
    stale = slack_error(
        lambda: web.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    )
    assert stale.response["error"] == "hash_conflict"


def test_views_update_by_external_id(slack: FakeSlack, web: WebClient) -> None:
    web.views_open(trigger_id=slack.new_trigger_id(), view=modal(external_id="draft-1"))
    updated = web.views_update(external_id="draft-1", view=modal(external_id="draft-1"))
    assert updated["view"]["external_id"] == "draft-1"


def test_views_update_after_the_user_closed_the_modal_is_not_found(
    slack: FakeSlack, web: WebClient
) -> None:
    view_id = web.views_open(trigger_id=slack.new_trigger_id(), view=modal())["view"]["id"]
    slack.close_view(view_id)
    failure = slack_error(lambda: web.views_update(view_id=view_id, view=modal()))
    assert failure.response["error"] == "not_found"


@pytest.mark.parametrize(
    ("ack", "still_open"),
    [
        (None, False),
        ({"response_action": "clear"}, False),
        ({"response_action": "errors", "errors": {"email": "Enter an email"}}, True),
        ({"response_action": "update", "view": modal(title=plain("Working…"))}, True),
    ],
)
def test_settled_submission_closes_or_keeps_the_modal(
    slack: FakeSlack, web: WebClient, ack: dict[str, Any] | None, still_open: bool
) -> None:
    view_id = web.views_open(trigger_id=slack.new_trigger_id(), view=modal())["view"]["id"]
    slack.settle_submission(view_id, ack)
    assert slack.is_view_open(view_id) is still_open
    if not still_open:
        failure = slack_error(lambda: web.views_update(view_id=view_id, view=modal()))
        assert failure.response["error"] == "not_found"


@pytest.mark.parametrize(
    ("view", "pointer"),
    [
        (modal(title=plain("x" * 25)), "/view/title/text"),
        (modal(submit=plain("x" * 25)), "/view/submit/text"),
        (modal(close=plain("x" * 25)), "/view/close/text"),
        (modal(blocks=[divider(i) for i in range(101)]), "/view/blocks"),
        (modal(private_metadata="x" * 3001), "/view/private_metadata"),
        (modal(blocks=[{**text_input(), "label": None}]), "/view/blocks/0/label"),
        (modal(blocks=[text_input(max_length=3001)]), "/view/blocks/0/element/max_length"),
        (modal(submit=None), "/view"),
        (modal(blocks=[divider(1), divider(1)]), "/view/blocks/1/block_id"),
    ],
)
def test_views_breaking_block_kit_limits_are_invalid_arguments(
    slack: FakeSlack, web: WebClient, view: dict[str, Any], pointer: str
) -> None:
    trigger_id = slack.new_trigger_id()
    failure = slack_error(lambda: web.views_open(trigger_id=trigger_id, view=view))
    assert failure.response["error"] == "invalid_arguments"
    messages = failure.response["response_metadata"]["messages"]
    assert any(message.startswith("[ERROR]") and pointer in message for message in messages)
    # the arguments are rejected before the trigger is exchanged
    assert web.views_open(trigger_id=trigger_id, view=modal())["ok"] is True


@pytest.mark.parametrize(
    "view",
    [
        modal(title=plain("x" * 24), submit=plain("y" * 24), close=plain("z" * 24)),
        modal(blocks=[divider(i) for i in range(100)], submit=None),
        modal(private_metadata="x" * 3000),
        modal(blocks=[text_input(max_length=3000, min_length=0)]),
    ],
)
def test_views_at_the_limits_are_accepted(
    slack: FakeSlack, web: WebClient, view: dict[str, Any]
) -> None:
    assert web.views_open(trigger_id=slack.new_trigger_id(), view=view)["ok"] is True


# messages ------------------------------------------------------------------------------------
def test_post_message_returns_channel_ts_and_message(slack: FakeSlack, web: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*done*"}}]
    answer = web.chat_postMessage(
        channel=payloads.CHANNEL_ID, text="done", blocks=blocks, thread_ts="111.222"
    )
    assert answer["channel"] == payloads.CHANNEL_ID
    assert answer["message"]["ts"] == answer["ts"]
    assert answer["message"]["bot_id"] == payloads.BOT_ID
    posted = slack.messages[0]
    assert (posted.channel, posted.ts, posted.thread_ts) == (
        payloads.CHANNEL_ID,
        answer["ts"],
        "111.222",
    )
    assert posted.blocks == blocks
    assert posted.dm_user is None


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ({"channel_id": "C0PUBLIC", "name": "sales", "bot_is_member": False}, "not_in_channel"),
        (
            {"channel_id": "G0PRIV", "name": "deals", "is_private": True, "bot_is_member": False},
            "channel_not_found",
        ),
        (
            {"channel_id": "D0HUMANS", "name": None, "is_im": True, "bot_is_member": False},
            "channel_not_found",
        ),
        ({"channel_id": "C0ARCH", "name": "old", "is_archived": True}, "is_archived"),
    ],
)
def test_post_message_where_the_bot_cannot_post(
    slack: FakeSlack, web: WebClient, channel: dict[str, Any], error: str
) -> None:
    slack.add_channel(**channel)
    failure = slack_error(lambda: web.chat_postMessage(channel=channel["channel_id"], text="x"))
    assert failure.response["error"] == error
    assert slack.messages == []


def test_post_message_to_unknown_channel_is_channel_not_found(web: WebClient) -> None:
    failure = slack_error(lambda: web.chat_postMessage(channel="C0NOPE", text="x"))
    assert failure.response["error"] == "channel_not_found"


def test_public_channel_needs_no_membership_with_chat_write_public() -> None:
    scopes = frozenset({"chat:write", "chat:write.public"})
    with FakeSlack(scopes=scopes) as wide:
        wide.add_channel("C0PUBLIC", "sales", bot_is_member=False)
        web = WebClient(token=wide.bot_token, base_url=wide.base_url)
        assert web.chat_postMessage(channel="C0PUBLIC", text="x")["ok"] is True


def test_post_message_to_a_user_id_lands_in_the_app_dm(slack: FakeSlack, web: WebClient) -> None:
    answer = web.chat_postMessage(channel=payloads.USER_ID, text="your link")
    assert answer["channel"].startswith("D")
    assert slack.messages[0].dm_user == payloads.USER_ID
    assert slack.messages[0].channel == answer["channel"]
    info = web.conversations_info(channel=answer["channel"])["channel"]
    assert info["is_im"] is True
    assert info["user"] == payloads.USER_ID


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_needs_text_or_blocks(web: WebClient) -> None:
    failure = slack_error(lambda: web.chat_postMessage(channel=payloads.CHANNEL_ID))
    assert failure.response["error"] == "no_text"


def test_post_message_without_chat_write_is_missing_scope() -> None:
    with FakeSlack(scopes=frozenset({"users:read"})) as narrow:
        web = WebClient(token=narrow.bot_token, base_url=narrow.base_url)
        failure = slack_error(lambda: web.chat_postMessage(channel=payloads.CHANNEL_ID, text="x"))
    assert failure.response["error"] == "missing_scope"
    assert failure.response["needed"] == "chat:write"


def test_post_ephemeral_to_a_member_and_to_a_stranger(slack: FakeSlack, web: WebClient) -> None:
    slack.add_user("U0OTHER", name="other")
    slack.add_channel("C0TEAM", "team", members=frozenset({payloads.USER_ID}))
    answer = web.chat_postEphemeral(channel="C0TEAM", user=payloads.USER_ID, text="only you")
    assert slack.ephemerals[0].message_ts == answer["message_ts"]
    assert slack.ephemerals[0].user == payloads.USER_ID
    failure = slack_error(
        lambda: web.chat_postEphemeral(channel="C0TEAM", user="U0OTHER", text="x")
    )
    assert failure.response["error"] == "user_not_in_channel"


def test_permalink_of_a_seeded_message_and_of_a_thread_reply(
    slack: FakeSlack, web: WebClient
) -> None:
    parent = payloads.user_message("hello", ts="1700000000.000100")
    reply = payloads.thread_reply(parent, "more", ts="1700000001.000200")
    slack.add_message(payloads.CHANNEL_ID, parent)
    slack.add_message(payloads.CHANNEL_ID, reply)
    top = web.chat_getPermalink(channel=payloads.CHANNEL_ID, message_ts=parent["ts"])
    assert top["permalink"] == (
        f"https://acme.slack.com/archives/{payloads.CHANNEL_ID}/p1700000000000100"
    )
    threaded = web.chat_getPermalink(channel=payloads.CHANNEL_ID, message_ts=reply["ts"])
    assert threaded["permalink"].endswith(
        f"/p1700000001000200?thread_ts=1700000000.000100&cid={payloads.CHANNEL_ID}"
    )


def test_permalink_of_an_unknown_message(web: WebClient) -> None:
    failure = slack_error(
        lambda: web.chat_getPermalink(channel=payloads.CHANNEL_ID, message_ts="1.2")
    )
    assert failure.response["error"] == "message_not_found"


# directory -----------------------------------------------------------------------------------
def test_users_info_has_profile_email_and_names(web: WebClient) -> None:
    user = web.users_info(user=payloads.USER_ID)["user"]
    assert user["team_id"] == payloads.TEAM_ID
    assert user["is_bot"] is False
    assert user["deleted"] is False
    assert user["profile"]["email"] == payloads.USER_EMAIL
    assert user["profile"]["real_name"] == "Riley Rep"
    assert user["profile"]["display_name"] == "riley"


def test_users_info_hides_email_without_users_read_email() -> None:
    with FakeSlack(scopes=frozenset({"users:read"})) as narrow:
        web = WebClient(token=narrow.bot_token, base_url=narrow.base_url)
        profile = web.users_info(user=payloads.USER_ID)["user"]["profile"]
    assert "email" not in profile
    assert profile["real_name"] == "Riley Rep"


def test_users_info_bots_and_slack_connect_users(slack: FakeSlack, web: WebClient) -> None:
    slack.add_user("U0EXT", name="partner", real_name="Pat Partner", team_id="T0OTHER")
    bot = web.users_info(user=payloads.BOT_USER_ID)["user"]
    assert bot["is_bot"] is True
    assert "email" not in bot["profile"]
    external = web.users_info(user="U0EXT")["user"]
    assert external["team_id"] == "T0OTHER"
    assert "email" not in external["profile"]


def test_users_info_of_an_unknown_user(web: WebClient) -> None:
    assert slack_error(lambda: web.users_info(user="U0NOPE")).response["error"] == "user_not_found"


def test_users_info_of_a_user_the_app_cannot_see(slack: FakeSlack, web: WebClient) -> None:
    slack.add_user("U0HIDDEN", name="hidden", visible=False)
    failure = slack_error(lambda: web.users_info(user="U0HIDDEN"))
    assert failure.response["error"] == "user_not_visible"
    listed = [member["id"] for member in web.users_list()["members"]]
    assert "U0HIDDEN" not in listed


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (
            {"channel_id": "C0PUB", "name": "sales", "bot_is_member": False},
            {"is_private": False, "is_im": False, "is_member": False, "name": "sales"},
        ),
        (
            {"channel_id": "G0PRIV", "name": "deals", "is_private": True},
            {"is_private": True, "is_im": False, "is_member": True, "name": "deals"},
        ),
    ],
)
def test_conversations_info_fields(
    slack: FakeSlack, web: WebClient, channel: dict[str, Any], expected: dict[str, Any]
) -> None:
    slack.add_channel(**channel)
    info = web.conversations_info(channel=channel["channel_id"])["channel"]
    assert {key: info[key] for key in expected} == expected
    assert info["id"] == channel["channel_id"]


def test_conversations_info_of_a_private_channel_the_bot_is_not_in(
    slack: FakeSlack, web: WebClient
) -> None:
    slack.add_channel("G0SECRET", "secret", is_private=True, bot_is_member=False)
    failure = slack_error(lambda: web.conversations_info(channel="G0SECRET"))
    assert failure.response["error"] == "channel_not_found"


# response_url --------------------------------------------------------------------------------
def test_response_url_takes_five_posts(slack: FakeSlack) -> None:
    webhook = WebhookClient(slack.response_url())
    statuses = [webhook.send(text=f"post {n}").status_code for n in range(6)]
    assert statuses == [200, 200, 200, 200, 200, 404]
    assert json.loads(webhook.send(text="again").body)["error"] == "used_url"
    assert [post.body["text"] for post in slack.response_posts] == [f"post {n}" for n in range(5)]


def test_response_url_expires_after_thirty_minutes(slack: FakeSlack, clock: Any) -> None:
    webhook = WebhookClient(slack.response_url(channel_id="D0HUMANS"))
    sent = webhook.send_dict(
        {"text": "threaded", "response_type": "in_channel", "thread_ts": "1.2"}
    )
    assert sent.status_code == 200
    assert slack.response_posts[0].channel_id == "D0HUMANS"
    assert slack.response_posts[0].in_channel
    clock.now += 30 * 60 + 1
    expired = webhook.send(text="late")
    assert (expired.status_code, json.loads(expired.body)["error"]) == (404, "expired_url")


def test_response_url_needs_text_or_blocks(slack: FakeSlack) -> None:
    answer = WebhookClient(slack.response_url()).send_dict({"response_type": "in_channel"})
    assert answer.status_code == 400
    assert slack.response_posts == []


# users.list, usergroups.list, views.publish, scopes header ---------------------------------
def test_every_reply_lists_the_granted_scopes_in_a_header(web: WebClient) -> None:
    granted = web.auth_test().headers["x-oauth-scopes"]
    assert set(granted.split(",")) == set(FakeSlack().scopes)
    refused = slack_error(lambda: web.users_info(user="U0NOPE"))
    assert refused.response.headers["x-oauth-scopes"] == granted


def test_scopes_header_follows_the_configured_scopes() -> None:
    with FakeSlack(scopes=frozenset({"commands", "chat:write"})) as narrow:
        web = WebClient(token=narrow.bot_token, base_url=narrow.base_url)
        assert web.auth_test().headers["x-oauth-scopes"] == "chat:write,commands"


def test_users_list_pages_with_a_cursor(slack: FakeSlack, web: WebClient) -> None:
    for n in range(3):
        slack.add_user(f"U0PAGE{n}", name=f"page{n}", email=f"page{n}@example.com")
    first = web.users_list(limit=2)
    cursor = first["response_metadata"]["next_cursor"]
    assert len(first["members"]) == 2
    assert cursor
    members = [member for page in web.users_list(limit=2) for member in page["members"]]
    assert [member["id"] for member in members] == list(slack.directory.users)
    assert len(members) == 5
    assert len(slack.calls_to("users.list")) == 1 + 3
    assert isinstance(first["cache_ts"], int)
    rep = next(member for member in members if member["id"] == payloads.USER_ID)
    assert rep["profile"]["email"] == payloads.USER_EMAIL


@pytest.mark.parametrize(
    ("scopes", "error", "has_email"),
    [
        (frozenset(), "missing_scope", False),
        (frozenset({"users:read"}), None, False),
        (frozenset({"users:read", "users:read.email"}), None, True),
    ],
)
def test_users_list_scopes(scopes: frozenset[str], error: str | None, has_email: bool) -> None:
    with FakeSlack(scopes=scopes) as narrow:
        web = WebClient(token=narrow.bot_token, base_url=narrow.base_url)
        if error:
            assert slack_error(lambda: web.users_list()).response["error"] == error
            return
        members = web.users_list()["members"]
    rep = next(member for member in members if member["id"] == payloads.USER_ID)
    assert ("email" in rep["profile"]) is has_email


def test_users_list_rejects_a_bad_cursor(web: WebClient) -> None:
    assert slack_error(lambda: web.users_list(cursor="zz")).response["error"] == "invalid_cursor"


def test_usergroups_list_needs_its_scope(slack: FakeSlack) -> None:
    slack.add_usergroup("S0SALES", handle="sales-team", name="Sales")
    web = WebClient(token=slack.bot_token, base_url=slack.base_url)
    assert slack_error(lambda: web.usergroups_list()).response["error"] == "missing_scope"
    slack.scopes = slack.scopes | {"usergroups:read"}
    [group] = web.usergroups_list()["usergroups"]
    assert (group["id"], group["handle"], group["name"]) == ("S0SALES", "sales-team", "Sales")


def test_views_publish_records_the_home_tab_per_user(slack: FakeSlack, web: WebClient) -> None:
    published = web.views_publish(user_id=payloads.USER_ID, view=home_view())["view"]
    assert published["type"] == "home"
    assert slack.home_views[payloads.USER_ID]["blocks"] == home_view()["blocks"]
    web.views_publish(user_id=payloads.USER_ID, view=home_view([divider(0)]))
    assert slack.home_views[payloads.USER_ID]["blocks"] == [divider(0)]


@pytest.mark.parametrize(
    ("user_id", "view", "error"),
    [
        ("U0NOPE", home_view(), "invalid_arguments"),
        (payloads.USER_ID, modal(), "invalid_arguments"),
        (payloads.USER_ID, home_view([]), "invalid_arguments"),
        (payloads.USER_ID, home_view([divider(n) for n in range(101)]), "invalid_arguments"),
        (
            payloads.USER_ID,
            home_view([{"type": "header", "text": plain("x" * 151)}]),
            "invalid_arguments",
        ),
        (payloads.USER_ID, home_view(private_metadata="m" * 3001), "invalid_arguments"),
    ],
)
def test_views_publish_enforces_block_kit_limits(
    slack: FakeSlack, web: WebClient, user_id: str, view: dict[str, Any], error: str
) -> None:
    assert (
        slack_error(lambda: web.views_publish(user_id=user_id, view=view)).response["error"]
        == error
    )
    assert slack.home_views == {}


def test_views_publish_at_the_block_limit_is_accepted(slack: FakeSlack, web: WebClient) -> None:
    web.views_publish(user_id=payloads.USER_ID, view=home_view([divider(n) for n in range(100)]))
    assert len(slack.home_views[payloads.USER_ID]["blocks"]) == 100
