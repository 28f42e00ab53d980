"""What the fault run submits: the faults FakeDrift can inject, the run's settings, the plan.

`FAULTS` names each answer FakeDrift gives `POST /conversations/new` and how to inject it;
`plan_submissions(config)` deals one fault to each submission from a shuffled deck weighted by
`FAULTS`, seeded, so the same config gives the same plan. bench/fault_run.py carries it out.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tests.fakes.drift_api import FakeDrift

CREATE_PATH = "/conversations/new"


@dataclass(frozen=True)
class FaultSpec:
    """One kind of answer FakeDrift gives a `POST /conversations/new`, and how it is injected."""

    name: str
    weight: int
    injected_as: str
    inject: Callable[[FakeDrift, float], None]


def _inject_nothing(drift: FakeDrift, read_timeout: float) -> None:
    """No fault: Drift answers 200."""


FAULTS: tuple[FaultSpec, ...] = (
    FaultSpec("none", 4, "no fault, 200", _inject_nothing),
    FaultSpec("500", 1, "fail_next(500)", lambda d, t: d.fail_next(500, path=CREATE_PATH)),
    FaultSpec("502", 1, "fail_next(502)", lambda d, t: d.fail_next(502, path=CREATE_PATH)),
    FaultSpec("503", 1, "fail_next(503)", lambda d, t: d.fail_next(503, path=CREATE_PATH)),
    FaultSpec(
        "429 Retry-After 1",
        1,
        "fail_next(429, retry_after=1)",
        lambda d, t: d.fail_next(429, path=CREATE_PATH, retry_after=1),
    ),
    FaultSpec(
        "429 no Retry-After",
        1,
        "fail_next(429)",
        lambda d, t: d.fail_next(429, path=CREATE_PATH),
    ),
    FaultSpec(
        "429 Retry-After 60 (over the cap)",
        1,
        "fail_next(429, retry_after=60)",
        lambda d, t: d.fail_next(429, path=CREATE_PATH, retry_after=60),
    ),
    FaultSpec(
        "dropped before processing",
        1,
        "drop_next()",
        lambda d, t: d.drop_next(path=CREATE_PATH),
    ),
    FaultSpec(
        "dropped after processing",
        1,
        "drop_next(after_processing=True)",
        lambda d, t: d.drop_next(path=CREATE_PATH, after_processing=True),
    ),
    FaultSpec(
        "late answer (past the read timeout)",
        1,
        "delay_response_next(read timeout + 1 s)",
        lambda d, t: d.delay_response_next(t + 1.0, path=CREATE_PATH),
    ),
)
FAULTS_BY_NAME = {spec.name: spec for spec in FAULTS}


@dataclass(frozen=True)
class FaultRunConfig:
    submissions: int = 200
    seed: int = 4
    batch: int = 1
    double_share: float = 0.1
    close_share: float = 0.15
    reopen_sample: int = 25
    drift_read_timeout: float = 1.0
    progress: bool = False


@dataclass(frozen=True)
class PlannedSubmission:
    index: int
    email: str
    text: str
    fault: str
    double: bool
    close_modal: bool


def plan_submissions(config: FaultRunConfig) -> list[PlannedSubmission]:
    """A shuffled deck holding every fault in proportion to its weight; seeded, so repeatable."""
    rng = random.Random(config.seed)
    deck = [spec.name for spec in FAULTS for _ in range(spec.weight)]
    faults = [deck[index % len(deck)] for index in range(config.submissions)]
    rng.shuffle(faults)
    return [
        PlannedSubmission(
            index=index,
            email=f"contact{index:04d}@example.com",
            text=f"Fault run submission {index}: following up on the demo.",
            fault=fault,
            double=rng.random() < config.double_share,
            close_modal=rng.random() < config.close_share,
        )
        for index, fault in enumerate(faults)
    ]
