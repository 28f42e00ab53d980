"""The Web API methods FakeSlack answers: each takes the fake and the call's params and returns
the success body (without `ok`) or raises SlackMethodError. Called with the fake's lock held."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes import payloads
from tests.fakes.block_kit import MAX_VIEW_BLOCKS, blocks_problems
from tests.fakes.slack_directory import EphemeralMessage, PostedMessage, SlackMethodError

if TYPE_CHECKING:
    from tests.fakes.slack_api import FakeSlack

Method = Callable[["FakeSlack", dict[str, Any]], dict[str, Any]]

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


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
    return {"url": fake.socket_mode_url()}


def _content(params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]] | None]:
    text, blocks = params.get("text") or None, params.get("blocks") or None
    if blocks is not None:
        if not isinstance(blocks, list):
            raise SlackMethodError("invalid_blocks_format")
        problems = blocks_problems(blocks, "/blocks")
        if problems:
            raise SlackMethodError("invalid_blocks", response_metadata={"messages": problems})
    if text is None and blocks is None and not params.get("attachments"):
        raise SlackMethodError("no_text")
    return text, blocks


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def chat_post_message(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("chat:write")
    text, blocks = _content(params)
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
    return {"channel": channel.id, "ts": ts, "message": message}


def chat_post_ephemeral(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("chat:write")
    text, blocks = _content(params)
    channel, _ = fake.directory.postable_channel(str(params.get("channel") or ""), fake.scopes)
    user = str(params.get("user") or "")
    if user not in fake.directory.users:
        raise SlackMethodError("user_not_found")
    if not fake.directory.is_member(channel, user):
        raise SlackMethodError("user_not_in_channel")
    ts = fake.directory.new_ts()
    thread_ts = params.get("thread_ts") or None
    fake.record_ephemeral(EphemeralMessage(channel.id, user, ts, text, blocks, thread_ts))
    return {"message_ts": ts}


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
    ids = list(fake.directory.users)
    if not 0 <= start <= len(ids):
        raise SlackMethodError("invalid_cursor")
    page = ids[start : start + min(limit, MAX_PAGE_SIZE)]
    members = [fake.directory.user_info(user_id, include_email=include_email) for user_id in page]
    following = start + len(page)
    next_cursor = str(following) if following < len(ids) else ""
    return {"members": members, "response_metadata": {"next_cursor": next_cursor}}


def usergroups_list(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("usergroups:read")
    return {"usergroups": list(fake.usergroups)}


def views_publish(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    user_id = str(params.get("user_id") or "")
    if user_id not in fake.directory.users:
        raise SlackMethodError("user_not_found")
    view = params.get("view")
    problems = home_view_problems(view)
    if problems:
        raise SlackMethodError("invalid_arguments", response_metadata={"messages": problems})
    assert isinstance(view, dict)
    published = {**view, "id": f"VHOME{user_id}", "team_id": payloads.TEAM_ID}
    fake.home_views[user_id] = published
    return {"view": published}


def home_view_problems(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["[ERROR] must be an object [json-pointer:/view]"]
    problems: list[str] = []
    if view.get("type") != "home":
        problems.append("[ERROR] must be one of the allowed values: home [json-pointer:/view/type]")
    metadata = view.get("private_metadata")
    if metadata is not None and (not isinstance(metadata, str) or len(metadata) > 3000):
        problems.append(
            "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]"
        )
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        return [*problems, "[ERROR] missing required field: blocks [json-pointer:/view/blocks]"]
    if len(blocks) > MAX_VIEW_BLOCKS:
        problems.append("[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]")
    return problems + blocks_problems(blocks, "/view/blocks")


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "apps.connections.open": apps_connections_open,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "users.info": users_info,
    "conversations.info": conversations_info,
    "views.open": views_open,
    "views.update": views_update,
    "views.publish": views_publish,
    "users.list": users_list,
    "usergroups.list": usergroups_list,
}
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
