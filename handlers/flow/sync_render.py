"""Rendering a mirrored message when it is sent: a Slack reply as a Drift note (the creation
body's renderer, with an attribution line when the author has no Drift user), and a Drift
message as a line in the Slack thread (author, then the text as escaped mrkdwn)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from cachetools import TTLCache

from drift.client import DriftClient
from drift.errors import DriftError
from drift.models import DriftMessage
from drift.users import UserDirectory
from handlers.flow.assignees import AssigneeProblem, resolve_assignee
from handlers.flow.mirrors import ToDrift
from handlers.flow.names import SlackNames
from handlers.ui.messages import build_mirrored_message
from rendering.drift_text import html_to_mrkdwn, mrkdwn_escape
from rendering.html import escape
from rendering.prefill import message_to_rich_text
from rendering.richtext import rich_text_to_html

logger = logging.getLogger(__name__)

CONTACT_IN_SHARED_CHANNEL = "The customer"
CONTACT_NAMES_TTL_SECONDS = 600.0


def drift_user_for(names: SlackNames, users: UserDirectory, slack_user_id: str) -> int | None:
    """The Slack author's Drift user (the assignee's mapping), or None."""
    try:
        return resolve_assignee(names, users, slack_user_id).drift_id
    except AssigneeProblem:
        return None


def note_html(item: ToDrift, names: SlackNames, *, mapped: bool) -> str:
    """The Drift body for `item`; unmapped authors are named in an attribution line."""
    author = names.user(item.author_id)
    who = escape(author.best_name if author else item.author_id or "Someone")
    body = rich_text_to_html(message_to_rich_text(item.message), names) if item.message else ""
    if item.kind == "delete":
        return f"<p><em>{who} deleted a reply in Slack.</em></p>"
    if item.kind == "edit":
        return f"<p><em>{who} edited a reply in Slack:</em></p>{body}"
    if item.kind == "chat" or mapped:
        return body
    return f"<p><em>{who} replied in Slack:</em></p>{body}"


class DriftAuthors:
    """Who wrote a Drift message, for the Slack thread: the contact's name or email (cached),
    the agent's name; in a shared channel the contact is only "The customer"."""

    def __init__(
        self,
        drift: DriftClient,
        users: UserDirectory,
        *,
        timer: Callable[[], float] | None = None,
    ) -> None:
        self._drift = drift
        self._users = users
        self._contacts: TTLCache[int, str] = (
            TTLCache(maxsize=2048, ttl=CONTACT_NAMES_TTL_SECONDS, timer=timer)
            if timer is not None
            else TTLCache(maxsize=2048, ttl=CONTACT_NAMES_TTL_SECONDS)
        )

    def name(self, message: DriftMessage, *, shared: bool) -> str:
        if message.author_type == "contact":
            if shared or message.author_id is None:
                return CONTACT_IN_SHARED_CHANNEL
            return self._contact_name(message.author_id)
        if message.author_id is None:
            return "Drift"
        try:
            user = self._users.get_user(message.author_id)
        except DriftError:
            user = None
        if user is None:
            return "A Drift agent"
        return user.name or user.email or "A Drift agent"

    def _contact_name(self, contact_id: int) -> str:
        cached = self._contacts.get(contact_id)
        if cached is not None:
            return cached
        try:
            contact = self._drift.get_contact(contact_id)
            name = contact.name or contact.email or "The contact"
        except DriftError:
            logger.info("The contact %s could not be read; shown without a name", contact_id)
            return "The contact"
        self._contacts[contact_id] = name
        return name


def slack_text(message: DriftMessage, author: str) -> str:
    """The thread's line for a Drift message; an internal note says it is one."""
    label = mrkdwn_escape(author)
    if message.type == "private_note":
        label += " (internal note)"
    return build_mirrored_message(label, html_to_mrkdwn(message.body))
