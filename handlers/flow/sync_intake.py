"""What may enter the mirror queue from Drift: a new chat or note of a linked conversation,
newer than the link, never seen before (webhook retries, polls, drift-open's own posts)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from drift.errors import DriftProtocolError
from drift.models import DriftMessage
from handlers.flow.mirrors import ToSlack, drift_key, enqueue
from storage.protocol import Store, ThreadLink

logger = logging.getLogger(__name__)

MIRRORED_TYPES = frozenset({"chat", "private_note"})


def accept_drift_message(store: Store, link: ThreadLink, message: DriftMessage) -> bool:
    """Queue one Drift message for the linked thread; False when it is not to be mirrored."""
    if message.type not in MIRRORED_TYPES or message.conversation_id != link.conversation_id:
        return False
    if message.created_at is not None and message.created_at < link.cursor:
        return False  # from before the thread was linked (the conversation's first message)
    item = ToSlack(link.channel_id, link.thread_ts, link.team_id, drift_message=asdict(message))
    return enqueue(store, drift_key(message.id), item)


def accept_drift_event(store: Store, event: Mapping[str, Any]) -> bool:
    """A webhook event: `new_message` of a linked conversation is queued, anything else (other
    types, unknown conversations, repeats) is ignored."""
    if event.get("type") != "new_message":
        return False
    data = event.get("data")
    if not isinstance(data, Mapping):
        return False
    try:
        message = DriftMessage.from_api(data)
    except DriftProtocolError:
        return False
    link = store.conversation_link(message.conversation_id)
    if link is None:
        return False
    accepted = accept_drift_message(store, link, message)
    if accepted:
        store.advance_cursor(link.conversation_id, message.created_at or 0, active=True)
    return accepted
