"""DriftRetry: urllib3's Retry for every Drift call, plus the three things urllib3 does not do.

urllib3 does, as configured here: connect errors (refused, DNS, connect timeout, and the TLS
handshake failure of `drift/transport.py`) are retried for every method, POST included, since
the request never left; read errors and 5xx are retried for GET only (`allowed_methods`); other
errors are not retried (`other=0`); backoff is exponential, jittered and capped.

Hand-written, and why:
- a 429 is retried for POST too (Drift did not process it): urllib3 ties status retries to
  `allowed_methods`, and allowing POST there would also retry a POST after a read error, which
  may have created a conversation;
- a Retry-After beyond `retry_after_cap` is not waited for (urllib3 sleeps whatever it says);
  the 429 then reaches the caller as `DriftRateLimitError`;
- a 429 without Retry-After waits at least `RATE_LIMIT_FLOOR_SECONDS` (urllib3's first backoff
  is zero, and an immediate retry would only meet the same limit);
- sleeping goes through an injected function (tests), and each retry is logged at INFO.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from drift.error_mapping import parse_retry_after

logger = logging.getLogger(__name__)

BACKOFF_JITTER = 0.25
RATE_LIMITED = 429
RATE_LIMIT_FLOOR_SECONDS = 1.0
RETRY_STATUSES = frozenset({RATE_LIMITED, 500, 502, 503, 504})


def retry_policy(
    *,
    retries: int,
    backoff_factor: float,
    retry_after_cap: float,
    sleep: Callable[[float], None] = time.sleep,
) -> DriftRetry:
    """Up to `retries` retries of a call; the final status is left for `error_from_response`."""
    return DriftRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff_factor,
        backoff_max=retry_after_cap,
        backoff_jitter=BACKOFF_JITTER,
        respect_retry_after_header=True,
        raise_on_status=False,
        sleep=sleep,
        retry_after_cap=retry_after_cap,
    )


class DriftRetry(Retry):
    """urllib3 Retry that also retries a 429 on POST, caps Retry-After and sleeps as injected."""

    def __init__(
        self,
        *args: Any,
        sleep: Callable[[float], None] = time.sleep,
        retry_after_cap: float = 10.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sleep_function = sleep
        self.retry_after_cap = retry_after_cap

    def new(self, **kw: Any) -> Self:
        kw.setdefault("sleep", self.sleep_function)
        kw.setdefault("retry_after_cap", self.retry_after_cap)
        return super().new(**kw)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code == RATE_LIMITED and RATE_LIMITED in (self.status_forcelist or ()):
            return True  # for any method: Drift did not process a rate-limited call
        return super().is_retry(method, status_code, has_retry_after)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        if response is not None and error is None:
            wait = self._retry_after(response)
            if wait is not None and wait > self.retry_after_cap:
                raise MaxRetryError(_pool, url, ResponseError(f"Retry-After {wait:g}s over cap"))
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        cause = type(error).__name__ if error else f"HTTP {getattr(response, 'status', '?')}"
        logger.info("Retrying Drift %s %s after %s", method, url, cause)
        return retry

    def sleep(self, response: Any = None) -> None:
        wait = None
        if self.respect_retry_after_header and response is not None:
            wait = self._retry_after(response)
        if wait is None:
            wait = self.get_backoff_time()
            if response is not None and response.status == RATE_LIMITED:
                wait = max(wait, RATE_LIMIT_FLOOR_SECONDS)
        if wait > 0:
            self.sleep_function(wait)

    @staticmethod
    def _retry_after(response: Any) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"))
