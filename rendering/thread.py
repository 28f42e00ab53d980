"""A Slack thread as the Drift body carries it: oldest first, each message with its author and
time, rendered as the creation body is (files as links), cut to fit Drift's limit.

Pure functions. What does not fit is the oldest messages: the newest are what a rep acts on.
Each message's size counts its rendered text plus a fixed allowance for its author and time
line, so the form (which knows no author names yet) and the body agree on what fits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rendering.html import NameResolver, escape, readable_date
from rendering.prefill import message_to_rich_text, rich_text_plain_length
from rendering.richtext import rich_text_to_html

HEADER_ALLOWANCE = 60


def message_size(message: dict[str, Any]) -> int:
    """How much of Drift's character limit `message` takes in the thread."""
    return rich_text_plain_length(message_to_rich_text(message)) + HEADER_ALLOWANCE


def newest_that_fit(messages: Sequence[dict[str, Any]], budget: int) -> int:
    """How many of the oldest messages must be left out so the rest fit in `budget`."""
    used = 0
    for kept, message in enumerate(reversed(messages)):
        used += message_size(message)
        if used > budget:
            return len(messages) - kept
    return 0


def thread_html(
    messages: Sequence[dict[str, Any]],
    names: NameResolver,
    author_of: Callable[[dict[str, Any]], str],
    *,
    budget: int,
    unread: int = 0,
) -> str:
    """The thread section: a heading, what was left out and why, then each message."""
    left_out = newest_that_fit(messages, budget)
    kept = messages[left_out:]
    parts = [f"<p><b>The Slack thread ({len(kept)} messages)</b></p>"]
    if left_out:
        parts.append(
            f"<p><i>{left_out} earlier messages were left out to fit Drift's limit.</i></p>"
        )
    if unread:
        parts.append(
            f"<p><i>Slack limited how fast the thread could be read: {unread} messages "
            "could not be fetched.</i></p>"
        )
    for message in kept:
        when = readable_date(int(float(str(message.get("ts") or 0)))) or ""
        header = f"<b>{escape(author_of(message))}</b>" + (f" · {escape(when)}" if when else "")
        parts.append(f"<p>{header}</p>")
        parts.append(rich_text_to_html(message_to_rich_text(message), names))
    return "".join(parts)
