"""The Workflow Builder step "Create a Drift conversation" (Bolt's `app.function`).

The step's inputs become the same Draft as the form's; the same CreateConversation job creates
the conversation (claimed under the function execution id, so a repeated `function_executed`
creates nothing more), answers in the message's thread when the step names one, and finishes
the step with its outputs, or fails it with a sentence that says what happened.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Fail
from slack_sdk import WebClient

from handlers.flow.creation import CreateConversation, Submission
from handlers.flow.services import Services
from handlers.flow.step import draft_from_inputs, step_key
from handlers.ui import ids

logger = logging.getLogger(__name__)

NOT_HERE = "drift-open is not enabled in that channel (DRIFT_OPEN_ALLOWED_CHANNELS)."
STORE_DOWN = "drift-open could not save this request (its database failed), so nothing was sent."


def handle_create_step(
    ack: Ack,
    inputs: dict[str, Any],
    fail: Fail,
    client: WebClient,
    context: BoltContext,
    services: Services,
) -> None:
    """Ack, check the inputs, claim the execution, and queue the creation job."""
    ack()
    execution_id = str(context.function_execution_id or "")
    team_id = str(context.team_id or "")
    draft, problem = draft_from_inputs(
        inputs or {},
        team_id=team_id,
        enterprise_id=str(context.enterprise_id or ""),
        execution_id=execution_id,
    )
    if draft is None:
        fail(error=problem)
        return
    channel_id = draft.origin.channel_id
    if services.settings.allowed_channels and channel_id not in services.settings.allowed_channels:
        fail(error=NOT_HERE)
        return
    key = step_key(team_id, execution_id)
    try:
        claim = services.store.claim(key, draft)
    except Exception:
        logger.exception("The store could not record a workflow step")
        fail(error=STORE_DOWN)
        return
    if claim.state == "new" and claim.attempts > 1:
        logger.info("Step %s failed before; a repeated event does not run it again", key)
        return
    if claim.state == "new":
        services.in_flight.hold(key)
    job = Submission(key, draft, view_id="", nonce="", claim=claim)
    services.executor.submit(CreateConversation(services, client).run, job)


def register(app: App) -> None:
    app.function(ids.WORKFLOW_STEP_CALLBACK_ID, auto_acknowledge=False)(handle_create_step)
