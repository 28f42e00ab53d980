"""Polling with a deadline, for tests that wait on another thread (never a bare sleep)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], timeout: float = 5.0, poll: float = 0.005) -> None:
    """Return once `condition()` is true; fail the test if it is still false after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"condition not met within {timeout} s"
        threading.Event().wait(poll)
