"""What a rep is turning into a Drift conversation: where it started and what they typed.

`Origin` says where the request came from (and so where the answer goes);
`Draft` is the rep's input plus its origin. Both are frozen and round-trip
through plain dicts so they can live in `private_metadata` and in the store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast, get_args

Source = Literal["command", "shortcut", "home", "global", "reaction", "workflow"]


@dataclass(frozen=True)
class Origin:
    """Where a request started: the channel, the message (if any) and how to answer there."""

    team_id: str
    user_id: str
    channel_id: str
    channel_name: str = ""
    source: Source = "command"
    message_ts: str = ""
    thread_ts: str = ""
    response_url: str = ""
    author_id: str = ""
    enterprise_id: str = ""
    function_execution_id: str = ""
    """Set for a Workflow Builder step: its outcome goes to the workflow, not to a person."""

    @property
    def asks_for_channel(self) -> bool:
        """Forms opened outside a channel (global shortcut, App Home) ask where to answer."""
        return self.source in ("global", "home")

    @property
    def reply_thread_ts(self) -> str:
        """The thread the answer belongs in: the message's thread, else the message itself."""
        return self.thread_ts or self.message_ts

    def to_dict(self) -> dict[str, str]:
        return {key: value for key, value in asdict(self).items() if value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Origin:
        known = {key: str(value) for key, value in data.items() if key in cls.__dataclass_fields__}
        source = known.pop("source", "command")
        if source not in get_args(Source):
            raise ValueError(f"unknown source {source!r}")
        fields_ = {"team_id": "", "user_id": "", "channel_id": "", **known}
        return cls(**fields_, source=cast(Source, source))


@dataclass(frozen=True)
class Draft:
    """The rep's input: contact email, message as a rich_text block, and the chosen assignee."""

    origin: Origin
    email: str = ""
    message: dict[str, Any] = field(default_factory=dict)
    assignee_id: str = ""
    add_to: int = 0
    """The Drift conversation to add the message to; 0 starts a new one."""
    whole_thread: bool = False
    """Carry the message's whole Slack thread (message shortcut only)."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "origin": self.origin.to_dict(),
                "email": self.email,
                "message": self.message,
                "assignee_id": self.assignee_id,
                "add_to": self.add_to,
                "whole_thread": self.whole_thread,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Draft:
        data = json.loads(text)
        return cls(
            origin=Origin.from_dict(data.get("origin") or {}),
            email=str(data.get("email") or ""),
            message=dict(data.get("message") or {}),
            assignee_id=str(data.get("assignee_id") or ""),
            add_to=_as_int(data.get("add_to")),
            whole_thread=data.get("whole_thread") is True,
        )


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
