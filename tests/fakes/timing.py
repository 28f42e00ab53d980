"""Time and waiting helpers shared by the fakes: an advanceable clock, interruptible pauses and a
condition-guarded state that waiters can block on with a deadline (no bare sleep loops)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_WAIT_SLICE = 0.05


class OffsetClock:
    """A monotonic clock that tests can move forward with `advance(seconds)`."""

    def __init__(self, base: Callable[[], float] = time.monotonic) -> None:
        self._base = base
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._base() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._offset += seconds


class Pauses:
    """Server-side delays that `release()` cuts short and `close()` disables for good."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0
        self._closed = False

    def sleep(self, seconds: float) -> bool:
        """Wait up to `seconds`; False when the wait was released or the fake is closing."""
        deadline = time.monotonic() + seconds
        with self._condition:
            generation = self._generation
            while not self._closed and generation == self._generation:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return True
                self._condition.wait(remaining)
            return False

    def release(self) -> None:
        with self._condition:
            self._generation += 1
            self._condition.notify_all()

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._generation += 1
            self._condition.notify_all()

    def reopen(self) -> None:
        with self._condition:
            self._closed = False


class SharedState:
    """A re-entrant lock plus a condition: mutate under `changing()`, block with `wait_for`."""

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.RLock())

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            yield

    @contextmanager
    def changing(self) -> Iterator[None]:
        with self._condition:
            yield
            self._condition.notify_all()

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Return the first truthy value of `predicate()`; raise TimeoutError at the deadline."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {timeout} s")
                self._condition.wait(min(remaining, _WAIT_SLICE))
