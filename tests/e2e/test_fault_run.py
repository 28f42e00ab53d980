"""The fault run of bench/fault_run.py, smaller: 40 submissions through the real app process."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fault_outcomes import Attempt, FaultRunReport, SubmissionResult
from bench.fault_plan import FAULTS, FaultRunConfig, plan_submissions
from bench.fault_report import GENERATED_BEGIN, write_document
from bench.fault_run import run_fault_run

pytestmark = pytest.mark.e2e

SMALL_RUN = FaultRunConfig(submissions=40, seed=11, batch=4, reopen_sample=8)


@pytest.fixture(scope="module")
def report() -> FaultRunReport:
    return run_fault_run(SMALL_RUN)


def test_the_plan_mixes_every_fault_and_is_repeatable() -> None:
    plan = plan_submissions(SMALL_RUN)
    assert plan == plan_submissions(SMALL_RUN)
    assert {submission.fault for submission in plan} == {spec.name for spec in FAULTS}
    assert any(submission.double for submission in plan)
    assert any(submission.close_modal for submission in plan)
    assert len({submission.email for submission in plan}) == SMALL_RUN.submissions


@pytest.mark.parametrize(
    "count",
    [
        "duplicates (must be 0)",
        "submissions with no outcome message (must be 0)",
        "submissions lost without a Try again (must be 0)",
        "failures reported without a Try again (must be 0)",
        "told created, but no conversation (must be 0)",
        "told 'not created', but one exists (must be 0)",
        "workers that never reported in time (must be 0)",
    ],
)
def test_what_must_never_happen_did_not(report: FaultRunReport, count: str) -> None:
    assert report.counts[count] == 0, report.counts


def test_every_submission_was_driven_and_every_fault_answered(report: FaultRunReport) -> None:
    assert len(report.results) == SMALL_RUN.submissions
    assert all(result.drift_answers != "no call" for result in report.results)
    assert report.app_errors == []


def test_created_covers_at_least_the_fault_free_submissions(report: FaultRunReport) -> None:
    counts = report.counts
    assert counts["conversations created"] >= counts["fault-free submissions"] > 0
    assert counts["ambiguous, and the conversation exists"] > 0
    assert counts["ambiguous, and no conversation exists"] > 0


def test_try_again_brings_back_the_input_and_recovers(report: FaultRunReport) -> None:
    assert report.reopens
    assert all(reopen.same_input for reopen in report.reopens)
    retried = [reopen for reopen in report.reopens if reopen.retried]
    assert retried
    assert all(reopen.created_by_retry for reopen in retried)


def _result(conversations: int, *attempts: Attempt, messages: int = 0) -> SubmissionResult:
    [plan] = plan_submissions(FaultRunConfig(submissions=1))
    return SubmissionResult(plan, "V1", "500", conversations, attempts, messages, False, True)


CREATED_SHOWN = Attempt(created=True, ambiguous=False, try_again_draft="", shown_in_modal=True)
CERTAIN_FAILURE = Attempt(created=False, ambiguous=False, try_again_draft="d1", shown_in_modal=True)
FAILURE_WITHOUT_BUTTON = Attempt(False, False, "", True)
FAILURE_NOT_SHOWN = Attempt(False, True, "d1", False)


@pytest.mark.parametrize(
    ("result", "count"),
    [
        (_result(2, CREATED_SHOWN), "duplicates (must be 0)"),
        (_result(0, FAILURE_NOT_SHOWN), "submissions with no outcome message (must be 0)"),
        (_result(0, FAILURE_WITHOUT_BUTTON), "submissions lost without a Try again (must be 0)"),
        (_result(0, CREATED_SHOWN), "told created, but no conversation (must be 0)"),
        (_result(1, CERTAIN_FAILURE), "told 'not created', but one exists (must be 0)"),
    ],
)
def test_the_counts_catch_each_broken_promise(result: SubmissionResult, count: str) -> None:
    report = FaultRunReport(SMALL_RUN, results=[result])
    assert report.counts[count] == 1


def test_the_document_keeps_its_hand_written_part(tmp_path: Path) -> None:
    doc = tmp_path / "reliability.md"
    write_document(doc, "first figures")
    doc.write_text(doc.read_text().replace("# Reliability", "# Reliability (edited by hand)"))
    write_document(doc, "second figures")
    text = doc.read_text()
    assert "# Reliability (edited by hand)" in text
    assert "second figures" in text
    assert "first figures" not in text
    assert text.count(GENERATED_BEGIN) == 1
