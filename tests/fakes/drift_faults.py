"""Injectable faults for FakeDrift: one queue, applied in registration order, one fault per call.

A fault with `path=None` matches every call; otherwise the request path must be equal.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum
from typing import Any


class FaultKind(Enum):
    STATUS = "status"  # answer with a status instead of processing
    DROP = "drop"  # close the socket before processing
    DROP_AFTER = "drop_after"  # process (e.g. create the conversation), then close the socket
    LATE = "late"  # process, then answer after `seconds`


@dataclass
class Fault:
    kind: FaultKind
    remaining: int
    path: str | None = None
    status: int = 500
    retry_after: float | None = None
    body: Any = None
    seconds: float = 0.0

    def matches(self, path: str) -> bool:
        return self.remaining > 0 and (self.path is None or self.path == path)


class FaultQueue:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._latency: dict[str | None, float] = {}

    def add(self, fault: Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.append(fault)

    def take(self, path: str) -> Fault | None:
        """The first pending fault for `path`, counted as used."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
            return None

    def set_latency(self, seconds: float, path: str | None) -> None:
        with self._lock:
            if seconds > 0:
                self._latency[path] = seconds
            else:
                self._latency.pop(path, None)

    def latency(self, path: str) -> float:
        with self._lock:
            return self._latency.get(path, self._latency.get(None, 0.0))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._latency.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(fault.remaining for fault in self._faults)
