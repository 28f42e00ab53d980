"""CountedFuture: counts the threads waiting on a LoadingCache load, for single-flight tests.

The tests release the load only once every waiter is parked on it.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest


class CountedFuture(Future[object]):
    """A Future that counts the calls to `result()` (one per waiting thread)."""

    waiting = 0
    lock = threading.Lock()

    def result(self, timeout: float | None = None) -> object:
        with CountedFuture.lock:
            CountedFuture.waiting += 1
        return super().result(timeout)


def count_waiters(monkeypatch: pytest.MonkeyPatch) -> type[CountedFuture]:
    """Make LoadingCache hand out CountedFutures for the rest of the test; returns the class."""
    CountedFuture.waiting = 0
    monkeypatch.setattr("caching.loading.Future", CountedFuture)
    return CountedFuture
