"""LoadingCache: a locked cachetools cache whose missing keys are loaded once, however many ask.

Bolt runs listeners on threads. The lock is held only to read or write the cache, never during
the load; threads that miss the same key together share one load (single flight). When that
load raises, every thread that waited for it gets the same exception and nothing is cached, so
the next call starts a fresh load.

Hand-written on purpose: cachetools' `cached(..., condition=...)` also loads once per key, but
after a failed load each waiter tries again in turn, so ten submissions waiting on an
unreachable Drift would wait for ten failures instead of one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, MutableMapping
from concurrent.futures import Future
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING = object()


class LoadingCache(Generic[K, V]):
    """`get(key, load)`: the cached value, else the result of one shared `load()`."""

    def __init__(self, cache: MutableMapping[K, V]) -> None:
        self._cache = cache
        self._lock = threading.Lock()
        self._loading: dict[K, Future[V]] = {}

    def peek(self, key: K) -> V | None:
        """The cached value, or None; never loads."""
        with self._lock:
            cached = self._cache.get(key, _MISSING)
        return None if cached is _MISSING else cached  # type: ignore[return-value]

    def get(self, key: K, load: Callable[[], V]) -> V:
        with self._lock:
            cached = self._cache.get(key, _MISSING)
            if cached is not _MISSING:
                return cached  # type: ignore[return-value]
            flight = self._loading.get(key)
            leader = flight is None
            if flight is None:
                flight = self._loading[key] = Future()
        if not leader:
            return flight.result()
        try:
            value = load()
        except BaseException as exc:
            with self._lock:
                del self._loading[key]
            flight.set_exception(exc)
            raise
        with self._lock:
            self._cache[key] = value
            del self._loading[key]
        flight.set_result(value)
        return value
