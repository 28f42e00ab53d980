"""Telling the rep as a durable step: the message is recorded with the outcome, delivered, then
forgotten; what a crash left undelivered is delivered by the next process's upkeep.

An `Outbound` is the finished Slack message (text, blocks, the modal view) plus where it goes:
`public` for the answer posted in the thread (the modal is updated too), private for failures
(the modal if it is still open, else ephemeral, else DM). It never holds a token.

A Workflow Builder step's outcome goes to the workflow instead (functions.completeSuccess with
`outputs`, or functions.completeError with `error`), after the thread answer when the step named
a message; nobody is told privately.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

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
    outputs: dict[str, Any] | None = None
    error: str = ""

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
                "outputs": self.outputs,
                "error": self.error,
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
        outputs = data.get("outputs")
        return cls(
            origin=Origin.from_dict(data["origin"]),
            text=str(data.get("text") or ""),
            blocks=[block for block in data.get("blocks") or [] if isinstance(block, dict)],
            view_id=str(data.get("view_id") or ""),
            view=view if isinstance(view, dict) else None,
            public=data.get("public") is True,
            conversation_id=_as_int(data.get("conversation_id")),
            inbox_id=_as_int(data.get("inbox_id")),
            outputs=outputs if isinstance(outputs, dict) else None,
            error=str(data.get("error") or ""),
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
    outputs = step_outputs(created) if origin.function_execution_id else None
    return Outbound(
        origin,
        text,
        blocks,
        view_id=view_id,
        view=view,
        public=True,
        conversation_id=conversation_id,
        inbox_id=inbox_id,
        outputs=outputs,
    )


def step_outputs(created: Created) -> dict[str, Any]:
    """The Workflow Builder step's outputs, as declared in manifest.yml."""
    return {"conversation_id": created.conversation_id, "conversation_url": created.url}


def failed_outbound(failed: Failed, view_id: str, origin: Origin) -> Outbound:
    """The failure with Try again: in the modal, else privately."""
    text, blocks = messages.build_failed_message(failed)
    error = messages.build_step_error(failed) if origin.function_execution_id else ""
    view = views.build_failed_view(failed)
    return Outbound(origin, text, blocks, view_id=view_id, view=view, error=error)


def deliver(delivery: Delivery, outbound: Outbound, client: WebClient | None = None) -> str:
    """Send `outbound` along its fallbacks (each of which logs what it could not do); the
    thread a public answer landed in ("" when none). A step's outcome is finished with
    `client` (the execution's own token) when given."""
    origin = outbound.origin
    if origin.function_execution_id:
        thread_ts = ""
        if outbound.public and origin.channel_id and origin.message_ts:
            thread_ts = delivery.post_answer_in_thread(origin, outbound.text, outbound.blocks)[1]
        delivery.finish_step(
            origin.function_execution_id,
            outputs=outbound.outputs,
            error=outbound.error or outbound.text,
            client=client,
        )
        return thread_ts
    shown = False
    if outbound.view_id and outbound.view is not None:
        shown = delivery.update_modal(outbound.view_id, outbound.view)
    if outbound.public:
        origin = outbound.origin
        return delivery.post_answer_in_thread(origin, outbound.text, outbound.blocks)[1]
    if not shown:
        delivery.tell_user(outbound.origin, outbound.text, outbound.blocks)
    return ""


def deliver_and_forget(
    store: Store,
    delivery: Delivery,
    key: str,
    outbound: Outbound,
    client: WebClient | None = None,
) -> None:
    """Deliver, link the answer's thread when asked, then remove the outbox entry (a store
    error there only risks a repeat)."""
    thread_ts = deliver(delivery, outbound, client)
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
