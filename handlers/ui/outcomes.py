"""What a submission ended in: a created conversation or a failure, as values for the builders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Created:
    """A Drift conversation exists for the submission."""

    contact_email: str
    url: str
    rep_id: str
    assignee_name: str = ""
    assignee_slack_id: str = ""
    unassigned_reason: str = ""
    duplicate: bool = False
    added: bool = False
    """The message went into an existing conversation instead of starting one."""
    conversation_id: int = 0


@dataclass(frozen=True)
class Failed:
    """No conversation is known to exist; `ambiguous` means one may have been created anyway."""

    contact_email: str
    reason: str
    draft_id: str
    ambiguous: bool = False
    unsaved_message: dict[str, Any] | None = None
    """The rep's rich_text when it could not be kept for Try again: shown back to them instead."""
    adding: bool = False
    """It was to be added to an existing conversation."""
