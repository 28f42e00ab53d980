"""Checks on what a rep submitted, turned into `response_action: errors` messages keyed by block id.

Pure functions: `read_form(values)` pulls the three inputs out of `view.state.values`;
`validate(form)` returns `{block_id: message}` for everything that is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from handlers.ui import ids
from rendering.prefill import rich_text_is_empty, rich_text_plain_length
from storage.records import Draft, Origin

MAX_MESSAGE_CHARS = 10_000
MAX_EMAIL_CHARS = 254
MAX_LOCAL_PART_CHARS = 64

_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_TOP_LEVEL = re.compile(r"^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$")


@dataclass(frozen=True)
class Form:
    """The three modal inputs as submitted (missing ones are empty)."""

    email: str
    message: dict[str, Any]
    assignee_id: str
    channel_id: str = ""
    add_to: int = 0
    whole_thread: bool = False

    def draft(self, origin: Origin) -> Draft:
        """The rep's input as a Draft started at `origin`."""
        return Draft(
            origin,
            email=self.email,
            message=self.message,
            assignee_id=self.assignee_id,
            add_to=self.add_to,
            whole_thread=self.whole_thread,
        )


def read_form(values: dict[str, Any]) -> Form:
    """Extract the inputs from `view.state.values`, tolerating missing blocks."""

    def action(block: str, action_id: str) -> dict[str, Any]:
        found = (values.get(block) or {}).get(action_id)
        return found if isinstance(found, dict) else {}

    message = action(ids.MESSAGE_BLOCK, ids.MESSAGE_ACTION).get("rich_text_value")
    target = action(ids.TARGET_BLOCK, ids.TARGET_ACTION).get("selected_option") or {}
    target_value = str(target.get("value") or "") if isinstance(target, dict) else ""
    add_to = target_value.removeprefix(ids.ADD_PREFIX)
    ticked = action(ids.THREAD_BLOCK, ids.THREAD_ACTION).get("selected_options") or []
    return Form(
        email=str(action(ids.EMAIL_BLOCK, ids.EMAIL_ACTION).get("value") or "").strip(),
        message=message if isinstance(message, dict) else {},
        assignee_id=str(action(ids.ASSIGNEE_BLOCK, ids.ASSIGNEE_ACTION).get("selected_user") or ""),
        channel_id=str(
            action(ids.CHANNEL_BLOCK, ids.CHANNEL_ACTION).get("selected_conversation") or ""
        ),
        add_to=int(add_to) if target_value.startswith(ids.ADD_PREFIX) and add_to.isdigit() else 0,
        whole_thread=any(
            isinstance(option, dict) and option.get("value") == ids.WHOLE_THREAD
            for option in (ticked if isinstance(ticked, list) else [])
        ),
    )


def email_problem(email: str) -> str | None:
    """Why `email` cannot be a Drift contact address, or None when it looks deliverable."""
    if not email:
        return "Enter the contact's email address."
    if any(unicodedata.category(ch).startswith(("C", "Z")) for ch in email):
        return "The email address contains spaces or invisible characters."
    if len(email) > MAX_EMAIL_CHARS:
        return f"That email address is longer than {MAX_EMAIL_CHARS} characters."
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        return "An email address looks like name@company.com."
    if len(local) > MAX_LOCAL_PART_CHARS or not _LOCAL_PART.match(local):
        return f"“{local}” is not a valid name before the @."
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return f"“{domain}” is not a valid email domain."
    if not _TOP_LEVEL.match(labels[-1]):
        return f"“{domain}” does not end in a valid top-level domain."
    return None


def validate(form: Form, *, ask_channel: bool = False) -> dict[str, str]:
    """`{block_id: message}` for each input that is wrong; empty when the form is good."""
    errors: dict[str, str] = {}
    problem = email_problem(form.email)
    if problem:
        errors[ids.EMAIL_BLOCK] = problem
    if not form.message or rich_text_is_empty(form.message):
        errors[ids.MESSAGE_BLOCK] = "Write the message the contact will see in Drift."
    else:
        length = rich_text_plain_length(form.message)
        if length > MAX_MESSAGE_CHARS:
            errors[ids.MESSAGE_BLOCK] = (
                f"The message is {length:,} characters; Drift messages here are limited to "
                f"{MAX_MESSAGE_CHARS:,}. Shorten it and submit again."
            )
    if ask_channel and not form.channel_id:
        errors[ids.CHANNEL_BLOCK] = "Choose where the answer should be posted."
    return errors
