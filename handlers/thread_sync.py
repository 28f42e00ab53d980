"""Replies in a linked thread become internal notes on its Drift conversation (`message` events).

A person's reply (also `thread_broadcast` and `file_share`) is queued as a note; an edit or a
deletion of a reply adds a short note saying so. Bots, drift-open itself, joins and every other
subtype are ignored, and so are people from another organisation in a shared channel and people
outside the allowlists. Bolt acks
the event first; queuing is one store write, deduplicated by the Slack ts.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from handlers.flow.mirrors import NoteKind, ToDrift, enqueue, slack_key
from handlers.flow.services import Services

SYNCED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})


def handle_message(event: dict[str, Any], context: BoltContext, services: Services) -> None:
    """Queue the note this event calls for, if any."""
    if not services.settings.sync_to_drift:
        return
    subtype = event.get("subtype")
    if subtype == "message_changed":
        changed = event.get("message") or {}
        if (event.get("previous_message") or {}).get("text") == changed.get("text"):
            return  # an unfurl or a reaction count, not an edit
        edited = str((changed.get("edited") or {}).get("ts") or event.get("ts") or "")
        _queue(event, changed, context, services, kind="edit", change=f"edit:{edited}")
    elif subtype == "message_deleted":
        previous = event.get("previous_message") or {}
        _queue(event, previous, context, services, kind="delete", change="delete")
    elif subtype in SYNCED_SUBTYPES:
        _queue(event, event, context, services, kind="reply", change="")


def _queue(
    event: dict[str, Any],
    message: dict[str, Any],
    context: BoltContext,
    services: Services,
    *,
    kind: NoteKind,
    change: str,
) -> None:
    ts, thread_ts = str(message.get("ts") or ""), str(message.get("thread_ts") or "")
    author = str(message.get("user") or "")
    if not (ts and thread_ts and author) or ts == thread_ts:
        return  # not a reply in a thread
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return
    if author == context.bot_user_id:
        return
    team_id = str(context.team_id or event.get("team") or "")
    author_team = str(message.get("user_team") or message.get("team") or team_id)
    if author_team != team_id:
        return  # someone from another organisation in a shared channel
    channel_id = str(event.get("channel") or "")
    if not services.allowed(author, channel_id):
        return
    link = services.store.thread_link(team_id, channel_id, thread_ts)
    if link is None:
        return
    item = ToDrift(
        conversation_id=link.conversation_id,
        team_id=team_id,
        channel_id=channel_id,
        thread_ts=thread_ts,
        author_id=author,
        message={} if kind == "delete" else message,
        kind=kind,
    )
    if enqueue(services.store, slack_key(channel_id, ts, change), item):
        services.sync_wake.set()


def register(app: App) -> None:
    app.event("message")(handle_message)
