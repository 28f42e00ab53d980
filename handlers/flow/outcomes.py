"""Outcomes built with the store: Failed (draft kept for Try again), Created, and orphans' answers.

`notify_orphans` delivers what a dead worker recorded but never told, and tells each rep whose
submission it left without an outcome.
"""

from __future__ import annotations

import logging

from handlers.flow.outbox import deliver_undelivered
from handlers.flow.services import Services
from handlers.ui import messages
from handlers.ui.outcomes import Created, Failed
from storage.protocol import ConversationRecord, Store
from storage.records import Draft

logger = logging.getLogger(__name__)

ORPHANED = (
    "drift-open stopped while this conversation was being created, so it is not known whether "
    "Drift received it."
)


def failure_for(store: Store, draft: Draft, reason: str, *, ambiguous: bool) -> Failed:
    """The Failed outcome with the draft kept for Try again, or, when the store cannot keep it,
    the rep's own text carried in the outcome itself."""
    try:
        draft_id = store.save_draft(draft)
    except Exception:
        logger.warning("The store could not keep the rep's draft; it is shown to them instead")
        return Failed(
            draft.email,
            reason,
            draft_id="",
            ambiguous=ambiguous,
            unsaved_message=draft.message,
            adding=bool(draft.add_to),
        )
    return Failed(
        draft.email, reason, draft_id=draft_id, ambiguous=ambiguous, adding=bool(draft.add_to)
    )


def created_from_record(
    record: ConversationRecord, *, duplicate: bool, added: bool = False
) -> Created:
    """The Created outcome a record stands for (the first answer and a duplicate's alike)."""
    return Created(
        contact_email=record.contact_email,
        url=record.url,
        rep_id=record.user_id,
        assignee_slack_id=record.assignee_slack_id if record.assignee_drift_id is not None else "",
        duplicate=duplicate,
        added=added,
        conversation_id=record.conversation_id,
    )


def notify_orphans(services: Services) -> int:
    """Finish what vanished workers (a crash, a kill -9) left: deliver the outcomes they
    recorded but never told, and tell each rep whose submission has no outcome at all."""
    told = deliver_undelivered(services.store, services.delivery, services.in_flight)
    orphans = services.store.expire_stale()
    for orphan in orphans:
        failed = failure_for(services.store, orphan.draft, ORPHANED, ambiguous=True)
        origin = orphan.draft.origin
        if origin.function_execution_id:
            error = messages.build_step_error(failed)
            services.delivery.finish_step(origin.function_execution_id, outputs=None, error=error)
            continue
        text, blocks = messages.build_failed_message(failed)
        services.delivery.tell_user(origin, text, blocks)
    if orphans:
        logger.warning("Told %d reps about submissions left unfinished", len(orphans))
    return told + len(orphans)
