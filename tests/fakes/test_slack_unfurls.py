"""FakeSlack's link_shared events and chat.unfurl, with Slack's validation."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack

URL = "https://app.drift.com/inboxes/1/conversations/2"
CARD = {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "card"}}]}


def test_a_shared_link_event_has_slacks_shape(slack: FakeSlack) -> None:
    event = slack.share_links(payloads.CHANNEL_ID, [URL])
    assert event["type"] == "link_shared"
    assert event["links"] == [{"domain": "app.drift.com", "url": URL}]
    assert event["source"] == "conversations_history"
    assert event["channel"] == payloads.CHANNEL_ID and event["message_ts"] and event["unfurl_id"]


@pytest.mark.parametrize("by", ["channel_ts", "unfurl_id"])
def test_chat_unfurl_records_the_card(slack: FakeSlack, web: WebClient, by: str) -> None:
    event = slack.share_links(payloads.CHANNEL_ID, [URL])
    target: dict[str, Any] = (
        {"channel": event["channel"], "ts": event["message_ts"]}
        if by == "channel_ts"
        else {"unfurl_id": event["unfurl_id"], "source": event["source"]}
    )
    web.chat_unfurl(unfurls={URL: CARD}, **target)
    [unfurl] = slack.unfurls
    assert (unfurl.channel, unfurl.ts, unfurl.url) == (
        payloads.CHANNEL_ID,
        event["message_ts"],
        URL,
    )


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"unfurls": {"https://other.example/": CARD}}, "cannot_unfurl_url"),
        ({"unfurls": {URL: "card"}}, "invalid_unfurls_format"),
        ({"unfurls": {URL: {"blocks": [{"type": "nonsense"}]}}}, "invalid_blocks"),
        ({"unfurls": {URL: CARD}, "ts": "1.000"}, "cannot_find_message"),
        ({"unfurls": {URL: CARD}, "channel": ""}, "missing_channel"),
        ({"unfurls": {URL: CARD}, "unfurl_id": "x", "source": "composer"}, "invalid_unfurl_id"),
        ({"unfurls": {URL: CARD}, "unfurl_id": "x"}, "missing_source"),
        ({"unfurls": {URL: CARD}, "unfurl_id": "x", "source": "elsewhere"}, "invalid_source"),
    ],
)
def test_chat_unfurl_refuses_what_slack_refuses(
    slack: FakeSlack, web: WebClient, params: dict[str, Any], error: str
) -> None:
    event = slack.share_links(payloads.CHANNEL_ID, [URL])
    call = {"channel": event["channel"], "ts": event["message_ts"], **params}
    with pytest.raises(SlackApiError) as raised:
        web.api_call("chat.unfurl", json=call)
    assert raised.value.response["error"] == error
    assert slack.unfurls == []


def test_chat_unfurl_needs_links_write() -> None:
    with FakeSlack(scopes=frozenset({"chat:write", "links:read"})) as slack:
        web = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])
        event = slack.share_links(payloads.CHANNEL_ID, [URL])
        with pytest.raises(SlackApiError) as raised:
            web.chat_unfurl(channel=event["channel"], ts=event["message_ts"], unfurls={URL: CARD})
    assert raised.value.response["error"] == "missing_scope"
