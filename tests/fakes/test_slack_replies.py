"""FakeSlack's conversations.replies: the thread in pages, its errors and its rate limit."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.clock import FakeClock
from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack

SCOPES = frozenset({"channels:history", "groups:history"})


@pytest.fixture
def thread(slack: FakeSlack) -> list[dict[str, object]]:
    slack.scopes = slack.scopes | SCOPES
    parent = payloads.user_message("Parent")
    replies = [payloads.thread_reply(parent, f"Reply {n}") for n in range(20)]
    for message in (parent, *replies):
        slack.add_message(payloads.CHANNEL_ID, message)
    return [parent, *replies]


def read_all(web: WebClient, ts: str, limit: int) -> list[list[str]]:
    pages, cursor = [], ""
    while True:
        answer = web.conversations_replies(
            channel=payloads.CHANNEL_ID, ts=ts, limit=limit, cursor=cursor or None
        )
        pages.append([m["text"] for m in answer["messages"]])
        cursor = answer["response_metadata"]["next_cursor"]
        assert answer["has_more"] is bool(cursor)
        if not cursor:
            return pages


def test_pages_oldest_first_with_the_parent_and_its_reply_count(
    web: WebClient, thread: list[dict[str, object]]
) -> None:
    pages = read_all(web, str(thread[5]["ts"]), limit=8)
    assert [len(page) for page in pages] == [8, 8, 5]
    assert pages[0][0] == "Parent" and pages[-1][-1] == "Reply 19"
    first = web.conversations_replies(channel=payloads.CHANNEL_ID, ts=str(thread[0]["ts"]))
    assert first["messages"][0]["reply_count"] == 20


def test_the_limit_caps_pages_and_answers_429_with_retry_after(
    slack: FakeSlack, web: WebClient, clock: FakeClock, thread: list[dict[str, object]]
) -> None:
    slack.limit_replies(1, window=60.0, page_cap=15)
    ts = str(thread[0]["ts"])
    answer = web.conversations_replies(channel=payloads.CHANNEL_ID, ts=ts, limit=100)
    assert len(answer["messages"]) == 15
    clock.now += 20
    with pytest.raises(SlackApiError) as raised:
        web.conversations_replies(channel=payloads.CHANNEL_ID, ts=ts)
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] in ("40", ["40"])
    clock.now += 40
    assert web.conversations_replies(channel=payloads.CHANNEL_ID, ts=ts)["ok"]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"ts": "1.000000"}, "thread_not_found"),
        ({"cursor": "bogus"}, "invalid_cursor"),
        ({"channel": "C0NOWHERE"}, "channel_not_found"),
    ],
)
def test_errors(
    web: WebClient, thread: list[dict[str, object]], params: dict[str, str], error: str
) -> None:
    call = {"channel": payloads.CHANNEL_ID, "ts": str(thread[0]["ts"]), **params}
    with pytest.raises(SlackApiError) as raised:
        web.api_call("conversations.replies", params=call)
    assert raised.value.response["error"] == error


def test_without_history_scope_it_is_missing_scope(slack: FakeSlack, web: WebClient) -> None:
    slack.scopes = slack.scopes - {"channels:history"}
    parent = payloads.user_message("Parent")
    slack.add_message(payloads.CHANNEL_ID, parent)
    with pytest.raises(SlackApiError) as raised:
        web.conversations_replies(channel=payloads.CHANNEL_ID, ts=parent["ts"])
    assert raised.value.response["error"] == "missing_scope"
    assert raised.value.response["needed"] == "channels:history"


@pytest.mark.parametrize(("inclusive", "expected"), [(True, ["Reply 3"]), (False, [])])
def test_latest_and_oldest_bound_the_messages(
    web: WebClient, thread: list[dict[str, object]], inclusive: bool, expected: list[str]
) -> None:
    ts = str(thread[4]["ts"])
    answer = web.conversations_replies(
        channel=payloads.CHANNEL_ID, ts=ts, latest=ts, oldest=ts, inclusive=inclusive
    )
    assert [m["text"] for m in answer["messages"]] == expected
