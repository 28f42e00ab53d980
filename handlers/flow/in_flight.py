"""The submissions this process is working on, kept alive in the store while it lives."""

from __future__ import annotations

import threading

from storage.protocol import Store


class InFlight:
    """Keys this process claimed and has not finished; `keep_alive` touches them in the store.

    Only liveness lives here: if the process dies the set dies with it and the rows go stale,
    which is exactly how another process (or the next start) learns that they were abandoned.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._emptied = threading.Condition(self._lock)
        self._keys: set[str] = set()

    def hold(self, key: str) -> None:
        with self._lock:
            self._keys.add(key)

    def release(self, key: str) -> None:
        with self._lock:
            self._keys.discard(key)
            if not self._keys:
                self._emptied.notify_all()

    def wait_empty(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False if something still is after `timeout`."""
        with self._lock:
            return self._emptied.wait_for(lambda: not self._keys, max(0.0, timeout))

    def keys(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._keys)

    def keep_alive(self, store: Store) -> None:
        keys = self.keys()
        if keys:
            store.touch(keys)
