"""ShortRateLimitRetryHandler: a 429 is retried only when Retry-After is short."""

from __future__ import annotations

import pytest
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from runtime.slack_retry import ShortRateLimitRetryHandler

REQUEST = HttpRequest(method="POST", url="http://127.0.0.1/api/chat.postMessage", headers={})


@pytest.mark.parametrize(
    ("status", "headers", "retried"),
    [
        (429, {"Retry-After": "1"}, True),
        (429, {"retry-after": "10"}, True),
        (429, {"Retry-After": "11"}, False),
        (429, {"Retry-After": "100"}, False),
        (429, {}, True),
        (429, {"Retry-After": "soon"}, True),
        (500, {"Retry-After": "1"}, False),
        (200, {}, False),
    ],
)
def test_only_short_waits_are_retried(status: int, headers: dict[str, str], retried: bool) -> None:
    handler = ShortRateLimitRetryHandler(max_retry_count=2)
    response = HttpResponse(status_code=status, headers=headers)
    assert handler.can_retry(state=RetryState(), request=REQUEST, response=response) is retried


def test_the_retry_count_still_applies() -> None:
    handler = ShortRateLimitRetryHandler(max_retry_count=1)
    state = RetryState()
    state.increment_current_attempt()
    response = HttpResponse(status_code=429, headers={"Retry-After": "1"})
    assert handler.can_retry(state=state, request=REQUEST, response=response) is False
