"""The `DRIFT_OPEN_REACTION` emoji on a message: an ephemeral offer that opens the prefilled form.

A reaction carries no `trigger_id`, so no modal can open from it: the person who reacted gets an
ephemeral in the channel (in the thread for a reply) with the message's summary and an Open in
Drift button (its click opens the form, like Try again), or the link when the message already
became a conversation. Each person is answered once per message, across replicas (the store
keeps the mark); reactions by bots, by people of other organisations, and on this app's own
messages are ignored.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers.flow.defaults import starting_assignee
from handlers.flow.reacted import fetch_message, posted_by_app
from handlers.flow.services import Services
from handlers.reopen import handle_reopen
from handlers.ui import ids, messages
from handlers.ui.reaction_messages import build_already_in_drift, build_reaction_offer
from rendering.prefill import first_email, message_to_rich_text
from storage.records import Draft, Origin

logger = logging.getLogger(__name__)


def reaction_origin(event: dict[str, Any], context: BoltContext) -> Origin | None:
    """Where the reaction happened, or None when it is not on a message."""
    item = event.get("item") or {}
    user_id = str(event.get("user") or "")
    channel_id = str(item.get("channel") or "")
    ts = str(item.get("ts") or "")
    if item.get("type") != "message" or not (user_id and channel_id and ts):
        return None
    return Origin(
        team_id=str(context.team_id or ""),
        user_id=user_id,
        channel_id=channel_id,
        source="reaction",
        message_ts=ts,
        author_id=str(event.get("item_user") or ""),
        enterprise_id=str(context.enterprise_id or ""),
    )


def handle_reaction_added(
    ack: Ack, event: dict[str, Any], client: WebClient, context: BoltContext, services: Services
) -> None:
    """Ack, then answer the person who reacted once, if the emoji is ours and they may use it."""
    ack()
    if str(event.get("reaction") or "") != services.settings.open_reaction:
        return
    origin = reaction_origin(event, context)
    bot_user_id = str(context.bot_user_id or "")
    if origin is None or bot_user_id in (origin.user_id, origin.author_id):
        return
    reactor = services.names.user(origin.user_id)
    if reactor is not None and (
        reactor.is_bot or reactor.is_external_to(origin.team_id, origin.enterprise_id)
    ):
        return
    mark = f"reaction:{origin.team_id}:{origin.channel_id}:{origin.message_ts}:{origin.user_id}"
    try:
        if not services.store.first_time(mark):
            return
    except Exception:
        logger.exception("The store could not record a reaction; it is not answered")
        return
    if not services.allowed(origin.user_id, origin.channel_id):
        services.delivery.tell_user(origin, messages.build_refusal_message(), [])
        return
    answer_reaction(client, services, origin, bot_id=str(context.bot_id or ""))


def answer_reaction(client: WebClient, services: Services, origin: Origin, *, bot_id: str) -> None:
    """The link if the message is already in Drift, else the offer with the prefilled draft."""
    message = fetch_message(client, origin.channel_id, origin.message_ts)
    if message is not None:
        if posted_by_app(message, bot_id=bot_id, bot_user_id=""):
            return
        thread_ts = str(message.get("thread_ts") or "")
        if thread_ts and thread_ts != origin.message_ts:
            origin = replace(origin, thread_ts=thread_ts)
    existing = services.store.find_by_message(origin.team_id, origin.channel_id, origin.message_ts)
    if existing is not None:
        text, blocks = build_already_in_drift(existing.url)
        services.delivery.tell_user(origin, text, blocks, in_thread=True)
        return
    draft = Draft(
        origin,
        email=first_email(message or {}),
        message=message_to_rich_text(message or {}),
        assignee_id=starting_assignee(services.store, origin),
    )
    text, blocks = build_reaction_offer(
        services.store.save_draft(draft),
        str((message or {}).get("text") or ""),
        draft.email,
        unread=message is None,
        shared=shared_channel(services, origin.channel_id),
    )
    services.delivery.tell_user(origin, text, blocks, in_thread=True)


def shared_channel(services: Services, channel_id: str) -> bool:
    """Whether other organisations read the channel (unknown counts as yes)."""
    if channel_id.startswith("D"):
        return False
    channel = services.names.channel(channel_id)
    return channel is None or channel.is_ext_shared


def register(app: App) -> None:
    app.event("reaction_added")(handle_reaction_added)
    app.action(ids.REACTION_OPEN_ACTION)(handle_reopen)
