"""Putting the contact context into an open form: look the email up, then `views.update` the
form with the view's hash, rebuilt from what the rep has typed so nothing of theirs is lost."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient

from handlers.flow.services import Services
from handlers.flow.threads import thread_root
from handlers.flow.validation import MAX_MESSAGE_CHARS, email_problem
from handlers.ui import ids, views
from handlers.ui.blocks import Block
from handlers.ui.context import ThreadOffer, build_context_blocks, build_thread_blocks
from rendering.prefill import rich_text_plain_length
from rendering.thread import newest_that_fit
from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.records import Draft

logger = logging.getLogger(__name__)


def contact_blocks_for(services: Services, draft: Draft) -> list[Block]:
    """The context under the email (none while the email is not a valid address)."""
    if not draft.email or email_problem(draft.email):
        return []
    facts = services.contacts.facts(draft.origin.team_id, draft.email)
    return build_context_blocks(facts, now=time.time(), add_to=draft.add_to)


def thread_blocks_for(
    client: WebClient, services: Services, draft: Draft, message: dict[str, Any]
) -> list[Block]:
    """The whole-thread offer when the shortcut's message is in a thread (none otherwise)."""
    root = thread_root(draft.origin, message)
    if not root:
        return []
    fetched = services.threads.read(client, draft.origin, root)
    if fetched is None:
        return []
    budget = MAX_MESSAGE_CHARS - rich_text_plain_length(draft.message)
    offer = ThreadOffer(
        total=max(fetched.total, int(message.get("reply_count") or 0) + 1),
        fetched=len(fetched.messages),
        rate_limited=fetched.rate_limited,
        left_out=newest_that_fit(fetched.messages, budget),
    )
    return build_thread_blocks(offer, ticked=draft.whole_thread)


def kept_thread_blocks(client: WebClient, services: Services, draft: Draft) -> list[Block]:
    """The thread offer again for a draft that had the whole thread ticked (Try again)."""
    if not (draft.whole_thread and draft.origin.source == "shortcut"):
        return []
    return thread_blocks_for(client, services, draft, {"reply_count": 1})


def show_context(
    client: WebClient,
    services: Services,
    *,
    view_id: str,
    view_hash: str,
    draft: Draft,
    nonce: str,
    thread_blocks: Sequence[Block] = (),
    assignee_preview: str = "",
) -> str | None:
    """Update the open form with the contact's context; the new hash, or None if Slack
    refused (the form the rep has stays as it is, and still works)."""
    updated = views.build_form_view(
        draft,
        nonce=nonce,
        assignee_preview=assignee_preview,
        ask_channel=draft.origin.asks_for_channel,
        contact_blocks=contact_blocks_for(services, draft),
        thread_blocks=thread_blocks,
    )
    try:
        response = client.views_update(view_id=view_id, hash=view_hash or None, view=updated)
    except SLACK_FAILURES as exc:
        logger.info("Contact context not shown (%s)", slack_error_code(exc))
        return None
    return str((response.get("view") or {}).get("hash") or "")


def preview_text_of(view: dict[str, Any]) -> str:
    """The assignee preview line an open form shows, to keep it across an update."""
    for block in view.get("blocks") or []:
        if isinstance(block, dict) and block.get("block_id") == ids.ASSIGNEE_PREVIEW_BLOCK:
            elements = block.get("elements") or [{}]
            return str(elements[0].get("text") or "")
    return ""
