"""Telling the rep as a durable step: the message is recorded with the outcome, delivered, then
forgotten; what a crash left undelivered is delivered by the next process's upkeep.

An `Outbound` is the finished Slack message (text, blocks, the modal view) plus where it goes:
`public` for the answer posted in the thread (the modal is updated too), private for failures
(the modal if it is still open, else ephemeral, else DM). It never holds a token.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from handlers.flow.delivery import Delivery
from handlers.flow.in_flight import InFlight
from handlers.ui import messages, views
from handlers.ui.blocks import Blocks, View
from handlers.ui.outcomes import Created, Failed
from storage.protocol import Store, ThreadLink
from storage.records import Origin

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outbound:
    """A message to deliver: where, what, and the modal view that says the same."""

    origin: Origin
    text: str
    blocks: Blocks
    view_id: str = ""
    view: View | None = None
    public: bool = False
    conversation_id: int = 0
    """For an answer whose thread becomes linked to this Drift conversation (0: none)."""
    inbox_id: int = 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "origin": self.origin.to_dict(),
                "text": self.text,
                "blocks": self.blocks,
                "view_id": self.view_id,
                "view": self.view,
                "public": self.public,
                "conversation_id": self.conversation_id,
                "inbox_id": self.inbox_id,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Outbound:
        """Inverse of `to_json`; raises ValueError on anything else."""
        data: Any = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("origin"), dict):
            raise ValueError("not an outbound message")
        view = data.get("view")
        return cls(
            origin=Origin.from_dict(data["origin"]),
            text=str(data.get("text") or ""),
            blocks=[block for block in data.get("blocks") or [] if isinstance(block, dict)],
            view_id=str(data.get("view_id") or ""),
            view=view if isinstance(view, dict) else None,
            public=data.get("public") is True,
            conversation_id=_as_int(data.get("conversation_id")),
            inbox_id=_as_int(data.get("inbox_id")),
        )


def created_outbound(
    created: Created,
    view_id: str,
    origin: Origin,
    *,
    shared: bool,
    link: tuple[int, int] | None = None,
    notes: bool = False,
) -> Outbound:
    """The answer in the thread (naming no customer where `shared`), and the modal's view;
    with `link` (conversation id, inbox id) the thread it lands in is linked for sync, and
    `notes` says in the answer that replies there become internal notes."""
    text, blocks = messages.build_created_message(created, shared=shared, synced=notes)
    view = views.build_created_view(created)
    conversation_id, inbox_id = link or (0, 0)
    return Outbound(
        origin,
        text,
        blocks,
        view_id=view_id,
        view=view,
        public=True,
        conversation_id=conversation_id,
        inbox_id=inbox_id,
    )


def failed_outbound(failed: Failed, view_id: str, origin: Origin) -> Outbound:
    """The failure with Try again: in the modal, else privately."""
    text, blocks = messages.build_failed_message(failed)
    return Outbound(origin, text, blocks, view_id=view_id, view=views.build_failed_view(failed))


def deliver(delivery: Delivery, outbound: Outbound) -> str:
    """Send `outbound` along its fallbacks (each of which logs what it could not do); the
    thread a public answer landed in ("" when none)."""
    shown = False
    if outbound.view_id and outbound.view is not None:
        shown = delivery.update_modal(outbound.view_id, outbound.view)
    if outbound.public:
        origin = outbound.origin
        return delivery.post_answer_in_thread(origin, outbound.text, outbound.blocks)[1]
    if not shown:
        delivery.tell_user(outbound.origin, outbound.text, outbound.blocks)
    return ""


def deliver_and_forget(store: Store, delivery: Delivery, key: str, outbound: Outbound) -> None:
    """Deliver, link the answer's thread when asked, then remove the outbox entry (a store
    error there only risks a repeat)."""
    thread_ts = deliver(delivery, outbound)
    if thread_ts and outbound.conversation_id:
        link_answer_thread(store, outbound, thread_ts)
    try:
        store.delivered(key)
    except Exception:
        logger.warning("The store could not mark %s delivered; it may be told again", key)


def link_answer_thread(store: Store, outbound: Outbound, thread_ts: str) -> None:
    """The thread the answer lives in mirrors the conversation from now on (Drift messages
    older than this moment are not mirrored)."""
    link = ThreadLink(
        team_id=outbound.origin.team_id,
        channel_id=outbound.origin.channel_id,
        thread_ts=thread_ts,
        conversation_id=outbound.conversation_id,
        inbox_id=outbound.inbox_id,
        cursor=int(time.time() * 1000),
    )
    try:
        store.link_thread(link)
    except Exception:
        logger.warning("The store could not link the thread of %s", outbound.conversation_id)


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def deliver_undelivered(store: Store, delivery: Delivery, in_flight: InFlight) -> int:
    """Finish what a vanished process recorded but never told; the count delivered."""
    count = 0
    for item in store.take_undelivered():
        try:
            outbound = Outbound.from_json(item.outbox)
        except ValueError:
            logger.error("Dropping an unreadable outbox entry for %s", item.key)
            store.delivered(item.key)
            continue
        in_flight.hold(item.key)
        try:
            deliver_and_forget(store, delivery, item.key, outbound)
        finally:
            in_flight.release(item.key)
        count += 1
    if count:
        logger.warning("Delivered %d outcomes a stopped process had not told", count)
    return count
