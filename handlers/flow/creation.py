"""The work after a submission is acknowledged: at most one Drift conversation, always an answer.

`CreateConversation.run(submission)` claims the submission key in the store (so a re-submitted
modal never creates a second conversation), maps the chosen Slack user to a Drift user, renders
the message as Drift HTML, calls Drift once, records the result, and tells the rep — in the modal
if it is still open, and in Slack where the work started.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace

from slack_sdk import WebClient

from drift.errors import DriftError
from handlers.flow.assignees import AssigneeProblem, resolve_assignee
from handlers.flow.defaults import defaults_for, remember_assignee
from handlers.flow.outbox import (
    Outbound,
    created_outbound,
    deliver_and_forget,
    deliver_undelivered,
    failed_outbound,
)
from handlers.flow.services import Services
from handlers.ui import messages, views
from handlers.ui.outcomes import Created, Failed
from rendering.html import conversation_body, integration_source
from rendering.richtext import rich_text_to_html
from runtime.slack_errors import SLACK_FAILURES
from storage.protocol import Claim, ConversationRecord, Store
from storage.records import Draft, Origin

logger = logging.getLogger(__name__)

PENDING_WAIT_SECONDS = 30.0
PENDING_POLL_SECONDS = 0.2
UNEXPECTED_FAILURE = (
    "Something unexpected went wrong on our side. Nothing was sent to Drift; try again in a moment."
)
UNEXPECTED_AFTER_DRIFT = "Something unexpected went wrong on our side after asking Drift."


@dataclass(frozen=True)
class Submission:
    """One acknowledged modal submission: its idempotency key, the input, and the open modal."""

    key: str
    draft: Draft
    view_id: str
    nonce: str
    claim: Claim | None = None
    """The claim taken before the ack, durably recorded; None to claim in the worker."""
    accepted_at: float = field(default_factory=time.monotonic)


# A job that could not even reach Drift within this long after the ack (a long queue, slow
# Slack lookups) is told so instead of creating a conversation the rep stopped waiting for.
# With the Drift timeout capped (DRIFT_TIMEOUT_SECONDS <= 60) and Slack's waits capped at 10 s,
# every job's waits are bounded.
START_DEADLINE_SECONDS = 60.0
TOO_LATE = (
    "drift-open could not reach Drift within a minute of your submission, so nothing was sent."
)


class CreateConversation:
    """Runs one submission (one instance per job); the collaborators it uses are thread-safe."""

    def __init__(self, services: Services, client: WebClient) -> None:
        self._services = services
        self._client = client
        self._drift_ms = 0.0
        self._drift_called = False

    def run(self, submission: Submission) -> Created | Failed | None:
        """Do the work and deliver the outcome; never raises."""
        try:
            return self._run_and_log(submission)
        finally:
            self._services.in_flight.release(submission.key)

    def _run_and_log(self, submission: Submission) -> Created | Failed | None:
        started = time.monotonic()
        try:
            outcome = self._run(submission)
        except Exception:
            logger.exception("Unexpected failure while creating a Drift conversation")
            reason = UNEXPECTED_AFTER_DRIFT if self._drift_called else UNEXPECTED_FAILURE
            try:
                outcome = self._fail(submission, reason, ambiguous=self._drift_called)
            except Exception:
                logger.exception("The rep could not be told about a failed submission")
                return None
        if outcome is not None:
            logger.info(
                "conversation outcome=%s ambiguous=%s key=%s drift_ms=%.0f total_ms=%.0f",
                type(outcome).__name__.lower(),
                getattr(outcome, "ambiguous", False),
                submission.key,
                self._drift_ms,
                (time.monotonic() - started) * 1000,
            )
        return outcome

    def _run(self, submission: Submission) -> Created | Failed | None:
        claim = self._await_claim(submission)
        if claim.state == "done" and claim.record is not None:
            created = created_from_record(claim.record, duplicate=True)
            self._services.delivery.update_modal(
                submission.view_id, views.build_created_view(created)
            )
            return created
        if claim.state == "failed":
            return self._fail(submission, claim.failure, ambiguous=True, record=False)
        if claim.state != "new":
            return None
        try:
            assignee = resolve_assignee(
                self._services.names, self._services.users, submission.draft.assignee_id
            )
        except AssigneeProblem as problem:
            return self._bounce(submission, str(problem))
        draft = submission.draft
        rep = self._services.names.user(draft.origin.user_id)
        rep_name = rep.best_name if rep else ""
        channel_name = self._channel_name(draft)
        label = defaults_for(self._services.store, draft.origin).source_label
        body_html = self._body_html(draft, channel_name, rep_name)
        if time.monotonic() - submission.accepted_at > START_DEADLINE_SECONDS:
            return self._fail(submission, TOO_LATE, ambiguous=False)
        drift_started = time.monotonic()
        self._drift_called = True
        try:
            conversation = self._services.drift.create_conversation(
                email=draft.email,
                body_html=body_html,
                integration_source=integration_source(channel_name, rep_name, label=label),
                assignee_id=assignee.drift_id,
            )
        except DriftError as exc:
            self._drift_ms = (time.monotonic() - drift_started) * 1000
            return self._fail(submission, exc.user_message, ambiguous=exc.ambiguous)
        self._drift_ms = (time.monotonic() - drift_started) * 1000
        settings = self._services.settings
        origin = submission.draft.origin
        record = ConversationRecord(
            team_id=origin.team_id,
            channel_id=origin.channel_id,
            message_ts=origin.message_ts,
            source=origin.source,
            user_id=origin.user_id,
            assignee_slack_id=submission.draft.assignee_id,
            assignee_drift_id=assignee.drift_id,
            contact_email=submission.draft.email,
            conversation_id=conversation.id,
            inbox_id=conversation.inbox_id,
            url=conversation.url(settings.drift_app_base_url),
            created_at=time.time(),
            submission_key=submission.key,
        )
        created = replace(
            created_from_record(record, duplicate=False),
            assignee_name=assignee.name,
            unassigned_reason=assignee.unassigned_reason,
        )
        outbound = created_outbound(
            created, submission.view_id, origin, shared=self._is_shared(origin)
        )
        self._services.store.complete(submission.key, record, outbox=outbound.to_json())
        remember_assignee(self._services.store, origin, draft.assignee_id)
        self._tell(submission.key, outbound)
        return created

    def _await_claim(self, submission: Submission) -> Claim:
        """Claim the key; if another worker holds it, wait (bounded) for its result."""
        store = self._services.store
        claim = submission.claim or store.claim(submission.key, submission.draft)
        if claim.state == "new":
            self._services.in_flight.hold(submission.key)
        deadline = time.monotonic() + PENDING_WAIT_SECONDS
        waiter = threading.Event()
        while claim.state == "pending" and time.monotonic() < deadline:
            waiter.wait(PENDING_POLL_SECONDS)
            claim = store.claim(submission.key, submission.draft)
        return claim

    def _body_html(self, draft: Draft, channel_name: str, rep_name: str) -> str:
        names = self._services.names
        origin = draft.origin
        author = names.user(origin.author_id) if origin.author_id else None
        return conversation_body(
            rich_text_to_html(draft.message, names),
            channel_name=channel_name,
            author_name=author.best_name if author else "",
            permalink=self._permalink(draft),
            rep_name=rep_name,
        )

    def _channel_name(self, draft: Draft) -> str:
        origin = draft.origin
        if origin.channel_name and origin.channel_name not in ("privategroup", "directmessage"):
            return origin.channel_name
        if origin.channel_id:
            return self._services.names.channel_name(origin.channel_id) or origin.channel_name
        return origin.channel_name

    def _permalink(self, draft: Draft) -> str | None:
        origin = draft.origin
        if not (origin.channel_id and origin.message_ts):
            return None
        try:
            response = self._client.chat_getPermalink(
                channel=origin.channel_id, message_ts=origin.message_ts
            )
        except SLACK_FAILURES:
            logger.info("chat.getPermalink failed; the Drift message goes without a back-link")
            return None
        permalink = response.get("permalink")
        return permalink if isinstance(permalink, str) else None

    def _tell(self, key: str, outbound: Outbound) -> None:
        services = self._services
        deliver_and_forget(services.store, services.delivery, key, outbound, self._client)

    def _is_shared(self, origin: Origin) -> bool:
        """Whether the answer's channel is read by other organisations (unknown counts as yes)."""
        if not origin.channel_id or origin.channel_id.startswith("D"):
            return False
        channel = self._services.names.channel(origin.channel_id)
        return channel is None or channel.is_ext_shared

    def _fail(
        self, submission: Submission, reason: str, *, ambiguous: bool, record: bool = True
    ) -> Failed:
        failed = failure_for(self._services.store, submission.draft, reason, ambiguous=ambiguous)
        outbound = failed_outbound(failed, submission.view_id, submission.draft.origin)
        if record:
            self._record_failure(
                submission.key, reason, ambiguous=ambiguous, outbox=outbound.to_json()
            )
        self._tell(submission.key, outbound)
        return failed

    def _record_failure(self, key: str, reason: str, *, ambiguous: bool, outbox: str = "") -> None:
        """Record the failure; a store that cannot even do that must not silence the rep."""
        try:
            self._services.store.fail(key, reason, ambiguous=ambiguous, outbox=outbox)
        except Exception:
            logger.warning("The store could not record a failure for %s either", key)

    def _bounce(self, submission: Submission, problem: str) -> Failed:
        """Send the rep back to the form (input kept) to fix the assignee."""
        self._record_failure(submission.key, problem, ambiguous=False)
        form = views.build_form_view(submission.draft, nonce=submission.nonce, error=problem)
        if self._services.delivery.update_modal(submission.view_id, form):
            return Failed(submission.draft.email, problem, draft_id="")
        return self._fail(submission, problem, ambiguous=False, record=False)


def failure_for(store: Store, draft: Draft, reason: str, *, ambiguous: bool) -> Failed:
    """The Failed outcome with the draft kept for Try again, or, when the store cannot keep it,
    the rep's own text carried in the outcome itself."""
    try:
        draft_id = store.save_draft(draft)
    except Exception:
        logger.warning("The store could not keep the rep's draft; it is shown to them instead")
        return Failed(
            draft.email, reason, draft_id="", ambiguous=ambiguous, unsaved_message=draft.message
        )
    return Failed(draft.email, reason, draft_id=draft_id, ambiguous=ambiguous)


def created_from_record(record: ConversationRecord, *, duplicate: bool) -> Created:
    return Created(
        contact_email=record.contact_email,
        url=record.url,
        rep_id=record.user_id,
        assignee_slack_id=record.assignee_slack_id if record.assignee_drift_id is not None else "",
        duplicate=duplicate,
        conversation_id=record.conversation_id,
    )


ORPHANED = (
    "drift-open stopped while this conversation was being created, so it is not known whether "
    "Drift received it."
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
