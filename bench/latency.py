"""Measurement 1: ack latency of the slash command and the form submission, drift-open against
a bare Bolt app that only acks, both child processes under waitress, same client, same run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.load import Outcome, send_from_child_process
from bench.report import Section
from bench.rig import Rig
from bench.stats import Summary, ms, ratio, verdict
from tests.fakes.signing import SignedRequest

REQUESTS = 500
WARMUP = 40
CLIENT_THREADS = 4
RATIO_GOAL = 1.5
P99_GOAL_SECONDS = 0.100


@dataclass(frozen=True)
class Series:
    """One kind of request against one app."""

    app: str
    kind: str
    summary: Summary
    failures: int


def measure(
    name: str,
    kind: str,
    url: str,
    make: Callable[[int], SignedRequest],
    ok: Callable[[Outcome], bool],
) -> Series:
    prepared = [make(index) for index in range(WARMUP + REQUESTS)]
    outcomes = send_from_child_process(url, prepared, threads=CLIENT_THREADS, warmup=WARMUP)
    failures = sum(1 for outcome in outcomes if not ok(outcome))
    return Series(name, kind, Summary.of([outcome.seconds for outcome in outcomes]), failures)


def acked(outcome: Outcome) -> bool:
    return outcome.status == 200


def acked_with_update(outcome: Outcome) -> bool:
    return outcome.status == 200 and '"response_action": "update"' in outcome.body


def run(rig: Rig) -> tuple[Section, Summary]:
    real = rig.real_app()
    try:
        bare = rig.bare_app("ack")
    except BaseException:
        real.stop()
        raise
    try:
        bare_command = measure("bare Bolt", "command", bare.url, rig.command, acked)
        real_command = measure("drift-open", "command", real.url, rig.command, acked)
        # Every submission is of a distinct form the real app opened (its own view id and nonce),
        # so none is deduplicated; the bare app receives byte-for-byte the same kind of payload.
        views = rig.open_forms(real, 2 * (REQUESTS + WARMUP))
        bare_views, real_views = views[: REQUESTS + WARMUP], views[REQUESTS + WARMUP :]

        def bare_submission(index: int) -> SignedRequest:
            return rig.submission(bare_views[index], f"bare{index}@example.com")

        def real_submission(index: int) -> SignedRequest:
            return rig.submission(real_views[index], f"lat{index}@example.com")

        bare_submit = measure("bare Bolt", "submission", bare.url, bare_submission, acked)
        real_submit = measure(
            "drift-open", "submission", real.url, real_submission, acked_with_update
        )
    finally:
        bare.stop()
        real.stop()
    return section([bare_command, real_command], [bare_submit, real_submit]), real_submit.summary


def section(commands: list[Series], submissions: list[Series]) -> Section:
    rows: list[tuple[str, ...]] = []
    for baseline, ours in (commands, submissions):
        for series in (baseline, ours):
            s = series.summary
            rows.append(
                (
                    series.kind,
                    series.app,
                    str(s.count),
                    ms(s.p50),
                    ms(s.p95),
                    ms(s.p99),
                    ms(s.max),
                    str(series.failures),
                    "",
                    "",
                )
            )
        ratios = [
            ratio(getattr(ours.summary, p), getattr(baseline.summary, p))
            for p in ("p50", "p95", "p99")
        ]
        passed = (
            max(ratios) <= RATIO_GOAL and ours.summary.p99 < P99_GOAL_SECONDS and ours.failures == 0
        )
        rows.append(
            (
                ours.kind,
                "ratio drift-open / bare",
                "",
                *(f"{r:.2f}x" for r in ratios),
                "",
                "",
                f"ratio <= {RATIO_GOAL} at p50, p95 and p99; p99 < 100 ms; 0 failures",
                verdict(passed),
            )
        )
    return Section(
        title="1. Ack latency (HTTP mode, waitress)",
        headers=("request", "app", "n", "p50", "p95", "p99", "max", "failed", "goal", "result"),
        rows=tuple(rows),
        notes=(
            f"{REQUESTS} timed requests per row after {WARMUP} untimed warm-up requests, from "
            f"{CLIENT_THREADS} client threads with one keep-alive session each, in a separate "
            "load-generator process; time is from send to the full HTTP response (the ack Slack "
            "waits for).",
            "Requests are signed in advance; the fake Slack's clock is frozen for the whole "
            "bench so trigger ids issued in advance do not expire (views.open must still "
            "succeed: the forms it opens are the ones submitted).",
            "Both apps are child processes served by waitress with the same thread count; the "
            "bare app's listeners only call ack(). The load generator, both fakes and the app "
            "share the same cores, so these numbers include that contention.",
            "drift-open's command ack is followed by views.open and its submission ack by the "
            "Drift work on a worker thread: that work competes for the CPU during the run.",
            "Each submission is of its own form, opened by a real /drift-open through drift-open "
            "(own view id and nonce, so none is deduplicated and views.update finds the modal); "
            "the bare app is sent submissions of the same forms.",
            "Bolt's listener runner polls for the ack every 10 ms, which sets a floor for both "
            "apps.",
            "A failed row is a non-200 answer (for drift-open submissions: an ack without "
            "response_action=update).",
        ),
    )
