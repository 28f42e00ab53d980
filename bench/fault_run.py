"""The reliability proof: a bounded fault run of the real app against the loopback fakes.

`python -m bench.fault_run [--submissions 200] [--seed 4] [--batch 1] [--write-docs]` starts
`python app.py` (HTTP mode) between FakeSlack and FakeDrift, drives N form submissions while
FakeDrift answers
`POST /conversations/new` with 5xx, 429, dropped connections and late answers, then counts what
every rep got (conversations, duplicates, outcome messages, Try again), prints the figures and,
with `--write-docs`, rewrites the generated part of docs/reliability.md.
`run_fault_run(config)` is the same run for the e2e suite.

How a fault meets its submission: faults are queued on the `/conversations/new` path only, and
one submission's faults are queued right before it is submitted. With `--batch 1` (the default)
the next submission starts only when the previous one has reported, so each fault hits exactly
the intended submission. With `--batch K` K submissions run at once and a fault hits whichever
call arrives first; either way the tables attribute faults from FakeDrift's own call log (each
call records the fault that shaped its answer and the contact email in its body).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench.fault_observations import (
    attempts_for,
    conversations_by_email,
    drift_answers,
    has_reported,
    messages_about,
    try_again_draft,
)
from bench.fault_outcomes import FaultRunReport, ReopenResult, SubmissionResult, failures_of
from bench.fault_plan import (
    CREATE_PATH,
    FAULTS_BY_NAME,
    FaultRunConfig,
    PlannedSubmission,
    plan_submissions,
)
from bench.fault_report import DOC_PATH, render_generated, write_document
from handlers.ui import ids
from runtime.scopes import REQUIRED_BOT_SCOPES
from tests.conftest import app_environment
from tests.e2e.app_process import AppProcess
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift, drift_user
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack

SIGNING_SECRET = "fault-run-signing-secret-0123456789"
DRIFT_TOKEN = "drift-fault-run-token"
REPORT_DEADLINE_SECONDS = 45.0


# the rig ------------------------------------------------------------------------------------
@dataclass
class Rig:
    slack: FakeSlack
    drift: FakeDrift
    http: SlackHttpClient
    app: AppProcess


def rig_environment(
    slack: FakeSlack, drift: FakeDrift, db_path: Path, drift_timeout: float, **extra: str
) -> dict[str, str]:
    """The app's environment between the fakes (the run's own secrets), quiet but for warnings."""
    return app_environment(
        slack,
        drift,
        db_path,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DRIFT_ACCESS_TOKEN=DRIFT_TOKEN,
        DRIFT_TIMEOUT_SECONDS=str(drift_timeout),
        LOG_LEVEL="WARNING",
        **extra,
    )


@contextmanager
def started_rig(config: FaultRunConfig) -> Iterator[Rig]:
    users = [drift_user(21849, "Riley Rep", payloads.USER_EMAIL)]
    with (
        TemporaryDirectory(prefix="drift-open-fault-run-") as workdir,
        FakeSlack(scopes=frozenset(REQUIRED_BOT_SCOPES)) as slack,
        FakeDrift(access_token=DRIFT_TOKEN, users=users) as drift,
    ):
        # Every answer lands in one channel: Slack's posting limit scaled to this run's pace.
        slack.post_limit.per_second, slack.post_limit.burst = 100.0, 100
        environ = rig_environment(
            slack, drift, Path(workdir) / "fault-run.sqlite3", config.drift_read_timeout
        )
        app = AppProcess(environ)
        with app, SlackHttpClient(app.url, SlackSigner(SIGNING_SECRET)) as http:
            app.wait_until_healthy()
            yield Rig(slack, drift, http, app)


# driving one submission ---------------------------------------------------------------------
def form_values(email: str, text: str) -> dict[str, Any]:
    return {
        ids.EMAIL_BLOCK: {ids.EMAIL_ACTION: payloads.email_value(email)},
        ids.MESSAGE_BLOCK: {ids.MESSAGE_ACTION: payloads.rich_text_value(payloads.rich_text(text))},
        ids.ASSIGNEE_BLOCK: {ids.ASSIGNEE_ACTION: payloads.users_select_value(payloads.USER_ID)},
    }


def _initial_email(view: dict[str, Any]) -> str | None:
    for block in view.get("blocks") or []:
        if block.get("block_id") == ids.EMAIL_BLOCK:
            return (block.get("element") or {}).get("initial_value")
    return None


def find_form(slack: FakeSlack, email: str) -> dict[str, Any] | None:
    """The open form prefilled with `email`."""
    for view_id, view in slack.views.items():
        if view.get("callback_id") != ids.FORM_CALLBACK_ID:
            continue
        if _initial_email(view) == email and slack.is_view_open(view_id):
            return view
    return None


def submit(rig: Rig, view: dict[str, Any], email: str, text: str, copies: int = 1) -> None:
    """Deliver the view_submission `copies` times at once and let Slack apply each ack."""
    payload = payloads.view_submission(
        view, form_values(email, text), trigger_id=rig.slack.new_trigger_id()
    )
    with ThreadPoolExecutor(max_workers=copies) as senders:
        responses = list(senders.map(lambda _: rig.http.interactive(payload), range(copies)))
    for response in responses:
        response.raise_for_status()
        ack = response.json() if response.content else None
        rig.slack.settle_submission(view["id"], ack)


def open_and_submit(rig: Rig, plan: PlannedSubmission) -> str:
    """Slash command → form → (modal closed?) → submit (twice?); returns the view id."""
    response = rig.http.command(
        text=plan.email,
        trigger_id=rig.slack.new_trigger_id(),
        response_url=rig.slack.response_url(),
    )
    response.raise_for_status()
    view = rig.slack.wait_for(lambda: find_form(rig.slack, plan.email), timeout=10)
    if plan.close_modal:
        # The rep closes the modal right after Submit; closing first makes the race certain.
        rig.slack.close_view(view["id"])
    submit(rig, view, plan.email, plan.text, copies=2 if plan.double else 1)
    return str(view["id"])


# classifying one submission -----------------------------------------------------------------
def classify(rig: Rig, plan: PlannedSubmission, view_id: str, reported: bool) -> SubmissionResult:
    messages = messages_about(rig.slack, plan.email)
    return SubmissionResult(
        plan=plan,
        view_id=view_id,
        drift_answers=drift_answers(rig.drift, plan.email),
        conversations=conversations_by_email(rig.drift)[plan.email],
        attempts=tuple(attempts_for(rig.slack, view_id)),
        messages=len(messages),
        fallback_try_again=any(try_again_draft(blocks) for blocks in messages),
        reported=reported,
    )


def wait_reported(rig: Rig, plan: PlannedSubmission, view_id: str) -> bool:
    try:
        rig.slack.wait_for(
            lambda: has_reported(rig.slack, plan, view_id), timeout=REPORT_DEADLINE_SECONDS
        )
        return True
    except TimeoutError:
        return False


# Try again ----------------------------------------------------------------------------------
def reopen_and_retry(rig: Rig, result: SubmissionResult) -> ReopenResult:
    """Click Try again where the rep sees it, check the form, and resubmit if nothing exists."""
    plan = result.plan
    shown = [a for a in result.failures if a.shown_in_modal and a.try_again_draft]
    draft_id = shown[-1].try_again_draft if shown else ""
    action = payloads.button_action(ids.RETRY_ACTION, draft_id, text="Try again")
    if draft_id and rig.slack.is_view_open(result.view_id):
        view = rig.slack.views[result.view_id]
        click = payloads.block_actions([action], view=view)
    else:
        ephemeral = next(e for e in rig.slack.ephemerals if plan.email in (e.text or ""))
        draft_id = try_again_draft(ephemeral.blocks)
        action = payloads.button_action(ids.RETRY_ACTION, draft_id, text="Try again")
        message = {"type": "message", "ts": ephemeral.message_ts, "blocks": ephemeral.blocks}
        click = payloads.block_actions(
            [action], message=message, response_url=rig.slack.response_url()
        )
    click["trigger_id"] = rig.slack.new_trigger_id()
    rig.http.interactive(click).raise_for_status()
    form = rig.slack.wait_for(lambda: find_form(rig.slack, plan.email), timeout=10)
    fields = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    same_input = plan.text in json.dumps(fields[ids.MESSAGE_BLOCK].get("initial_value"))
    if result.conversations > 0:
        return ReopenResult(plan.email, same_input, retried=False, created_by_retry=False)
    before = len(attempts_for(rig.slack, form["id"]))
    submit(rig, form, plan.email, plan.text)
    rig.slack.wait_for(
        lambda: len(attempts_for(rig.slack, form["id"])) > before, timeout=REPORT_DEADLINE_SECONDS
    )
    created = conversations_by_email(rig.drift)[plan.email] == 1
    return ReopenResult(plan.email, same_input, retried=True, created_by_retry=created)


# the run ------------------------------------------------------------------------------------
def run_fault_run(config: FaultRunConfig) -> FaultRunReport:
    """Drive every planned submission, wait for every report, classify, try Try again."""
    plans = plan_submissions(config)
    report = FaultRunReport(config)
    with started_rig(config) as rig:
        started = time.monotonic()
        view_ids: dict[int, str] = {}
        with ThreadPoolExecutor(max_workers=max(1, config.batch)) as pool:
            for first in range(0, len(plans), max(1, config.batch)):
                batch = plans[first : first + max(1, config.batch)]
                for plan in batch:
                    FAULTS_BY_NAME[plan.fault].inject(rig.drift, config.drift_read_timeout)
                opened = list(pool.map(lambda plan: open_and_submit(rig, plan), batch))
                reported = [wait_reported(rig, p, v) for p, v in zip(batch, opened, strict=True)]
                for plan, view_id, done in zip(batch, opened, reported, strict=True):
                    view_ids[plan.index] = view_id
                    report.results.append(classify(rig, plan, view_id, done))
                if config.progress:
                    done_count = len(report.results)
                    print(f"\r[fault run] {done_count}/{len(plans)}", end="", file=sys.stderr)
        if config.progress:
            print(file=sys.stderr)
        report.submit_seconds = time.monotonic() - started
        report.drift_calls = len(rig.drift.calls_to("POST", CREATE_PATH))
        # Classify again once everything settled: a late double-submission report counts too.
        report.results = [classify(rig, r.plan, r.view_id, r.reported) for r in report.results]
        started = time.monotonic()
        failed = [r for r in report.results if r.failures and not r.told_created]
        for result in failed[: config.reopen_sample]:
            report.reopens.append(reopen_and_retry(rig, result))
        report.reopen_seconds = time.monotonic() - started
        report.app_errors = rig.slack.server_errors + rig.drift.server_errors
        report.app_errors += [line for line in rig.app.output.splitlines() if "Traceback" in line]
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fault_run", description=__doc__)
    parser.add_argument("--submissions", type=int, default=FaultRunConfig.submissions)
    parser.add_argument("--seed", type=int, default=FaultRunConfig.seed)
    parser.add_argument("--batch", type=int, default=FaultRunConfig.batch)
    parser.add_argument("--output", type=Path, default=DOC_PATH)
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/reliability.md")
    args = parser.parse_args(argv)
    config = FaultRunConfig(
        submissions=args.submissions, seed=args.seed, batch=args.batch, progress=True
    )
    report = run_fault_run(config)
    command = "python -m bench.fault_run"
    defaults = FaultRunConfig()
    for name in ("submissions", "seed", "batch"):
        if getattr(config, name) != getattr(defaults, name):
            command += f" --{name} {getattr(config, name)}"
    generated = render_generated(report, command, datetime.now(UTC))
    print(generated)
    if args.write_docs:
        write_document(args.output, generated)
    broken = failures_of(report)
    if broken:
        print(f"FAILED: {broken}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
