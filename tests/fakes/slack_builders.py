"""Views, blocks and an error catcher shared by the fakes' own Slack tests (no pytest here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def modal(**overrides: Any) -> dict[str, Any]:
    """The app's email modal in miniature; override any top-level field."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "drift_open",
        "title": plain("Open in Drift"),
        "submit": plain("Create"),
        "close": plain("Cancel"),
        "private_metadata": "{}",
        "blocks": [
            {
                "type": "input",
                "block_id": "email",
                "label": plain("Email"),
                "element": {"type": "email_text_input", "action_id": "value"},
            }
        ],
    }
    return {**view, **overrides}


def home_view(blocks: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    default = [section("Hello")]
    return {"type": "home", "blocks": default if blocks is None else blocks, **overrides}


def text_input(**element: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "body",
        "label": plain("Body"),
        "element": {"type": "plain_text_input", "action_id": "value", **element},
    }


def divider(index: int) -> dict[str, str]:
    return {"type": "divider", "block_id": f"d{index}"}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack_error(call: Callable[[], Any]) -> SlackApiError:
    """The SlackApiError `call` raises; AssertionError when it succeeds."""
    try:
        call()
    except SlackApiError as error:
        return error
    raise AssertionError("expected the fake Slack to refuse the call")
