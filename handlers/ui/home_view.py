"""Pure Block Kit builder for the App Home tab: `HomeRow` and `build_home_view`.

Nothing here does I/O. Every user-supplied string that goes into mrkdwn passes `mrkdwn_escape`.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.ui import ids
from handlers.ui.blocks import (
    Blocks,
    View,
    action_button,
    context,
    link_button,
    mrkdwn_escape,
    plain,
    section,
)


@dataclass(frozen=True)
class HomeRow:
    """One recent conversation on the App Home tab."""

    contact_email: str
    url: str
    created_at: float
    created_text: str


def build_home_view(mapping_line: str, records: list[HomeRow]) -> View:
    """The App Home tab: the viewer's Drift mapping, a button, their recent conversations."""
    blocks: Blocks = [
        {"type": "header", "text": plain("drift-open")},
        section(mapping_line),
        {
            "type": "actions",
            "elements": [
                action_button(ids.HOME_OPEN_ACTION, "New Drift conversation", "home", primary=True),
                action_button(ids.HOME_LABEL_ACTION, "Label a channel", "label"),
            ],
        },
        {"type": "divider"},
        section("*Your last conversations opened from Slack*"),
    ]
    if not records:
        blocks.append(context("None yet. Use /drift-open or *Open in Drift* on any message."))
    for row in records:
        blocks.append(
            section(
                f"<{row.url}|{mrkdwn_escape(row.contact_email)}> · <!date^{int(row.created_at)}"
                f"^{{date_short_pretty}} {{time}}|{row.created_text}>",
                accessory=link_button(row.url, "Open"),
            )
        )
    return {"type": "home", "blocks": blocks[:100]}
