"""Tests for caching/loading.py: one load per key however many threads miss, shared failures."""

from __future__ import annotations

import threading

import pytest
from cachetools import TTLCache

from caching.loading import LoadingCache
from tests.caching.waiters import CountedFuture, count_waiters
from tests.clock import FakeClock
from tests.waiting import wait_until

WAIT = 10.0


class Loader:
    """Counts loads; each load blocks until the test opens `gate`, then returns or raises."""

    def __init__(self, result: object = "value", failure: Exception | None = None) -> None:
        self.result = result
        self.failure = failure
        self.gate = threading.Event()
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> object:
        with self._lock:
            self.calls += 1
        assert self.gate.wait(WAIT), "the test never opened the gate"
        if self.failure is not None:
            raise self.failure
        return self.result


@pytest.fixture(autouse=True)
def waiters(monkeypatch: pytest.MonkeyPatch) -> type[CountedFuture]:
    return count_waiters(monkeypatch)


def together(cache: LoadingCache[str, object], load: Loader, threads: int) -> list:
    """`threads` concurrent gets of one key, released once all but the loader wait for it."""
    results: list[object] = [None] * threads
    started = threading.Barrier(threads + 1)

    def get(index: int) -> None:
        started.wait(WAIT)
        try:
            results[index] = cache.get("key", load)
        except Exception as exc:
            results[index] = exc

    workers = [threading.Thread(target=get, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    started.wait(WAIT)
    wait_until(lambda: load.calls == 1 and CountedFuture.waiting == threads - 1, WAIT)
    load.gate.set()
    for worker in workers:
        worker.join(WAIT)
    assert not any(worker.is_alive() for worker in workers)
    return results


@pytest.fixture
def cache(clock: FakeClock) -> LoadingCache[str, object]:
    return LoadingCache(TTLCache(maxsize=8, ttl=60, timer=clock))


def test_many_threads_missing_one_key_share_one_load(cache) -> None:
    load = Loader()

    assert together(cache, load, threads=20) == ["value"] * 20
    assert load.calls == 1


def test_a_failed_load_reaches_every_waiter_once_and_is_not_cached(cache) -> None:
    failure = ConnectionError("down")
    load = Loader(failure=failure)

    assert together(cache, load, threads=20) == [failure] * 20
    assert load.calls == 1
    assert cache.get("key", lambda: "later") == "later"


def test_values_live_for_the_ttl_of_the_injected_clock(cache, clock: FakeClock) -> None:
    assert cache.get("key", lambda: "first") == "first"
    clock.advance(59)
    assert cache.get("key", lambda: "second") == "first"
    clock.advance(2)
    assert cache.get("key", lambda: "second") == "second"


def test_none_is_a_value_like_any_other(cache) -> None:
    loads: list[int] = []

    def load() -> None:
        loads.append(1)

    assert cache.get("key", load) is None
    assert cache.get("key", load) is None
    assert loads == [1]


def test_keys_load_independently(cache) -> None:
    assert [cache.get(key, lambda key=key: key.upper()) for key in "ab"] == ["A", "B"]
