"""Pure Block Kit for "Send to Drift customer": the confirm modal and its notices."""

from __future__ import annotations

import json

from handlers.ui import ids
from handlers.ui.blocks import View, context, plain, section

TITLE = "Send to customer"
NOT_LINKED = (
    "This message is not in a thread linked to a Drift conversation, so there is nowhere to "
    "send it. Use it on a reply in the thread where drift-open posted a Drift conversation."
)
NO_DRIFT_USER = (
    "drift-open cannot tell which Drift user you are ({reason}), so it cannot send this as you."
)
EMPTY = "This message has no text to send."
SENDING = "Sending it to the customer. The thread says when Drift has it."
ALREADY_SENT = "This message was already sent to the customer."
SYNC_OFF = "Sending to Drift is turned off here (DRIFT_SYNC)."


def build_send_confirm_view(customer_text: str, conversation_url: str, metadata: str) -> View:
    """Exactly what the contact will read, and a button that sends it."""
    return {
        "type": "modal",
        "callback_id": ids.SEND_CONFIRM_CALLBACK_ID,
        "title": plain(TITLE),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "private_metadata": metadata,
        "blocks": [
            section("*The customer will read this, from you, in Drift:*"),
            {"type": "section", "text": {"type": "plain_text", "text": customer_text[:3000]}},
            context(
                f"It is added to <{conversation_url}|the Drift conversation> as a chat message."
            ),
        ],
    }


def build_send_notice_view(text: str) -> View:
    """A modal that only says something (not linked, no Drift user, sending…)."""
    return {
        "type": "modal",
        "title": plain(TITLE),
        "close": plain("Close"),
        "blocks": [section(text)],
    }


def encode_send_metadata(draft_id: str, conversation_id: int, drift_user_id: int) -> str:
    return json.dumps({"d": draft_id, "c": conversation_id, "u": drift_user_id})


def decode_send_metadata(text: str) -> tuple[str, int, int]:
    """Inverse of `encode_send_metadata`; ValueError on anything else."""
    data = json.loads(text or "{}")
    if not isinstance(data, dict):
        raise ValueError("not send metadata")
    draft_id, conversation_id, user_id = data.get("d"), data.get("c"), data.get("u")
    if not isinstance(draft_id, str) or not isinstance(conversation_id, int):
        raise ValueError("not send metadata")
    if not isinstance(user_id, int):
        raise ValueError("not send metadata")
    return draft_id, conversation_id, user_id
