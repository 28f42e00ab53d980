"""FakeClock: the one settable clock tests inject wherever the product takes a clock or timer."""

from __future__ import annotations

START = 1_750_000_000.0


class FakeClock:
    """A clock (wall or monotonic alike) that only moves when a test advances it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
