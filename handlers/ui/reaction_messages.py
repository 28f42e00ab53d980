"""What the person who reacted sees: the offer to open the message in Drift, or its link.

Nothing here does I/O. The quoted summary is Slack's own mrkdwn of the message (already encoded
by Slack), cut without splitting a `<…>` token; the email is escaped.
"""

from __future__ import annotations

from handlers.ui import ids
from handlers.ui.blocks import Blocks, action_button, context, link_button, mrkdwn_escape, section

SUMMARY_CHARS = 300
OFFER_TEXT = "Open this message in Drift?"
UNREAD_NOTE = (
    "drift-open could not read this message (Slack limits how often apps may read a "
    "channel's history), so the form opens without its text: paste it there."
)


def summary_of(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The message's text on one line, at most `limit` characters, never ending inside `<…>`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    return cut.rstrip() + "…"


def build_reaction_offer(
    draft_id: str, text: str, email: str, *, unread: bool, shared: bool = False
) -> tuple[str, Blocks]:
    """The ephemeral answer to the reaction: what will be sent, and the button to the form; in a
    channel `shared` with another organisation it names no contact."""
    if unread:
        body = f":speech_balloon: {OFFER_TEXT}\n{UNREAD_NOTE}"
    else:
        body = f":speech_balloon: {OFFER_TEXT}\n>{summary_of(text) or '(no text)'}"
    if shared:
        contact = "The form shows the contact's email."
    elif email:
        contact = f"Contact: {mrkdwn_escape(email)}"
    else:
        contact = "Contact: no email found in the message"
    button = action_button(ids.REACTION_OPEN_ACTION, "Open in Drift", draft_id, primary=True)
    return OFFER_TEXT, [
        section(body),
        context(contact),
        {"type": "actions", "elements": [button]},
    ]


def build_already_in_drift(url: str) -> tuple[str, Blocks]:
    """The message already became a conversation: its link, and nothing to create."""
    text = f"This message is already a Drift conversation: {url}"
    shown = f":white_check_mark: This message is already a <{url}|Drift conversation>."
    return text, [section(shown, accessory=link_button(url))]
