"""Builders for Slack-shaped payloads: slash command forms, message shortcuts, view submissions,
block actions and message objects (field lists from slack-platform.md §1-§3).

Every builder has defaults matching the default FakeSlack workspace; override any field by
keyword. Callback ids are parameters: the app's constants live in handlers/.
"""

from __future__ import annotations

import itertools
import secrets
import time
import uuid
from typing import Any

TEAM_ID = "T0FAKETEAM"
TEAM_DOMAIN = "acme"
API_APP_ID = "A0FAKEAPP"
BOT_USER_ID = "U0FAKEBOT"
BOT_ID = "B0FAKEBOT"
USER_ID = "U0FAKEREP"
USER_NAME = "rep"
USER_EMAIL = "rep@example.com"
CHANNEL_ID = "C0FAKEGEN"
CHANNEL_NAME = "general"
COMMAND = "/drift-open"
VERIFICATION_TOKEN = "fake-verification-token"
# Connection refused: a payload whose response_url was not issued by a FakeSlack fails fast.
UNISSUED_RESPONSE_URL = "http://127.0.0.1:9/response/unissued"

_ts_sequence = itertools.count(1)
_first_ts_micros = int(time.time() * 1_000_000) - 86_400_000_000


def new_ts() -> str:
    """A unique, increasing Slack message ts (a day in the past, so it never clashes with posts)."""
    micros = _first_ts_micros + next(_ts_sequence)
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def unissued_trigger_id() -> str:
    return f"{int(time.time())}.1000001.{secrets.token_hex(16)}"


def rich_text(text: str) -> dict[str, Any]:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return {"type": "rich_text", "block_id": secrets.token_hex(3), "elements": [section]}


def user_message(
    text: str,
    *,
    user: str = USER_ID,
    ts: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
    thread_ts: str | None = None,
    team: str = TEAM_ID,
    **extra: Any,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "message",
        "client_msg_id": str(uuid.uuid4()),
        "text": text,
        "user": user,
        "ts": ts or new_ts(),
        "team": team,
        "blocks": [rich_text(text)] if blocks is None else blocks,
    }
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    return {**message, **extra}


def reaction_added(
    message: dict[str, Any],
    *,
    reaction: str = "drift",
    user: str = USER_ID,
    channel: str = CHANNEL_ID,
) -> dict[str, Any]:
    """The `reaction_added` event (docs.slack.dev reference/events/reaction_added)."""
    event: dict[str, Any] = {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": channel, "ts": message["ts"]},
        "event_ts": new_ts(),
    }
    if message.get("user"):
        event["item_user"] = message["user"]
    return event


def thread_reply(parent: dict[str, Any], text: str, **overrides: Any) -> dict[str, Any]:
    """A reply in `parent`'s thread; Slack gives replies `thread_ts` and `parent_user_id`."""
    thread_ts = parent.get("thread_ts") or parent["ts"]
    extra = {"parent_user_id": parent["user"]} if "user" in parent else {}
    return user_message(text, thread_ts=thread_ts, **{**extra, **overrides})


def bot_message(
    text: str,
    *,
    bot_id: str = "B0OTHERBOT",
    username: str = "Deploy Bot",
    ts: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    subtype: str | None = "bot_message",
    **extra: Any,
) -> dict[str, Any]:
    """A message without `user`: bots and integrations carry `bot_id` (and often a subtype)."""
    message: dict[str, Any] = {
        "type": "message",
        "text": text,
        "ts": ts or new_ts(),
        "bot_id": bot_id,
        "username": username,
    }
    if subtype is not None:
        message["subtype"] = subtype
    if blocks is not None:
        message["blocks"] = blocks
    if attachments is not None:
        message["attachments"] = attachments
    return {**message, **extra}


def command_form(
    *,
    text: str = "",
    command: str = COMMAND,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    channel_id: str = CHANNEL_ID,
    channel_name: str = CHANNEL_NAME,
    team_id: str = TEAM_ID,
    team_domain: str = TEAM_DOMAIN,
    trigger_id: str | None = None,
    response_url: str = UNISSUED_RESPONSE_URL,
    api_app_id: str = API_APP_ID,
    **extra: str,
) -> dict[str, str]:
    """The form fields of a slash command POST (add enterprise_id etc. through `extra`)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or unissued_trigger_id(),
        **extra,
    }


def _actor(user_id: str, user_name: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def message_shortcut(
    message: dict[str, Any],
    *,
    callback_id: str,
    channel_id: str = CHANNEL_ID,
    channel_name: str = CHANNEL_NAME,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    team_id: str = TEAM_ID,
    team_domain: str = TEAM_DOMAIN,
    trigger_id: str | None = None,
    response_url: str = UNISSUED_RESPONSE_URL,
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": team_domain},
        "user": _actor(user_id, user_name, team_id),
        "channel": {"id": channel_id, "name": channel_name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or unissued_trigger_id(),
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": message,
    }


def plain_text_value(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def email_value(value: str | None) -> dict[str, Any]:
    return {"type": "email_text_input", "value": value}


def rich_text_value(block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich_text_input", "rich_text_value": block}


def users_select_value(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def view_submission(
    view: dict[str, Any],
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    team_id: str = TEAM_ID,
    team_domain: str = TEAM_DOMAIN,
    trigger_id: str | None = None,
    response_urls: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """`view` as Slack stored it (id, hash, callback_id, private_metadata...); `values` is
    `state.values`: block_id -> action_id -> value object (see the *_value helpers)."""
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": team_domain},
        "user": _actor(user_id, user_name, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or unissued_trigger_id(),
        "view": {**view, "state": {"values": values}},
        "response_urls": response_urls or [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def button_action(
    action_id: str, value: str | None = None, *, block_id: str = "", text: str = "Button"
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "block_id": block_id or secrets.token_hex(3),
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_ts": f"{time.time():.6f}",
    }
    if value is not None:
        action["value"] = value
    return action


def block_actions(
    actions: list[dict[str, Any]],
    *,
    view: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    channel_id: str = CHANNEL_ID,
    channel_name: str = CHANNEL_NAME,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    team_id: str = TEAM_ID,
    team_domain: str = TEAM_DOMAIN,
    trigger_id: str | None = None,
    response_url: str = UNISSUED_RESPONSE_URL,
) -> dict[str, Any]:
    """Button clicks inside a modal (`view=`) or a message (`message=`)."""
    if (view is None) == (message is None):
        raise ValueError("give exactly one of view= or message=")
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _actor(user_id, user_name, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or unissued_trigger_id(),
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": actions,
    }
    if view is not None:
        container = {"type": "view", "view_id": view["id"]}
        return {**payload, "container": container, "view": view}
    assert message is not None
    container = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    return {
        **payload,
        "container": container,
        "channel": {"id": channel_id, "name": channel_name},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url,
    }


def event_callback(event: dict[str, Any], *, team: str = TEAM_ID) -> dict[str, Any]:
    """The Events API envelope around `event`, as Slack POSTs it (and Socket Mode wraps it)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team,
        "api_app_id": API_APP_ID,
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "event": event,
    }


def global_shortcut(callback_id: str, trigger_id: str, *, user_id: str = USER_ID) -> dict[str, Any]:
    """The global shortcut's interaction payload (no channel, no message)."""
    return {
        "type": "shortcut",
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": USER_NAME, "team_id": TEAM_ID},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }
