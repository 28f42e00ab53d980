"""The Web API methods FakeSlack answers: each takes the fake and the call's params and returns
the success body (without `ok`) or raises SlackMethodError. Called with the fake's lock held.

Message limits (slack-api-ref docs.slack.dev/methods/chat.postMessage.json and postEphemeral):
`text` above 40,000 characters is truncated with the warning `message_truncated`; `markdown_text`
may not be combined with `text` or `blocks` (`markdown_text_conflict`) and is limited to 12,000
characters (the refusal's code is not documented; this fake answers `msg_too_long`); at most 100
`attachments` (`too_many_attachments`); at most 50 blocks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakes import payloads
from tests.fakes.block_kit import home_view_problems, message_blocks_problems
from tests.fakes.slack_directory import EphemeralMessage, PostedMessage, SlackMethodError
from tests.fakes.slack_functions import functions_complete_error, functions_complete_success
from tests.fakes.slack_history import conversations_history
from tests.fakes.slack_replies import conversations_replies
from tests.fakes.slack_unfurls import chat_unfurl

if TYPE_CHECKING:
    from tests.fakes.slack_api import FakeSlack

Method = Callable[["FakeSlack", dict[str, Any]], dict[str, Any]]

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_TEXT_CHARS = 40_000
MAX_MARKDOWN_TEXT_CHARS = 12_000
MAX_ATTACHMENTS = 100
TRUNCATED_WARNING = "message_truncated"
TRUNCATED_MESSAGE = (
    "[WARN] Your message was truncated but still posted. "
    "The `text` field accepts up to 40,000 characters."
)


def auth_test(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{payloads.TEAM_DOMAIN}.slack.com/",
        "team": "Acme",
        "user": "drift-open",
        "team_id": payloads.TEAM_ID,
        "user_id": payloads.BOT_USER_ID,
        "bot_id": payloads.BOT_ID,
        "is_enterprise_install": False,
    }


def apps_connections_open(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("connections:write", app_token=True)
    return {"url": fake.socket_mode_url()}


@dataclass(frozen=True)
class MessageContent:
    """What a chat.post* call will post, and the warnings the reply carries."""

    text: str | None
    blocks: list[dict[str, Any]] | None
    warnings: list[str] = field(default_factory=list)

    def warning_fields(self) -> dict[str, Any]:
        """Slack's warning envelope: a top-level `warning` plus `response_metadata`."""
        if not self.warnings:
            return {}
        metadata = {"warnings": self.warnings, "messages": [TRUNCATED_MESSAGE]}
        return {"warning": ",".join(self.warnings), "response_metadata": metadata}


