"""Measurement 5: process start to ready (GET /healthz answers 200) in HTTP mode."""

from __future__ import annotations

import statistics

from bench.report import Section
from bench.rig import Rig

RUNS = 5


def run(rig: Rig) -> tuple[Section, float]:
    ours = [_time_to_healthy(rig, bare=False) for _ in range(RUNS)]
    bare = [_time_to_healthy(rig, bare=True) for _ in range(RUNS)]
    rows = tuple(
        (name, f"{statistics.median(times):.2f} s", f"{min(times):.2f} s", f"{max(times):.2f} s")
        for name, times in (("drift-open (python app.py)", ours), ("bare Bolt app", bare))
    )
    section = Section(
        title="5. Start-up in HTTP mode",
        headers=("app", f"median of {RUNS}", "min", "max"),
        rows=rows,
        notes=(
            "From spawning the Python process to the first 200 from /healthz (polled every "
            "20 ms): imports, settings, auth.test against the fake Slack, SQLite schema, "
            "waitress listening. No goal was set; the bare Bolt app is shown for scale.",
        ),
    )
    return section, statistics.median(ours)


def _time_to_healthy(rig: Rig, *, bare: bool) -> float:
    process = rig.bare_app() if bare else rig.real_app()
    try:
        return process.wait_until_healthy()
    finally:
        process.stop()
