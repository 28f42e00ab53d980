"""The load generator's pacing (the load itself only runs under `make bench`)."""

from __future__ import annotations

import pytest

from bench.load import Schedule, send_all
from tests.fakes.signing import SignedRequest


class SteppingClock:
    """Reads `now`; a pause moves it forward by exactly the time asked for."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def test_a_closed_loop_never_waits() -> None:
    clock = SteppingClock(100.0)
    schedule = Schedule(None, clock=clock, pause=clock.pause)
    schedule.start()
    assert [schedule.wait_for_turn(index) for index in range(3)] == [0.0, 0.0, 0.0]
    assert clock.pauses == []


def test_a_paced_request_waits_until_it_is_due() -> None:
    clock = SteppingClock(100.0)
    schedule = Schedule(10, clock=clock, pause=clock.pause)
    schedule.start()
    clock.now = 100.2
    assert schedule.wait_for_turn(5) == 0.0
    assert clock.pauses == [pytest.approx(0.3)]
    assert clock.now == pytest.approx(100.5)


def test_a_request_sent_late_reports_its_lateness() -> None:
    clock = SteppingClock(100.0)
    schedule = Schedule(10, clock=clock, pause=clock.pause)
    schedule.start()
    clock.now = 101.0
    assert schedule.wait_for_turn(5) == pytest.approx(0.5)
    assert clock.pauses == []


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        send_all("http://127.0.0.1:9", lambda _index: SignedRequest("", {}), 1, rate=0)
