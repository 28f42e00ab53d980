"""The retry policy for Drift reads: urllib3's Retry, restricted to GET, with a Retry-After cap.

POST has no idempotency key at Drift, so this policy never retries it (DriftClient decides about
POST itself); GETs are retried on connect/read errors, 429 and 5xx with capped, jittered backoff.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from drift.errors import parse_retry_after

logger = logging.getLogger(__name__)

BACKOFF_JITTER = 0.25
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def get_retry_policy(
    *,
    retries: int,
    backoff_factor: float,
    retry_after_cap: float,
    sleep: Callable[[float], None] = time.sleep,
) -> GetOnlyRetry:
    """Up to `retries` retries of a GET; the final status is left for `error_from_response`."""
    return GetOnlyRetry(
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


class GetOnlyRetry(Retry):
    """urllib3 Retry that retries GET only, caps Retry-After and sleeps via an injected function.

    Plain urllib3 retries connect errors for every method; here any other method fails on its
    first error, so POST retries stay under DriftClient's exactly-once rules.
    """

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

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        if not self._may_retry(method):
            # A zero-retry policy raises on the spot, exactly as if no retries were configured.
            Retry(0, read=False).increment(method, url, response, error, _pool, _stacktrace)
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
        if wait > 0:
            self.sleep_function(wait)

    def _may_retry(self, method: str | None) -> bool:
        allowed = self.allowed_methods
        return method is not None and (allowed is None or method.upper() in allowed)

    @staticmethod
    def _retry_after(response: Any) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"))
