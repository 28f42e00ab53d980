"""The crash run, small: kill -9 during a burst with Drift faults and a slow-header flood, and
nothing is duplicated, silent, contradictory or lost."""

from __future__ import annotations

import pytest

from bench.crash_run import run_crash_run

pytestmark = pytest.mark.e2e


def test_a_small_crash_run_keeps_every_promise() -> None:
    figures, facts = run_crash_run(submissions=40, kills=1, seed=5)
    assert figures.acked > 20
    assert figures.duplicates == 0
    assert figures.told_nothing == 0, figures.silent
    assert figures.contradictory == 0
    assert figures.lost == 0
    assert [name for name, _, _ in facts["episodes"]].count("kill -9 and restart") == 1
