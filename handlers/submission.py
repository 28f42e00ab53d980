"""The form's submit: validate in the ack, show "Creating…", then hand the work to a worker."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.creation import CreateConversation, Submission
from handlers.flow.services import Services
from handlers.flow.targets import NOT_KNOWN, known_target
from handlers.flow.validation import read_form, validate
from handlers.ui import ids, messages, views

logger = logging.getLogger(__name__)

STORE_DOWN = (
    "drift-open could not save this submission (its database failed), so nothing was sent. "
    "Your text is still here: submit again in a moment."
)
STALE_FORM = "This form is out of date: close it and start again from Slack."


def submission_key(team_id: str, view_id: str, nonce: str) -> str:
    """The same modal submitted twice maps to one key; Try again gets a new nonce, so a new key."""
    return f"{team_id}:{view_id}:{nonce}"


def handle_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Errors go back in the ack; a good form becomes "Creating…" and a job on the executor."""
    form = read_form(((view.get("state") or {}).get("values")) or {})
    try:
        origin, nonce = views.decode_metadata(str(view.get("private_metadata") or ""))
    except ValueError:
        ack(response_action="errors", errors={ids.EMAIL_BLOCK: STALE_FORM})
        return
    ask_channel = origin.asks_for_channel
    if not ask_channel and not origin.channel_id:
        logger.warning("Refused a submission whose private_metadata names no channel")
        ack(response_action="errors", errors={ids.EMAIL_BLOCK: STALE_FORM})
        return
    errors = validate(form, ask_channel=ask_channel)
    user_id = str((body.get("user") or {}).get("id") or origin.user_id)
    origin = replace(origin, user_id=user_id)
    if ask_channel:
        response_urls = body.get("response_urls") or [{}]
        origin = replace(
            origin,
            channel_id=form.channel_id,
            channel_name="",
            response_url=str(response_urls[0].get("response_url") or ""),
        )
    if not errors and not services.allowed(origin.user_id, origin.channel_id):
        block = ids.CHANNEL_BLOCK if ask_channel else ids.EMAIL_BLOCK
        errors = {block: messages.build_refusal_message()}
    if errors:
        ack(response_action="errors", errors=errors)
        return
    draft = form.draft(origin)
    try:
        if draft.add_to and known_target(services.store, draft) is None:
            ack(response_action="errors", errors={ids.TARGET_BLOCK: NOT_KNOWN})
            return
    except Exception:
        logger.exception("The store could not check the conversation to add to")
        ack(response_action="errors", errors={ids.EMAIL_BLOCK: STORE_DOWN})
        return
    view_id = str(view.get("id") or "")
    key = submission_key(origin.team_id, view_id, nonce)
    try:
        claim = services.store.claim(key, draft)
    except Exception:
        logger.exception("The store could not record a submission; the form stays open")
        ack(response_action="errors", errors={ids.EMAIL_BLOCK: STORE_DOWN})
        return
    if claim.state == "new":
        services.in_flight.hold(key)
    ack(response_action="update", view=views.build_creating_view(form.email, adding=draft.add_to))
    job = Submission(key, draft, view_id, nonce, claim=claim)
    services.executor.submit(CreateConversation(services, client).run, job)


def register(app: App) -> None:
    app.view_submission(ids.FORM_CALLBACK_ID)(handle_submission)
