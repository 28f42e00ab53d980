"""Pure Block Kit for the channel label form (App Home → "Label a channel").

A channel's label travels in the integration source of every conversation opened from it
(Drift's header shows "Slack · #channel · Enterprise support · by Rep"). Nothing here does I/O.
"""

from __future__ import annotations

from typing import Any

from handlers.ui import ids
from handlers.ui.blocks import View, context, mrkdwn_escape, plain, section
from handlers.ui.views import status_view

TITLE = "Channel label"
MAX_LABEL_CHARS = 40
NOT_ALLOWED = (
    "Only a workspace admin or the person who created the channel can label its conversations."
)
CANNOT_CHECK = "Slack did not say who may manage that channel; try again in a moment."
STORE_DOWN = "drift-open could not save the label (its database failed); try again in a moment."


def build_label_view() -> View:
    """The form: which channel, and the label (empty removes it)."""
    text_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.LABEL_TEXT_ACTION,
        "max_length": MAX_LABEL_CHARS,
        "placeholder": plain("Enterprise support"),
    }
    return {
        "type": "modal",
        "callback_id": ids.LABEL_CALLBACK_ID,
        "title": plain(TITLE),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            context(
                "Conversations opened from this channel carry the label in Drift's header, "
                "next to the channel's name."
            ),
            {
                "type": "input",
                "block_id": ids.LABEL_CHANNEL_BLOCK,
                "label": plain("Channel"),
                "element": {
                    "type": "conversations_select",
                    "action_id": ids.LABEL_CHANNEL_ACTION,
                    "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                },
            },
            {
                "type": "input",
                "block_id": ids.LABEL_TEXT_BLOCK,
                "label": plain("Label"),
                "optional": True,
                "hint": plain("Leave it empty to remove the channel's label."),
                "element": text_element,
            },
        ],
    }


def build_label_saved_view(channel_id: str, label: str) -> View:
    """What the form turns into once saved."""
    if label:
        text = f":label: Conversations from <#{channel_id}> are labelled *{mrkdwn_escape(label)}*."
    else:
        text = f":label: Conversations from <#{channel_id}> no longer carry a label."
    return status_view([section(text)])
