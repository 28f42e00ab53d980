"""conversations.replies in FakeSlack: a thread read in pages, under its rate limit.

Shape (docs.slack.dev/reference/methods/conversations.replies): `channel` + `ts` (the parent's
ts, or any reply's, which names the same thread); `messages` oldest first with the parent
first, carrying `reply_count`; `has_more` and `response_metadata.next_cursor` for paging; a
`cursor` that is not one handed out is `invalid_cursor`; `latest` / `oldest` / `inclusive`
bound the messages; an unknown thread is
`thread_not_found`. Scopes `channels:history` / `groups:history` / `im:history` /
`mpim:history` by channel type; a channel the bot is not in is `not_in_channel`.

Limit: Slack cut conversations.history and .replies to 1 request a minute with `limit` at most
15 for non-Marketplace apps (changelog 2025-05). `RepliesLimit` holds both, scaled for tests:
`calls` requests per `window` seconds of the fake's clock, then HTTP 429 with Retry-After
(seconds until the oldest call leaves the window, rounded up); `page_cap` bounds `limit`.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakes.slack_directory import SlackMethodError

if TYPE_CHECKING:
    from tests.fakes.slack_api import FakeSlack

DEFAULT_LIMIT = 1000


@dataclass
class RepliesLimit:
    """How fast and how much conversations.replies answers; None `calls` means unlimited."""

    calls: int | None = None
    window: float = 60.0
    page_cap: int = 1000
    _recent: deque[float] = field(default_factory=deque)

    def retry_after(self, now: float) -> int | None:
        """Seconds to wait when this call is over the limit; records it otherwise."""
        while self._recent and now - self._recent[0] >= self.window:
            self._recent.popleft()
        if self.calls is not None and len(self._recent) >= self.calls:
            return max(1, math.ceil(self.window - (now - self._recent[0])))
        self._recent.append(now)
        return None


def _bound(params: dict[str, Any], name: str, default: float) -> float:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(str(raw))
    except ValueError:
        raise SlackMethodError(f"invalid_ts_{name}") from None


def _within(params: dict[str, Any], ts: float) -> bool:
    """`latest` / `oldest` bound the messages returned, exclusive unless `inclusive`."""
    latest = _bound(params, "latest", math.inf)
    oldest = _bound(params, "oldest", 0.0)
    if str(params.get("inclusive") or "").lower() in ("1", "true"):
        return oldest <= ts <= latest
    return oldest < ts < latest


def conversations_replies(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = fake.directory.visible_channel(str(params.get("channel") or ""))
    kind = "im" if channel.is_im else "mpim" if channel.is_mpim else None
    kind = kind or ("groups" if channel.is_private else "channels")
    fake.require_scope(f"{kind}:history")
    if not channel.bot_is_member:
        raise SlackMethodError("not_in_channel")
    history = fake.directory.history.get(channel.id, {})
    asked = history.get(str(params.get("ts") or ""))
    if asked is None:
        raise SlackMethodError("thread_not_found")
    root_ts = str(asked.get("thread_ts") or asked["ts"])
    thread = sorted(
        (m for m in history.values() if m["ts"] == root_ts or m.get("thread_ts") == root_ts),
        key=lambda m: float(m["ts"]),
    )
    replies = len(thread) - 1 if thread and thread[0]["ts"] == root_ts else len(thread)
    messages = [
        {**m, "thread_ts": root_ts, "reply_count": replies} if m["ts"] == root_ts else m
        for m in thread
        if _within(params, float(m["ts"]))
    ]
    limit_text = str(params.get("limit") or DEFAULT_LIMIT)
    if not limit_text.isdigit() or int(limit_text) < 1:
        raise SlackMethodError("invalid_limit")
    limit = min(int(limit_text), fake.replies_limit.page_cap)
    cursor = str(params.get("cursor") or "")
    if cursor and not (cursor.startswith("page_") and cursor[5:].isdigit()):
        raise SlackMethodError("invalid_cursor")
    start = int(cursor[5:]) if cursor else 0
    page = messages[start : start + limit]
    more = start + limit < len(messages)
    return {
        "messages": page,
        "has_more": more,
        "response_metadata": {"next_cursor": f"page_{start + limit}" if more else ""},
    }
