"""Slack's 429 retries, bounded: wait out a short Retry-After, give up at once on a long one."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

DEFAULT_MAX_WAIT_SECONDS = 10.0


def retry_after_seconds(response: HttpResponse) -> float | None:
    """The Retry-After header in seconds, or None when absent or not a number."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return float(values[0])
            except ValueError:
                return None
    return None


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's handler sleeps for whatever Retry-After says (100 s, once seen); a job must
    stay within one overall deadline, so a longer wait becomes the error it is instead."""

    def __init__(
        self, max_retry_count: int = 1, *, max_wait: float = DEFAULT_MAX_WAIT_SECONDS
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after_seconds(response)
        return wait is None or wait <= self.max_wait