def _content(params: dict[str, Any]) -> MessageContent:
    text, blocks = params.get("text") or None, params.get("blocks") or None
    markdown_text = params.get("markdown_text") or None
    if markdown_text is not None:
        if text is not None or blocks is not None:
            raise SlackMethodError("markdown_text_conflict")
        if len(str(markdown_text)) > MAX_MARKDOWN_TEXT_CHARS:
            raise SlackMethodError("msg_too_long")
        return MessageContent(str(markdown_text), None)
    if blocks is not None:
        if not isinstance(blocks, list):
            raise SlackMethodError("invalid_blocks_format")
        problems = message_blocks_problems(blocks)
        if problems:
            raise SlackMethodError("invalid_blocks", response_metadata={"messages": problems})
    attachments = params.get("attachments")
    if isinstance(attachments, list) and len(attachments) > MAX_ATTACHMENTS:
        raise SlackMethodError("too_many_attachments")
    if text is None and blocks is None and not attachments:
        raise SlackMethodError("no_text")
    if text is not None and len(str(text)) > MAX_TEXT_CHARS:
        return MessageContent(str(text)[:MAX_TEXT_CHARS], blocks, [TRUNCATED_WARNING])
    return MessageContent(text, blocks)


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def chat_post_message(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("chat:write")
    content = _content(params)
    text, blocks = content.text, content.blocks
    channel, dm_user = fake.directory.postable_channel(
        str(params.get("channel") or ""), fake.scopes
    )
    thread_ts = params.get("thread_ts") or None
    ts = fake.directory.new_ts()
    message: dict[str, Any] = {
        "type": "message",
        "user": payloads.BOT_USER_ID,
        "bot_id": payloads.BOT_ID,
        "app_id": payloads.API_APP_ID,
        "text": text or "",
        "ts": ts,
        "team": payloads.TEAM_ID,
    }
    if blocks is not None:
        message["blocks"] = blocks
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    fake.directory.add_message(channel.id, message)
    broadcast = _flag(params.get("reply_broadcast"))
    fake.record_message(PostedMessage(channel.id, ts, text, blocks, thread_ts, dm_user, broadcast))
    return {"channel": channel.id, "ts": ts, "message": message, **content.warning_fields()}


def chat_post_ephemeral(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """An unknown `user` is `user_not_in_channel` too: `user_not_found` is not among
    chat.postEphemeral's documented errors."""
    fake.require_scope("chat:write")
    content = _content(params)
    channel, _ = fake.directory.postable_channel(str(params.get("channel") or ""), fake.scopes)
    user = str(params.get("user") or "")
    if user not in fake.directory.users or not fake.directory.is_member(channel, user):
        raise SlackMethodError("user_not_in_channel")
    ts = fake.directory.new_ts()
    thread_ts = params.get("thread_ts") or None
    fake.record_ephemeral(
        EphemeralMessage(channel.id, user, ts, content.text, content.blocks, thread_ts)
    )
    return {"message_ts": ts, **content.warning_fields()}


def chat_get_permalink(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = str(params.get("channel") or "")
    permalink = fake.directory.permalink(channel, str(params.get("message_ts") or ""))
    return {"channel": channel, "permalink": permalink}


def users_info(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("users:read")
    include_email = "users:read.email" in fake.scopes
    return {
        "user": fake.directory.user_info(str(params.get("user") or ""), include_email=include_email)
    }


def conversations_info(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = fake.directory.visible_channel(str(params.get("channel") or ""))
    if channel.is_im:
        fake.require_scope("im:read")
    elif channel.is_mpim:
        fake.require_scope("mpim:read")
    elif channel.is_private:
        fake.require_scope("groups:read")
    else:
        fake.require_scope("channels:read")
    return {"channel": fake.directory.channel_info(channel.id)}


def views_open(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    return {"view": fake.modals.open(params.get("trigger_id"), params.get("view"))}


def views_push(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    return {"view": fake.modals.push(params.get("trigger_id"), params.get("view"))}


def views_update(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    view = fake.modals.update(
        params.get("view_id"), params.get("external_id"), params.get("view"), params.get("hash")
    )
    return {"view": view}


def users_list(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """Cursor-paginated members; the cursor is the index of the next member."""
    fake.require_scope("users:read")
    include_email = "users:read.email" in fake.scopes
    try:
        limit = int(params.get("limit") or 0) or DEFAULT_PAGE_SIZE
        start = int(params.get("cursor") or 0)
    except ValueError:
        raise SlackMethodError("invalid_cursor") from None
    ids = fake.directory.visible_user_ids()
    if not 0 <= start <= len(ids):
        raise SlackMethodError("invalid_cursor")
    page = ids[start : start + min(limit, MAX_PAGE_SIZE)]
    members = [fake.directory.user_info(user_id, include_email=include_email) for user_id in page]
    following = start + len(page)
    next_cursor = str(following) if following < len(ids) else ""
    return {
        "members": members,
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": next_cursor},
    }


def usergroups_list(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("usergroups:read")
    return {"usergroups": list(fake.usergroups)}


def views_publish(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """Errors per slack-api-ref views.publish.json: a bad `user_id` is `invalid_arguments`
    (its example), a Home tab the app has not enabled is `not_enabled`."""
    user_id = str(params.get("user_id") or "")
    if user_id not in fake.directory.users:
        raise SlackMethodError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] invalid `user_id`"]}
        )
    view = params.get("view")
    problems = home_view_problems(view)
    if problems:
        raise SlackMethodError("invalid_arguments", response_metadata={"messages": problems})
    if not fake.home_tab_enabled:
        raise SlackMethodError("not_enabled")
    assert isinstance(view, dict)
    return {"view": fake.modals.publish(user_id, view, params.get("hash"))}


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "apps.connections.open": apps_connections_open,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "users.info": users_info,
    "conversations.info": conversations_info,
    "conversations.replies": conversations_replies,
    "chat.unfurl": chat_unfurl,
    "conversations.history": conversations_history,
    "views.open": views_open,
    "views.update": views_update,
    "views.push": views_push,
    "views.publish": views_publish,
    "users.list": users_list,
    "usergroups.list": usergroups_list,
    "functions.completeSuccess": functions_complete_success,
    "functions.completeError": functions_complete_error,
}
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
