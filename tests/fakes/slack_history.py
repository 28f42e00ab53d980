"""conversations.history as Slack documents it (docs.slack.dev methods); conversations.replies
is in tests/fakes/slack_replies.py.

Scopes by channel kind, `channel_not_found`, `not_in_channel`, `invalid_ts_*`; history lists
top-level messages (and broadcasts) newest first, honouring `latest`, `oldest`, `inclusive` and
`limit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.slack_directory import Channel, SlackMethodError

if TYPE_CHECKING:
    from tests.fakes.slack_api import FakeSlack

HISTORY_SCOPES = {"im": "im:history", "mpim": "mpim:history", "private": "groups:history"}


def _readable(fake: FakeSlack, channel_id: str) -> Channel:
    channel = fake.directory.visible_channel(channel_id)
    kind = "im" if channel.is_im else "mpim" if channel.is_mpim else ""
    kind = kind or ("private" if channel.is_private else "public")
    fake.require_scope(HISTORY_SCOPES.get(kind, "channels:history"))
    if not channel.is_im and not channel.bot_is_member:
        raise SlackMethodError("not_in_channel")
    return channel


def _ts(value: Any, name: str, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        return float(str(value))
    except ValueError:
        raise SlackMethodError(f"invalid_ts_{name}") from None


def _window(params: dict[str, Any], messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    latest = _ts(params.get("latest"), "latest", float("inf"))
    oldest = _ts(params.get("oldest"), "oldest", 0.0)
    inclusive = str(params.get("inclusive") or "").lower() in ("1", "true")

    def inside(message: dict[str, Any]) -> bool:
        ts = float(message["ts"])
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    return [message for message in messages if inside(message)]


def _limit(params: dict[str, Any]) -> int:
    try:
        limit = int(params.get("limit") or 100)
    except ValueError:
        raise SlackMethodError("invalid_limit") from None
    return max(1, min(limit, 999))


def conversations_history(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = _readable(fake, str(params.get("channel") or ""))
    stored = list(fake.directory.history.get(channel.id, {}).values())
    top = [
        m
        for m in stored
        if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
    ]
    found = sorted(_window(params, top), key=lambda m: float(m["ts"]), reverse=True)
    limit = _limit(params)
    return {
        "messages": found[:limit],
        "has_more": len(found) > limit,
        "pin_count": 0,
        "response_metadata": {"next_cursor": ""},
    }
