"""Reading the fakes after a submission: what the rep was told and what FakeDrift did.

What each worker reported in the modal (`attempts_for`), the messages that name a contact
(`messages_about`), whether every worker has reported (`has_reported`), what FakeDrift answered
(`drift_answers`) and the conversations it holds (`conversations_by_email`).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bench.fault_outcomes import Attempt
from bench.fault_plan import CREATE_PATH, PlannedSubmission
from handlers.ui import ids
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack

AMBIGUOUS_WORDING = "may or may not have been created"


def _buttons(blocks: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for block in blocks or []:
        for element in [block.get("accessory"), *(block.get("elements") or [])]:
            if isinstance(element, dict) and element.get("type") == "button":
                found.append(element)
    return found


def try_again_draft(blocks: Any) -> str:
    for button in _buttons(blocks):
        if button.get("action_id") == ids.RETRY_ACTION and button.get("value"):
            return str(button["value"])
    return ""


def _attempt(view: dict[str, Any], error: str | None) -> Attempt | None:
    """A final report in a views.update call, or None for any other view (form, Creating…)."""
    blocks = view.get("blocks") or []
    created = any(b.get("action_id") == ids.OPEN_LINK_ACTION for b in _buttons(blocks))
    draft = try_again_draft(blocks)
    if not (created or draft):
        return None
    ambiguous = AMBIGUOUS_WORDING in json.dumps(blocks)
    return Attempt(created, ambiguous and not created, draft, error is None)


def attempts_for(slack: FakeSlack, view_id: str) -> list[Attempt]:
    found = []
    for call in slack.calls_to("views.update"):
        view = call.params.get("view")
        if call.params.get("view_id") == view_id and isinstance(view, dict):
            attempt = _attempt(view, call.error)
            if attempt is not None:
                found.append(attempt)
    return found


def messages_about(slack: FakeSlack, email: str) -> list[Any]:
    """Every message, ephemeral, response_url post or DM that names `email`, as blocks."""
    found: list[Any] = []
    for message in slack.messages:
        if email in (message.text or "") + json.dumps(message.blocks):
            found.append(message.blocks)
    for ephemeral in slack.ephemerals:
        if email in (ephemeral.text or "") + json.dumps(ephemeral.blocks):
            found.append(ephemeral.blocks)
    for post in slack.response_posts:
        if email in json.dumps(post.body):
            found.append(post.body.get("blocks"))
    return found


def has_reported(slack: FakeSlack, plan: PlannedSubmission, view_id: str) -> bool:
    """Every worker of the submission has made its final report, fallbacks included."""
    attempts = attempts_for(slack, view_id)
    if len(attempts) < (2 if plan.double else 1):
        return False
    messages = messages_about(slack, plan.email)
    created_told = any(not try_again_draft(blocks) for blocks in messages)
    if any(attempt.created for attempt in attempts) and not created_told:
        return False
    unshown_failures = [a for a in attempts if not a.created and not a.shown_in_modal]
    return not unshown_failures or any(try_again_draft(blocks) for blocks in messages)


def drift_answers(drift: FakeDrift, email: str) -> str:
    """What FakeDrift answered this contact's POSTs, in order (e.g. "429 → 200")."""
    labels = {"drop": "dropped", "drop_after": "dropped after processing", "late": "late"}
    answers = [
        labels.get(call.fault or "", str(call.status))
        for call in drift.calls_to("POST", CREATE_PATH)
        if isinstance(call.body, dict) and call.body.get("email") == email
    ]
    return " → ".join(answers) or "no call"


def conversations_by_email(drift: FakeDrift) -> Counter[str]:
    return Counter(str(created.request.get("email")) for created in drift.conversations)
