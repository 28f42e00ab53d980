"""The unfurl card of a Drift conversation link, full or (in shared channels) number-only. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.ui.blocks import Blocks, context, link_button, mrkdwn, mrkdwn_escape, section

PRIVATE_NOTE = "Details stay hidden in channels shared with other organisations."
UNKNOWN_NOTE = "Drift did not say more about this conversation."


@dataclass(frozen=True)
class ConversationCard:
    """The facts of one Drift conversation, ready for the unfurl builder."""

    conversation_id: int
    url: str
    status: str = ""
    contact_name: str = ""
    contact_email: str = ""
    assignee_name: str = ""
    created_at: float | None = None  # seconds since the epoch
    last_message: str = ""


def build_unfurl_blocks(card: ConversationCard) -> Blocks:
    """Contact, status, assignee, created and the last message's opening words."""
    title = f"*Drift conversation #{card.conversation_id}*"
    if card.status:
        title += f" · {mrkdwn_escape(card.status)}"
    contact = mrkdwn_escape(card.contact_name or card.contact_email or "unknown contact")
    if card.contact_name and card.contact_email:
        contact += f" ({mrkdwn_escape(card.contact_email)})"
    fields = [
        mrkdwn(f"*Contact*\n{contact}"),
        mrkdwn(f"*Assignee*\n{mrkdwn_escape(card.assignee_name) or 'unassigned'}"),
    ]
    if card.created_at is not None:
        stamp = int(card.created_at)
        fields.append(mrkdwn(f"*Created*\n<!date^{stamp}^{{date_short_pretty}} {{time}}|{stamp}>"))
    header: dict[str, Any] = section(title, link_button(card.url))
    blocks: Blocks = [header, {"type": "section", "fields": fields}]
    if card.last_message:
        blocks.append(context(f"Last message: “{mrkdwn_escape(card.last_message)}”"))
    return blocks


def build_private_unfurl_blocks(conversation_id: int, url: str, note: str = PRIVATE_NOTE) -> Blocks:
    """Only the conversation's number and its link: for Slack Connect channels and unknowns."""
    return [
        section(f"*Drift conversation #{conversation_id}*", link_button(url)),
        context(note),
    ]
