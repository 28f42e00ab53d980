"""Measurement 3: API calls per conversation with warm caches, and the cold-cache burst that
must fetch Drift's `GET /users/list` once (single flight), not once per submission."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.load import burst, wait_until
from bench.report import Section
from bench.rig import Rig
from bench.stats import verdict
from tests.e2e.app_process import AppProcess

COLD_SUBMISSIONS = 50
USERS_LIST_LATENCY_SECONDS = 0.5
USERS_LIST = "/users/list"


def run(rig: Rig) -> Section:
    warm_slack, warm_drift, response_posts = _warm_flow(rig)
    cold_lists, cold_users_info, cold_created = _cold_burst(rig)
    drift_total = sum(warm_drift.values())
    rows = [
        (
            "Drift calls per conversation (warm)",
            str(drift_total),
            _named(warm_drift),
            "exactly 1",
            verdict(drift_total == 1),
        ),
        (
            "Slack calls per conversation (warm)",
            str(sum(warm_slack.values()) + response_posts),
            _named(warm_slack) + (f", response_url x{response_posts}" if response_posts else ""),
            "named",
            "-",
        ),
        (
            f"GET {USERS_LIST} for {COLD_SUBMISSIONS} concurrent cold submissions",
            str(cold_lists),
            f"{cold_created}/{COLD_SUBMISSIONS} conversations created",
            "exactly 1 (single flight)",
            verdict(cold_lists == 1 and cold_created == COLD_SUBMISSIONS),
        ),
        (
            "Slack users.info for the same rep in that cold burst",
            str(cold_users_info),
            "SlackNames cache, shared by concurrent misses",
            "at most 1 (single flight)",
            verdict(cold_users_info <= 1),
        ),
    ]
    return Section(
        title="3. API calls per conversation",
        headers=("what", "calls", "detail", "goal", "result"),
        rows=tuple(rows),
        notes=(
            "Warm: one /drift-open -> form -> submit flow on an app that has already created a "
            "conversation; counted from the submission on (the command's views.open is not "
            "included), until the answer is posted.",
            f"Cold: a fresh app process; {COLD_SUBMISSIONS} forms opened first, then "
            f"{COLD_SUBMISSIONS} submissions released together while the fake Drift takes "
            f"{USERS_LIST_LATENCY_SECONDS} s to answer {USERS_LIST} (so every worker asks while "
            "the first load is still in flight).",
            "The fake servers listen with a backlog of 128 (Python's default of 5 reset some of "
            "the app's connections in a 50-wide burst, a fake artifact, not Slack behaviour).",
        ),
    )


def _warm_flow(rig: Rig) -> tuple[Counter[str], Counter[str], int]:
    app = rig.real_app()
    try:
        first, second = rig.open_forms(app, 2)
        _submit(rig, app, first, "warmup@example.com")
        slack_mark = len(rig.slack.calls)
        drift_mark = len(rig.drift.calls)
        posts_mark = len(rig.slack.response_posts)
        _submit(rig, app, second, "counted@example.com")
    finally:
        app.stop()  # drains the worker pool, so nothing of this flow is still in flight
    slack = Counter(call.method for call in rig.slack.calls[slack_mark:])
    drift = Counter(f"{call.method} {call.path}" for call in rig.drift.calls[drift_mark:])
    return slack, drift, len(rig.slack.response_posts) - posts_mark


def _submit(rig: Rig, app: AppProcess, view: dict[str, Any], email: str) -> None:
    """Submit one form and wait until its answer is posted (the last step of the work)."""
    answers = len(rig.slack.calls_to("chat.postMessage"))
    burst(app.url, lambda _n: rig.submission(view, email), 1)
    wait_until(lambda: len(rig.slack.calls_to("chat.postMessage")) > answers, 10)


def _cold_burst(rig: Rig) -> tuple[int, int, int]:
    app = rig.real_app()
    try:
        views = rig.open_forms(app, COLD_SUBMISSIONS)
        lists_mark = len(rig.drift.calls_to("GET", USERS_LIST))
        info_mark = len(rig.slack.calls_to("users.info"))
        emails = {f"cold{n}@example.com" for n in range(COLD_SUBMISSIONS)}
        rig.drift.set_latency(USERS_LIST_LATENCY_SECONDS, path=USERS_LIST)
        burst(app.url, lambda n: rig.submission(views[n], f"cold{n}@example.com"), len(views))
        wait_until(lambda: len(rig.conversations_for(emails)) >= len(emails), 30)
    finally:
        rig.drift.set_latency(0, path=USERS_LIST)
        app.stop()
    lists = len(rig.drift.calls_to("GET", USERS_LIST)) - lists_mark
    infos = len(rig.slack.calls_to("users.info")) - info_mark
    return lists, infos, len(set(rig.conversations_for(emails)))


def _named(counts: Counter[str]) -> str:
    return ", ".join(f"{name} x{count}" for name, count in sorted(counts.items())) or "none"
