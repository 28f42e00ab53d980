"""drift/retry.py: urllib3 retries connect errors for every method, the rest for GET only, and a
429 for POST too, within a Retry-After cap."""

from __future__ import annotations

import pytest
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.response import HTTPResponse

from drift.retry import RETRY_STATUSES, DriftRetry, retry_policy
from drift.transport import TLSHandshakeError


def policy(**overrides: object) -> DriftRetry:
    options: dict[str, object] = {
        "retries": 3,
        "backoff_factor": 0.5,
        "retry_after_cap": 10,
        "sleep": lambda _: None,
    }
    options.update(overrides)
    return retry_policy(**options)  # type: ignore[arg-type]


NEVER_SENT = [
    NewConnectionError(None, "refused"),
    NameResolutionError("driftapi.test", None, OSError("Name or service not known")),
    ConnectTimeoutError("connect timed out"),
    TLSHandshakeError(None, "TLS handshake failed"),
]
MAYBE_SENT = [
    ProtocolError("Connection aborted."),
    ReadTimeoutError(None, "/x", "Read timed out."),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH"])
@pytest.mark.parametrize("error", NEVER_SENT, ids=lambda error: type(error).__name__)
def test_an_error_before_sending_is_retried_for_every_method(method: str, error: Exception) -> None:
    assert policy().increment(method, "/x", error=error).total == 2


@pytest.mark.parametrize("error", MAYBE_SENT, ids=lambda error: type(error).__name__)
def test_an_error_after_sending_is_retried_for_get_only(error: Exception) -> None:
    assert policy().increment("GET", "/x", error=error).total == 2
    with pytest.raises(type(error)):
        policy().increment("POST", "/x", error=error)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_tls_failure_after_the_handshake_is_never_retried(method: str) -> None:
    with pytest.raises(MaxRetryError):
        policy().increment(method, "/x", error=SSLError("bad record mac"))


@pytest.mark.parametrize(
    ("method", "status", "retried"),
    [
        ("GET", 429, True),
        ("POST", 429, True),
        ("GET", 503, True),
        ("POST", 503, False),
        ("POST", 500, False),
        ("GET", 404, False),
        ("POST", 400, False),
    ],
)
def test_statuses_retried(method: str, status: int, retried: bool) -> None:
    assert {429, 500, 502, 503, 504} == RETRY_STATUSES
    assert policy().is_retry(method, status) is retried


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("retry_after", "retried"), [("5", True), ("10", True), ("11", False)])
def test_a_retry_after_past_the_cap_is_not_waited_for(
    method: str, retry_after: str, retried: bool
) -> None:
    response = HTTPResponse(status=429, headers={"Retry-After": retry_after})

    if retried:
        retry = policy().increment(method, "/x", response=response)
        assert [entry.status for entry in retry.history] == [429]
        assert retry.retry_after_cap == 10
    else:
        with pytest.raises(MaxRetryError):
            policy().increment(method, "/x", response=response)


def test_waits_go_through_the_injected_sleep() -> None:
    waits: list[float] = []
    retry = policy(sleep=waits.append, retries=2)
    assert retry.raise_on_status is False

    retry.sleep(HTTPResponse(status=429, headers={"Retry-After": "3"}))
    retry.increment("GET", "/x", error=NEVER_SENT[0]).sleep()  # urllib3: no wait at first
    retry.increment("GET", "/x", error=NEVER_SENT[0]).increment(
        "GET", "/x", error=NEVER_SENT[0]
    ).sleep()

    assert waits[0] == 3.0
    assert len(waits) == 2 and 1.0 <= waits[1] <= 1.25


@pytest.mark.parametrize(("status", "waits"), [(429, [1.0]), (503, [])])
def test_a_429_without_retry_after_waits_at_least_a_second(status: int, waits: list) -> None:
    slept: list[float] = []
    policy(sleep=slept.append).sleep(HTTPResponse(status=status))
    assert slept == waits
