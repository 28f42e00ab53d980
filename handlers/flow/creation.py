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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from slack_sdk import WebClient

from drift.errors import DriftError
from handlers.flow.assignees import AssigneeProblem, resolve_assignee
from handlers.flow.defaults import defaults_for, remember_assignee
from handlers.flow.drift_body import DriftBody, drift_body
from handlers.flow.form_context import contact_blocks_for
from handlers.flow.outbox import Outbound, created_outbound, deliver_and_forget, failed_outbound
from handlers.flow.outcomes import created_from_record, failure_for
from handlers.flow.services import Services
from handlers.flow.targets import NO_DRIFT_USER, NOT_KNOWN, known_target
from handlers.flow.thread_body import whole_thread_html
from handlers.ui import views
from handlers.ui.drift_errors import drift_error_message
from handlers.ui.outcomes import Created, Failed
from storage.protocol import Claim, ConversationRecord
from storage.records import Draft, Origin

logger = logging.getLogger(__name__)

T = TypeVar("T")

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
        adding = bool(submission.draft.add_to)
        if claim.state == "done" and claim.record is not None:
            created = created_from_record(claim.record, duplicate=True, added=adding)
            self._services.delivery.update_modal(
                submission.view_id, views.build_created_view(created)
            )
            return created
        if claim.state == "failed":
            return self._fail(submission, claim.failure, ambiguous=True, record=False)
        if claim.state != "new":
            return None
        return self._add(submission) if adding else self._create(submission)

    def _create(self, submission: Submission) -> Created | Failed:
        try:
            assignee = resolve_assignee(
                self._services.names, self._services.users, submission.draft.assignee_id
            )
        except AssigneeProblem as problem:
            return self._bounce(submission, str(problem))
        draft = submission.draft
        body = self._body(draft)
        conversation = self._ask_drift(
            submission,
            lambda: self._services.drift.create_conversation(
                email=draft.email,
                body_html=body.html,
                integration_source=body.integration_source,
                assignee_id=assignee.drift_id,
            ),
        )
        if isinstance(conversation, Failed):
            return conversation
        record = self._record(
            submission,
            conversation_id=conversation.id,
            inbox_id=conversation.inbox_id,
            url=conversation.url(self._services.settings.drift_app_base_url),
            assignee_slack_id=draft.assignee_id,
            assignee_drift_id=assignee.drift_id,
        )
        created = replace(
            created_from_record(record, duplicate=False),
            assignee_name=assignee.name,
            unassigned_reason=assignee.unassigned_reason,
        )
        return self._complete(submission, record, created)

    def _add(self, submission: Submission) -> Created | Failed:
        """Post the message in a conversation drift-open knows with this contact, as the rep."""
        draft = submission.draft
        target = known_target(self._services.store, draft)
        if target is None:
            return self._bounce(submission, NOT_KNOWN)
        try:
            rep = resolve_assignee(self._services.names, self._services.users, draft.origin.user_id)
        except AssigneeProblem as problem:
            return self._bounce(submission, str(problem))
        if rep.drift_id is None:
            return self._bounce(submission, NO_DRIFT_USER)
        body = self._body(draft)
        posted = self._ask_drift(
            submission,
            lambda: self._services.drift.post_message(
                target.conversation_id, body.html, type_="chat", user_id=rep.drift_id
            ),
        )
        if isinstance(posted, Failed):
            return posted
        record = self._record(
            submission,
            conversation_id=target.conversation_id,
            inbox_id=target.inbox_id,
            url=target.url,
            assignee_slack_id=target.assignee_slack_id,
            assignee_drift_id=target.assignee_drift_id,
        )
        return self._complete(
            submission, record, created_from_record(record, duplicate=False, added=True)
        )

    def _record(
        self,
        submission: Submission,
        *,
        conversation_id: int,
        inbox_id: int,
        url: str,
        assignee_slack_id: str,
        assignee_drift_id: int | None,
    ) -> ConversationRecord:
        """What links this Slack message (and its thread) to the Drift conversation."""
        origin = submission.draft.origin
        return ConversationRecord(
            team_id=origin.team_id,
            channel_id=origin.channel_id,
            message_ts=origin.message_ts,
            source=origin.source,
            user_id=origin.user_id,
            assignee_slack_id=assignee_slack_id,
            assignee_drift_id=assignee_drift_id,
            contact_email=submission.draft.email,
            conversation_id=conversation_id,
            inbox_id=inbox_id,
            url=url,
            created_at=time.time(),
            submission_key=submission.key,
        )

    def _complete(
        self, submission: Submission, record: ConversationRecord, created: Created
    ) -> Created:
        origin = submission.draft.origin
        settings = self._services.settings
        syncs = settings.sync_to_drift or settings.sync_to_slack
        outbound = created_outbound(
            created,
            submission.view_id,
            origin,
            shared=self._is_shared(origin),
            link=(record.conversation_id, record.inbox_id) if syncs else None,
            notes=settings.sync_to_drift,
        )
        self._services.store.complete(submission.key, record, outbox=outbound.to_json())
        if not created.added:
            remember_assignee(self._services.store, origin, submission.draft.assignee_id)
        self._tell(submission.key, outbound)
        return created

    def _ask_drift(self, submission: Submission, call: Callable[[], T]) -> T | Failed:
        """The one Drift call of a job, unless its start deadline passed; a DriftError becomes
        the recorded failure, and the call's duration is kept for the log line."""
        if time.monotonic() - submission.accepted_at > START_DEADLINE_SECONDS:
            return self._fail(submission, TOO_LATE, ambiguous=False)
        started = time.monotonic()
        self._drift_called = True
        try:
            return call()
        except DriftError as exc:
            return self._fail(submission, drift_error_message(exc), ambiguous=exc.ambiguous)
        finally:
            self._drift_ms = (time.monotonic() - started) * 1000

    def _body(self, draft: Draft) -> DriftBody:
        thread = ""
        if draft.whole_thread and draft.origin.source == "shortcut":
            thread = whole_thread_html(self._services, self._client, draft)
        label = defaults_for(self._services.store, draft.origin).source_label
        return drift_body(self._services.names, self._client, draft, extra_html=thread, label=label)

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
        """Send the rep back to the form (input and context kept) to fix the assignee or the
        choice of conversation."""
        self._record_failure(submission.key, problem, ambiguous=False)
        form = views.build_form_view(
            submission.draft,
            nonce=submission.nonce,
            error=problem,
            contact_blocks=contact_blocks_for(self._services, submission.draft),
        )
        if self._services.delivery.update_modal(submission.view_id, form):
            return Failed(submission.draft.email, problem, draft_id="")
        return self._fail(submission, problem, ambiguous=False, record=False)
