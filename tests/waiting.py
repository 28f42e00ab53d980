"""Polling with a deadline, for tests that wait on another thread (never a bare sleep)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def poll_until(condition: Callable[[], bool], timeout: float = 5.0, poll: float = 0.005) -> bool:
    """Poll `condition()` until it is true (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() >= deadline:
            return False
        pause.wait(poll)
    return True


def wait_until(condition: Callable[[], bool], timeout: float = 5.0, poll: float = 0.005) -> None:
    """Return once `condition()` is true; fail the test if it is still false after `timeout`."""
    assert poll_until(condition, timeout, poll), f"condition not met within {timeout} s"
