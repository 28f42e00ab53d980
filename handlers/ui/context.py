"""Pure Block Kit for what the form knows about the contact: who they are in Drift, the recent
conversations drift-open knows with them, the choice New / Add to, and the whole-thread offer.

The blocks carry their own ids, so a later `views.update` (the assignee preview, another email)
can take them from the open view and put them back, with the rep's current choices selected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from handlers.ui import ids
from handlers.ui.blocks import Blocks, mrkdwn, mrkdwn_escape, plain

MAX_SHOWN_CONVERSATIONS = 3
ContactState = Literal["found", "new", "unavailable"]


@dataclass(frozen=True)
class KnownConversation:
    """A Drift conversation drift-open created or linked with this contact."""

    conversation_id: int
    url: str
    created_at: float
    assignee_slack_id: str = ""
    status: str = ""  # "" when drift-open does not know it


@dataclass(frozen=True)
class ContactFacts:
    """What the form shows under the email: the Drift contact, or why it cannot say."""

    email: str
    state: ContactState
    name: str = ""
    company: str = ""
    sharing: int = 1  # Drift contacts with this email (emails are not unique there)
    reason: str = ""  # why the context is unavailable
    conversations: tuple[KnownConversation, ...] = field(default=())


@dataclass(frozen=True)
class ThreadOffer:
    """The Slack thread the shortcut's message belongs to, as far as it could be read."""

    total: int  # messages in the thread, as Slack counts them
    fetched: int  # messages read (fewer when Slack rate-limited the reading)
    rate_limited: bool = False
    left_out: int = 0  # oldest messages that will not fit Drift's limit


def age_text(seconds: float) -> str:
    """'just now', '5 min ago', '3 h ago', '2 d ago'."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


def contact_line(facts: ContactFacts) -> str:
    if facts.state == "unavailable":
        reason = f" ({mrkdwn_escape(facts.reason)})" if facts.reason else ""
        return f":grey_question: Contact context unavailable{reason}. You can still submit."
    if facts.state == "new":
        return ":sparkles: New contact — Drift will create it."
    who = f"*{mrkdwn_escape(facts.name)}*" if facts.name else mrkdwn_escape(facts.email)
    if facts.company:
        who += f" · {mrkdwn_escape(facts.company)}"
    if facts.sharing > 1:
        who += f" · {facts.sharing} Drift contacts share this email"
    return f":bust_in_silhouette: {who}"


def conversation_line(known: KnownConversation, now: float) -> str:
    parts = [
        f"<{known.url}|#{known.conversation_id}>",
        f"started {age_text(max(0.0, now - known.created_at))}",
    ]
    if known.status:
        parts.append(mrkdwn_escape(known.status))
    parts.append(f"<@{known.assignee_slack_id}>" if known.assignee_slack_id else "unassigned")
    return " · ".join(parts)


def build_context_blocks(facts: ContactFacts, *, now: float, add_to: int = 0) -> Blocks:
    """The context line(s) under the email and, with known conversations, New / Add to."""
    shown = facts.conversations[:MAX_SHOWN_CONVERSATIONS]
    elements = [mrkdwn(contact_line(facts))]
    if shown:
        elements.append(mrkdwn("Recent Drift conversations with this contact:"))
        elements += [mrkdwn(conversation_line(known, now)) for known in shown]
    blocks: Blocks = [
        {"type": "context", "block_id": ids.CONTACT_CONTEXT_BLOCK, "elements": elements}
    ]
    if shown:
        blocks.append(target_block(shown, now=now, add_to=add_to))
    return blocks


def target_block(
    shown: tuple[KnownConversation, ...], *, now: float, add_to: int = 0
) -> dict[str, Any]:
    new = {"text": plain("New conversation"), "value": ids.NEW_CONVERSATION}
    options = [new]
    for known in shown:
        option = {
            "text": plain(f"Add to conversation #{known.conversation_id}"),
            "value": f"{ids.ADD_PREFIX}{known.conversation_id}",
            "description": plain(f"started {age_text(max(0.0, now - known.created_at))}"),
        }
        options.append(option)
    chosen = next((o for o in options if o["value"] == f"{ids.ADD_PREFIX}{add_to}"), new)
    return {
        "type": "input",
        "block_id": ids.TARGET_BLOCK,
        "label": plain("Send as"),
        "element": {
            "type": "radio_buttons",
            "action_id": ids.TARGET_ACTION,
            "options": options,
            "initial_option": chosen,
        },
    }


def build_thread_blocks(offer: ThreadOffer, *, ticked: bool = False) -> Blocks:
    """'Include the whole thread (N messages)', with what could not be read or will not fit;
    a note instead when Slack would not let any of it be read yet."""
    if not offer.fetched:
        note = (
            ":hourglass: Slack is limiting how fast threads can be read, so this thread cannot "
            "be included right now. Only this message will be sent."
        )
        return [{"type": "context", "block_id": ids.THREAD_BLOCK, "elements": [mrkdwn(note)]}]
    notes = []
    if offer.rate_limited:
        notes.append(
            f"Slack limited how fast the thread can be read: {offer.fetched} of "
            f"{offer.total} messages were fetched and only those will be included."
        )
    if offer.left_out:
        notes.append(f"The {offer.left_out} oldest messages will be left out to fit Drift's limit.")
    option = {
        "text": plain(f"Include the whole thread ({offer.total} messages)"),
        "value": ids.WHOLE_THREAD,
        "description": plain("After your message, oldest first, with authors and times."),
    }
    element: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": ids.THREAD_ACTION,
        "options": [option],
    }
    if ticked:
        element["initial_options"] = [option]
    blocks: Blocks = [
        {
            "type": "input",
            "block_id": ids.THREAD_BLOCK,
            "label": plain("Thread"),
            "optional": True,
            "element": element,
        }
    ]
    if notes:
        elements = [mrkdwn(" ".join(notes))]
        blocks.append({"type": "context", "block_id": ids.THREAD_NOTE_BLOCK, "elements": elements})
    return blocks


CONTEXT_IDS = (ids.CONTACT_CONTEXT_BLOCK, ids.TARGET_BLOCK)


def carried_blocks(view: dict[str, Any], *, add_to: int, ticked: bool) -> tuple[Blocks, Blocks]:
    """The context and thread blocks of an open form, with the rep's choices selected."""
    blocks = [b for b in view.get("blocks") or [] if isinstance(b, dict)]
    context = [b for b in blocks if b.get("block_id") in CONTEXT_IDS]
    thread = [b for b in blocks if b.get("block_id") in (ids.THREAD_BLOCK, ids.THREAD_NOTE_BLOCK)]
    for block in context:
        element = block.get("element")
        if not isinstance(element, dict):
            continue
        options = element.get("options") or []
        wanted = f"{ids.ADD_PREFIX}{add_to}" if add_to else ids.NEW_CONVERSATION
        chosen = next((o for o in options if o.get("value") == wanted), None)
        if chosen is not None:
            element["initial_option"] = chosen
    for block in thread:
        element = block.get("element")
        if not isinstance(element, dict):
            continue
        if ticked:
            element["initial_options"] = list(element.get("options") or [])
        else:
            element.pop("initial_options", None)
    return context, thread
