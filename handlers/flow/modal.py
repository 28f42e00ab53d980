"""Opening the form modal: the one Slack call that must beat the 3-second trigger_id."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from handlers.flow.delivery import Delivery
from handlers.flow.services import Services
from handlers.ui import messages, views
from handlers.ui.blocks import section
from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.protocol import Store
from storage.records import Draft, Origin, Source

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenedForm:
    """The modal Slack opened: its id, its hash (for a race-free update) and its nonce."""

    view_id: str
    view_hash: str
    nonce: str


def new_nonce() -> str:
    """A fresh per-form value: part of the submission key, so Try again is a new submission."""
    return secrets.token_urlsafe(6)


def open_form(
    client: WebClient,
    trigger_id: str,
    draft: Draft,
    *,
    store: Store,
    delivery: Delivery,
    ask_channel: bool = False,
) -> OpenedForm | None:
    """`views.open` the form; if Slack refuses, keep the draft and offer a button to reopen it."""
    nonce = new_nonce()
    view = views.build_form_view(draft, nonce=nonce, ask_channel=ask_channel)
    try:
        response = client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_FAILURES as exc:
        code = slack_error_code(exc)
        if code == "exchanged_trigger_id":
            logger.info("views.open: trigger already used (a replayed request); nothing to do")
            return None
        logger.warning("views.open failed (%s); offering the rep a button instead", code)
        draft_id = store.save_draft(draft)
        text, blocks = messages.build_reopen_message(draft_id)
        delivery.tell_user(draft.origin, text, blocks)
        return None
    opened = response.get("view") or {}
    return OpenedForm(str(opened.get("id") or ""), str(opened.get("hash") or ""), nonce)


def open_blank_form(
    client: WebClient, services: Services, body: dict[str, Any], source: Source
) -> None:
    """Open an empty form for the user in `body`; the channel is chosen in the form.
    Someone outside DRIFT_OPEN_ALLOWED_USERS gets the refusal in the modal instead."""
    user = body.get("user") or {}
    team_id = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    user_id = str(user.get("id") or "")
    trigger_id = str(body.get("trigger_id") or "")
    if not services.allowed_user(user_id):
        open_refusal(client, trigger_id)
        return
    origin = Origin(team_id=team_id, user_id=user_id, channel_id="", source=source)
    open_form(
        client,
        trigger_id,
        Draft(origin, assignee_id=user_id),
        store=services.store,
        delivery=services.delivery,
        ask_channel=True,
    )


def open_refusal(client: WebClient, trigger_id: str) -> None:
    """The allowlist refusal as a modal, where there is no channel to answer in."""
    try:
        client.views_open(
            trigger_id=trigger_id,
            view=views.status_view([section(messages.build_refusal_message())]),
        )
    except SLACK_FAILURES as exc:
        logger.info("Could not show the refusal (%s)", slack_error_code(exc))
