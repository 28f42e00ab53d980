"""FakeSlack holds posted messages to Slack's message limits: blocks, text, markdown_text,
attachments, on chat.postMessage, chat.postEphemeral and response_url alike."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_builders import divider, section, slack_error

POST_METHODS = ("chat.postMessage", "chat.postEphemeral")
TOO_MANY_BLOCKS = "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"


def post(web: WebClient, method: str, **content: Any) -> Any:
    """Post `content` to the default channel (to the default user, for an ephemeral)."""
    target = {"channel": payloads.CHANNEL_ID, "user": payloads.USER_ID}
    return web.api_call(method, json={**target, **content})


def markdown_block(text: str) -> dict[str, str]:
    return {"type": "markdown", "text": text}


@pytest.mark.parametrize("method", POST_METHODS)
@pytest.mark.parametrize(
    ("content", "error"),
    [
        ({"blocks": [divider(n) for n in range(51)]}, "invalid_blocks"),
        ({"blocks": [markdown_block("x" * 12_001)]}, "invalid_blocks"),
        ({"blocks": [{"type": "markdown"}]}, "invalid_blocks"),
        ({"markdown_text": "**hi**", "text": "hi"}, "markdown_text_conflict"),
        ({"markdown_text": "**hi**", "blocks": [section("hi")]}, "markdown_text_conflict"),
        ({"markdown_text": "x" * 12_001}, "msg_too_long"),
        ({"text": "x", "attachments": [{"text": "a"}] * 101}, "too_many_attachments"),
    ],
)
def test_messages_past_slack_limits_are_refused(
    slack: FakeSlack, web: WebClient, method: str, content: dict[str, Any], error: str
) -> None:
    failure = slack_error(lambda: post(web, method, **content))
    assert failure.response["error"] == error
    assert (slack.messages, slack.ephemerals) == ([], [])


def test_too_many_blocks_names_the_limit(web: WebClient) -> None:
    content = {"text": "x", "blocks": [divider(n) for n in range(51)]}
    failure = slack_error(lambda: post(web, "chat.postMessage", **content))
    assert TOO_MANY_BLOCKS in failure.response["response_metadata"]["messages"]


@pytest.mark.parametrize("method", POST_METHODS)
@pytest.mark.parametrize(
    "content",
    [
        {"text": "x", "blocks": [divider(n) for n in range(50)]},
        {"text": "x", "blocks": [markdown_block("x" * 12_000)]},
        {"markdown_text": "x" * 12_000},
        {"text": "x", "attachments": [{"text": "a"}] * 100},
    ],
)
def test_messages_at_slack_limits_are_posted(
    web: WebClient, method: str, content: dict[str, Any]
) -> None:
    answer = post(web, method, **content)
    assert answer["ok"] is True
    assert "warning" not in answer.data


@pytest.mark.parametrize("method", POST_METHODS)
def test_text_past_40000_characters_is_truncated_with_a_warning(
    slack: FakeSlack, web: WebClient, method: str
) -> None:
    answer = post(web, method, text="x" * 40_001)
    assert answer["ok"] is True
    assert answer["warning"] == "message_truncated"
    assert answer["response_metadata"]["warnings"] == ["message_truncated"]
    [posted] = slack.messages or slack.ephemerals
    assert posted.text == "x" * 40_000


def test_ephemeral_to_an_unknown_user_is_user_not_in_channel(web: WebClient) -> None:
    failure = slack_error(
        lambda: web.chat_postEphemeral(channel=payloads.CHANNEL_ID, user="U0NOPE", text="x")
    )
    assert failure.response["error"] == "user_not_in_channel"


# response_url ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {"text": "x", "blocks": [divider(n) for n in range(51)]},
        {"text": "x", "blocks": [{"type": "section"}]},
        {"text": "x", "blocks": {"type": "section"}},
    ],
)
def test_response_url_refuses_invalid_blocks_without_using_the_url(
    slack: FakeSlack, body: dict[str, Any]
) -> None:
    webhook = WebhookClient(slack.response_url())
    refused = webhook.send_dict(body)
    assert (refused.status_code, refused.body) == (400, '{"ok": false, "error": "invalid_blocks"}')
    assert slack.response_posts == []
    assert all(webhook.send(text=f"post {n}").status_code == 200 for n in range(5))


def test_response_url_truncates_long_text_and_takes_attachments_alone(slack: FakeSlack) -> None:
    webhook = WebhookClient(slack.response_url())
    assert webhook.send_dict({"text": "x" * 40_001}).status_code == 200
    assert webhook.send_dict({"attachments": [{"text": "a"}]}).status_code == 200
    assert [post.body.get("text") for post in slack.response_posts] == ["x" * 40_000, None]
