"""Block Kit element helpers shared by every builder: escaping, text objects, sections, buttons.

Nothing here does I/O. Every user-supplied string that goes into mrkdwn passes `mrkdwn_escape`.
"""

from __future__ import annotations

from typing import Any

from handlers.ui import ids

View = dict[str, Any]
Block = dict[str, Any]
Blocks = list[dict[str, Any]]


def mrkdwn_escape(text: str) -> str:
    """Escape the three characters Slack treats as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": mrkdwn(text[:3000])}
    if accessory:
        block["accessory"] = accessory
    return block


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text[:3000])]}


def link_button(url: str, text: str = "Open in Drift") -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": ids.OPEN_LINK_ACTION,
        "text": plain(text),
        "url": url,
        "style": "primary",
    }


def action_button(
    action_id: str, text: str, value: str, *, primary: bool = False
) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": plain(text),
        "value": value,
    }
    if primary:
        button["style"] = "primary"
    return button
