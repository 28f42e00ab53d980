"""Measurement 2: 50 submissions at once while the fake Drift takes 2 s per conversation, for
drift-open and, for contrast, a naive app on Bolt's defaults that calls Drift inline."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.load import Outcome, burst, wait_until
from bench.report import Section
from bench.rig import Rig
from bench.stats import Summary, ms, verdict
from tests.e2e.app_process import AppProcess

SUBMISSIONS = 50
DRIFT_LATENCY_SECONDS = 2.0
ACK_GOAL_SECONDS = 1.0
SLACK_ACK_LIMIT_SECONDS = 3.0
CONVERSATION_DEADLINE_SECONDS = 40.0
CREATE_PATH = "/conversations/new"


@dataclass(frozen=True)
class BurstResult:
    app: str
    acks: Summary
    acked: int
    unhandled: int
    other_failures: int
    created: int
    duplicates: int
    seconds_to_all_created: float | None


def run(rig: Rig) -> tuple[Section, BurstResult]:
    real = rig.real_app()
    try:
        views = rig.open_forms(real, SUBMISSIONS + 1)
        warm_view, views = views[0], views[1:]
        # One submission first, so the burst runs with warm caches (Drift users, Slack names).
        _submit_and_wait(rig, real, [warm_view], "warm")
        rig.drift.set_latency(DRIFT_LATENCY_SECONDS, path=CREATE_PATH)
        ours = _burst(rig, real, views, "drift-open", "burst")
    finally:
        rig.drift.set_latency(0, path=CREATE_PATH)
        real.stop()
    naive = rig.bare_app("naive")
    try:
        rig.drift.set_latency(DRIFT_LATENCY_SECONDS, path=CREATE_PATH)
        theirs = _burst(rig, naive, views, "naive Bolt defaults", "naive")
    finally:
        rig.drift.set_latency(0, path=CREATE_PATH)
        naive.stop()
    return section(ours, theirs), ours


def _submit_and_wait(rig: Rig, app: AppProcess, views: list[dict], prefix: str) -> None:
    emails = {f"{prefix}{n}@example.com" for n in range(len(views))}
    burst(app.url, lambda n: rig.submission(views[n], f"{prefix}{n}@example.com"), len(views))
    wait_until(lambda: len(rig.conversations_for(emails)) >= len(emails), 10)


def _burst(rig: Rig, app: AppProcess, views: list[dict], name: str, prefix: str) -> BurstResult:
    emails = {f"{prefix}{n}@example.com" for n in range(len(views))}
    released = time.monotonic()
    outcomes = burst(
        app.url, lambda n: rig.submission(views[n], f"{prefix}{n}@example.com"), len(views)
    )
    all_created = wait_until(
        lambda: len(rig.conversations_for(emails)) >= len(emails), CONVERSATION_DEADLINE_SECONDS
    )
    elapsed = time.monotonic() - released
    created = rig.conversations_for(emails)
    return BurstResult(
        app=name,
        acks=Summary.of([outcome.seconds for outcome in outcomes]),
        acked=sum(1 for outcome in outcomes if _is_update_ack(outcome)),
        unhandled=sum(1 for outcome in outcomes if _is_unhandled(outcome)),
        other_failures=sum(1 for o in outcomes if not (_is_update_ack(o) or _is_unhandled(o))),
        created=len(set(created)),
        duplicates=len(created) - len(set(created)),
        seconds_to_all_created=elapsed if all_created else None,
    )


def _is_update_ack(outcome: Outcome) -> bool:
    return outcome.status == 200 and '"response_action": "update"' in outcome.body


def _is_unhandled(outcome: Outcome) -> bool:
    return outcome.status == 404 and "unhandled request" in outcome.body


def section(ours: BurstResult, theirs: BurstResult) -> Section:
    rows = [_row(ours, goals=True), _row(theirs, goals=False)]
    return Section(
        title=f"2. Burst: {SUBMISSIONS} submissions at once, Drift answering in "
        f"{DRIFT_LATENCY_SECONDS:.0f} s",
        headers=(
            "app",
            "response p50",
            "response max",
            "acked (update)",
            "unhandled 404",
            "other failures",
            "created",
            "duplicates",
            "all created after",
            "goal",
            "result",
        ),
        rows=tuple(rows),
        notes=(
            f"{SUBMISSIONS} client threads, each on a new connection, released together by a "
            "barrier; every submission is a distinct form with a distinct contact email.",
            "drift-open acks with response_action=update and does the Drift call on its worker "
            "pool, so the ack does not wait for Drift.",
            "The naive contrast is a bare Bolt app with Bolt's defaults (5 listener threads) "
            "that acks and then calls Drift inline: queued listeners cannot ack before Bolt's "
            f"{SLACK_ACK_LIMIT_SECONDS:.0f} s ack timeout and get 404 'unhandled request'. "
            "Slack would then retry those requests (up to 3 times); this bench does not replay "
            "them, so the naive app's duplicate count here understates what Slack would cause.",
            "'response' is the time to the HTTP answer, an ack or Bolt's 404.",
            f"'all created after' is measured from the release of the burst (poll every 50 ms, "
            f"deadline {CONVERSATION_DEADLINE_SECONDS:.0f} s).",
        ),
    )


def _row(result: BurstResult, *, goals: bool) -> tuple[str, ...]:
    done = result.seconds_to_all_created
    cells = (
        result.app,
        ms(result.acks.p50),
        ms(result.acks.max),
        f"{result.acked}/{SUBMISSIONS}",
        str(result.unhandled),
        str(result.other_failures),
        f"{result.created}/{SUBMISSIONS}",
        str(result.duplicates),
        f"{done:.1f} s" if done is not None else "not within deadline",
    )
    if not goals:
        return (*cells, "contrast only", "-")
    passed = (
        result.acks.max < ACK_GOAL_SECONDS
        and result.acked == SUBMISSIONS
        and result.created == SUBMISSIONS
        and result.duplicates == 0
        and result.unhandled == 0
    )
    goal = (
        f"every ack < {ACK_GOAL_SECONDS:.0f} s, {SUBMISSIONS}/{SUBMISSIONS} created, 0 dup, 0 404"
    )
    return (*cells, goal, verdict(passed))
