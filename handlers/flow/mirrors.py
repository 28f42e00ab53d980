"""What waits in the store's mirror queue: a Slack reply bound for Drift, or a Drift message
bound for Slack, kept raw so the slow parts (names, rendering) happen when it is sent.

Each is queued under its source id (`slack_key`, `drift_key`): a Slack event or a Drift webhook
delivered twice, or a poll that sees a message the webhook already brought, queues nothing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from storage.protocol import Store

NoteKind = Literal["reply", "edit", "delete", "chat"]


@dataclass(frozen=True)
class ToDrift:
    """A Slack message for the linked conversation: a note, or (`kind="chat"`) the message a
    rep confirmed for the customer, posted as `drift_user_id`."""

    conversation_id: int
    team_id: str
    channel_id: str
    thread_ts: str
    author_id: str
    message: dict[str, Any] = field(default_factory=dict)
    kind: NoteKind = "reply"
    drift_user_id: int | None = None


@dataclass(frozen=True)
class ToSlack:
    """A Drift message for the linked thread, or (`notice`) a line drift-open says there."""

    channel_id: str
    thread_ts: str
    team_id: str = ""
    drift_message: dict[str, Any] = field(default_factory=dict)
    notice: str = ""


Mirrored = ToDrift | ToSlack


def to_json(item: Mirrored) -> str:
    side = "drift" if isinstance(item, ToDrift) else "slack"
    return json.dumps({"to": side, **asdict(item)}, separators=(",", ":"))


def from_json(text: str) -> Mirrored:
    """Inverse of `to_json`; ValueError (or TypeError) on anything else."""
    data: Any = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a mirrored message")
    side = data.pop("to", None)
    if side == "drift":
        return ToDrift(**data)
    if side == "slack":
        return ToSlack(**data)
    raise ValueError(f"unknown side {side!r}")


def slack_key(channel_id: str, ts: str, change: str = "") -> str:
    return f"slack:{channel_id}:{ts}{':' + change if change else ''}"


def drift_key(message_id: int) -> str:
    return f"drift:{int(message_id)}"


def enqueue(store: Store, key: str, item: Mirrored) -> bool:
    """Queue `item` once under `key`; False when that source id was already seen."""
    return store.enqueue_mirror(key, to_json(item))


def remember_own(store: Store, message_ids: list[int]) -> None:
    """Messages drift-open itself posted to Drift: never mirrored back into Slack."""
    for message_id in message_ids:
        store.enqueue_mirror(drift_key(message_id), "")
