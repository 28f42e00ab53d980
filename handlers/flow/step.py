"""A Workflow Builder step's inputs -> the same Draft the form makes, or the reason it cannot be.

Inputs (manifest.yml `functions.create_drift_conversation`): `email` (required), `message`
(a rich_text object, or plain text read as mrkdwn), `assignee` (a Slack user), `channel` and
`message_ts` (the message to link back to and answer in the thread of).
"""

from __future__ import annotations

import re
from typing import Any

from handlers.flow.validation import email_problem
from rendering.mrkdwn import mrkdwn_to_rich_text
from storage.records import Draft, Origin

STEP_INPUTS = ("email", "message", "assignee", "channel", "message_ts")
SLACK_ID = re.compile(r"[A-Z0-9]{2,32}")
MESSAGE_TS = re.compile(r"\d{1,12}\.\d{1,8}")


def step_key(team_id: str, execution_id: str) -> str:
    """One conversation per execution, however often Slack delivers the event."""
    return f"workflow:{team_id}:{execution_id}"


def step_message(value: Any) -> dict[str, Any]:
    """The `message` input as the rich_text block the renderer takes."""
    if isinstance(value, dict) and value.get("type") == "rich_text":
        return value
    if isinstance(value, str) and value.strip():
        return mrkdwn_to_rich_text(value)
    return {"type": "rich_text", "elements": []}


def draft_from_inputs(
    inputs: dict[str, Any], *, team_id: str, enterprise_id: str, execution_id: str
) -> tuple[Draft | None, str]:
    """The Draft for the step, or None and a sentence saying which input is wrong."""
    email = str(inputs.get("email") or "").strip()
    problem = email_problem(email)
    if problem:
        return None, f"The email input is not usable: {problem}"
    assignee = str(inputs.get("assignee") or "").strip()
    channel = str(inputs.get("channel") or "").strip()
    message_ts = str(inputs.get("message_ts") or "").strip()
    for name, value, pattern in (
        ("assignee", assignee, SLACK_ID),
        ("channel", channel, SLACK_ID),
        ("message_ts", message_ts, MESSAGE_TS),
    ):
        if value and not pattern.fullmatch(value):
            return None, f"The {name} input is not a Slack {name.replace('_', ' ')}: {value!r}."
    if message_ts and not channel:
        return None, "The message_ts input needs the channel input too."
    origin = Origin(
        team_id=team_id,
        user_id="",
        channel_id=channel,
        source="workflow",
        message_ts=message_ts,
        enterprise_id=enterprise_id,
        function_execution_id=execution_id,
    )
    draft = Draft(
        origin, email=email, message=step_message(inputs.get("message")), assignee_id=assignee
    )
    return draft, ""
