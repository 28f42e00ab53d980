"""The message a reaction points at, read back from Slack (a reaction carries only its ts)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from runtime.slack_errors import SLACK_FAILURES, slack_error_code

logger = logging.getLogger(__name__)


def fetch_message(client: WebClient, channel: str, ts: str) -> dict[str, Any] | None:
    """The message at `ts`: top level through conversations.history, a thread reply through
    conversations.replies; None when Slack refuses (rate limited, not in the channel)."""
    try:
        response = client.conversations_history(
            channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
        )
        found = _matching(response.get("messages"), ts)
        if found is not None:
            return found
        response = client.conversations_replies(
            channel=channel, ts=ts, latest=ts, oldest=ts, inclusive=True, limit=1
        )
        return _matching(response.get("messages"), ts)
    except SLACK_FAILURES as exc:
        logger.info("Could not read the reacted message (%s)", slack_error_code(exc))
        return None


def _matching(messages: Any, ts: str) -> dict[str, Any] | None:
    for message in messages or []:
        if isinstance(message, dict) and message.get("ts") == ts:
            return message
    return None


def posted_by_app(message: dict[str, Any], *, bot_id: str, bot_user_id: str) -> bool:
    """A message this app posted itself (its answers, its notes)."""
    if bot_id and message.get("bot_id") == bot_id:
        return True
    return bool(bot_user_id) and message.get("user") == bot_user_id
