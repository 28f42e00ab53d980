"""What each submission of the fault run got, and the counts that judge the run.

`Attempt` is one worker's final report, `SubmissionResult` everything one submission led to,
`ReopenResult` one click on Try again; `FaultRunReport.counts` adds them up, and `failures_of`
returns the counts that must be 0 and are not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bench.fault_plan import FaultRunConfig, PlannedSubmission


@dataclass(frozen=True)
class Attempt:
    """One worker's final report for a modal: what it said and whether the modal showed it."""

    created: bool
    ambiguous: bool
    try_again_draft: str
    shown_in_modal: bool


@dataclass(frozen=True)
class SubmissionResult:
    plan: PlannedSubmission
    view_id: str
    drift_answers: str
    conversations: int
    attempts: tuple[Attempt, ...]
    messages: int
    fallback_try_again: bool
    reported: bool

    @property
    def outcome_told(self) -> bool:
        return any(attempt.shown_in_modal for attempt in self.attempts) or self.messages > 0

    @property
    def told_created(self) -> bool:
        return any(attempt.created for attempt in self.attempts)

    @property
    def failures(self) -> list[Attempt]:
        return [attempt for attempt in self.attempts if not attempt.created]

    @property
    def try_again_offered(self) -> bool:
        in_modal = any(a.try_again_draft and a.shown_in_modal for a in self.failures)
        return in_modal or (bool(self.failures) and self.fallback_try_again)


@dataclass(frozen=True)
class ReopenResult:
    email: str
    same_input: bool
    retried: bool
    created_by_retry: bool


@dataclass
class FaultRunReport:
    config: FaultRunConfig
    results: list[SubmissionResult] = field(default_factory=list)
    reopens: list[ReopenResult] = field(default_factory=list)
    submit_seconds: float = 0.0
    reopen_seconds: float = 0.0
    drift_calls: int = 0  # POST /conversations/new calls before the Try again phase
    app_errors: list[str] = field(default_factory=list)

    def count(self, predicate: Callable[[SubmissionResult], bool]) -> int:
        return sum(1 for result in self.results if predicate(result))

    @property
    def counts(self) -> dict[str, int]:
        return {
            "submissions": len(self.results),
            "double submissions": self.count(lambda r: r.plan.double),
            "modals closed before the outcome": self.count(lambda r: r.plan.close_modal),
            "fault-free submissions": self.count(lambda r: r.drift_answers == "200"),
            "conversations created": sum(r.conversations for r in self.results),
            "submissions with a conversation": self.count(lambda r: r.conversations > 0),
            "duplicates (must be 0)": sum(max(0, r.conversations - 1) for r in self.results),
            "submissions with no outcome message (must be 0)": self.count(
                lambda r: not r.outcome_told
            ),
            "submissions lost without a Try again (must be 0)": self.count(lost),
            "failures reported without a Try again (must be 0)": self.count(
                lambda r: bool(r.failures) and not r.told_created and not r.try_again_offered
            ),
            "told created, but no conversation (must be 0)": self.count(
                lambda r: r.told_created and r.conversations == 0
            ),
            "told 'not created', but one exists (must be 0)": self.count(_falsely_denied),
            "ambiguous, and the conversation exists": self.count(
                lambda r: ambiguous_only(r) and r.conversations > 0
            ),
            "ambiguous, and no conversation exists": self.count(
                lambda r: ambiguous_only(r) and r.conversations == 0
            ),
            "certain failures (429 over the cap)": self.count(
                lambda r: not r.told_created and any(not a.ambiguous for a in r.failures)
            ),
            "workers that never reported in time (must be 0)": self.count(lambda r: not r.reported),
        }


def lost(result: SubmissionResult) -> bool:
    return result.conversations == 0 and not result.try_again_offered


def ambiguous_only(result: SubmissionResult) -> bool:
    return not result.told_created and any(a.ambiguous for a in result.failures)


def _falsely_denied(result: SubmissionResult) -> bool:
    certain = [a for a in result.failures if not a.ambiguous]
    return result.conversations > 0 and not result.told_created and bool(certain)


MUST_BE_ZERO = tuple(
    name for name in FaultRunReport(FaultRunConfig()).counts if "must be 0" in name
)


def failures_of(report: FaultRunReport) -> dict[str, int]:
    """The counts that must be 0 and are not."""
    return {name: value for name, value in report.counts.items() if name in MUST_BE_ZERO and value}
