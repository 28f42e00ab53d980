"""drift/retry.py: GETs are retried with a Retry-After cap; nothing else is ever retried."""

from __future__ import annotations

import pytest
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError
from urllib3.response import HTTPResponse

from drift.retry import RETRY_STATUSES, GetOnlyRetry, get_retry_policy


@pytest.mark.parametrize(
    ("method", "error", "retried"),
    [
        ("GET", NewConnectionError(None, "refused"), True),
        ("POST", NewConnectionError(None, "refused"), False),
        ("GET", ProtocolError("aborted"), True),
        ("POST", ProtocolError("aborted"), False),
        ("PATCH", NewConnectionError(None, "refused"), False),
    ],
)
def test_get_only_retry_refuses_other_methods(method: str, error: Exception, retried: bool) -> None:
    policy = GetOnlyRetry(total=3, allowed_methods=frozenset({"GET"}))

    if retried:
        assert policy.increment(method, "/x", error=error).total == 2
    else:
        with pytest.raises((MaxRetryError, ProtocolError)):
            policy.increment(method, "/x", error=error)


@pytest.mark.parametrize(("retry_after", "retried"), [("5", True), ("11", False)])
def test_get_only_retry_caps_retry_after(retry_after: str, retried: bool) -> None:
    policy = GetOnlyRetry(
        total=3, allowed_methods=frozenset({"GET"}), status_forcelist={429}, retry_after_cap=10
    )
    response = HTTPResponse(status=429, headers={"Retry-After": retry_after})

    if retried:
        retry = policy.increment("GET", "/x", response=response)
        assert [entry.status for entry in retry.history] == [429]
        assert retry.retry_after_cap == 10
    else:
        with pytest.raises(MaxRetryError):
            policy.increment("GET", "/x", response=response)


def test_the_policy_retries_gets_on_server_errors_and_rate_limits_only() -> None:
    waits: list[float] = []
    policy = get_retry_policy(retries=2, backoff_factor=0.5, retry_after_cap=10, sleep=waits.append)
    assert {429, 500, 502, 503, 504} == RETRY_STATUSES
    assert policy.is_retry("GET", 503)
    assert not policy.is_retry("GET", 404)
    assert not policy.is_retry("POST", 503)
    assert policy.raise_on_status is False
    policy.sleep(HTTPResponse(status=429, headers={"Retry-After": "3"}))
    assert waits == [3.0]
