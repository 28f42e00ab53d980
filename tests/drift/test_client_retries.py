"""Tests for drift/client.py's retries, which urllib3 does: GETs on errors, 5xx and 429; POSTs
only when they never reached Drift (real sockets) or on a 429 within the Retry-After cap."""

from __future__ import annotations

import logging
from http.client import RemoteDisconnected

import pytest
import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from drift.client import DriftClient
from drift.errors import (
    DriftConnectionError,
    DriftDroppedError,
    DriftProtocolError,
    DriftRateLimitError,
    DriftServerError,
    DriftTimeoutError,
)
from tests.drift.conftest import (
    CONVERSATION,
    EXPECTED_CONVERSATION,
    NEW_URL,
    SERVER_WAIT,
    TOKEN,
    USERS_URL,
    LoopbackDrift,
    Reply,
    create,
)
from tests.waiting import wait_until


def test_get_retries_a_500_then_succeeds(mocked, client, make_user) -> None:
    mocked.get(USERS_URL, status=500)
    mocked.get(USERS_URL, json={"data": [make_user(1)]})

    assert [user.id for user in client.list_users()] == [1]
    assert len(mocked.calls) == 2


def test_get_maps_the_final_status_after_retries_run_out(mocked, client) -> None:
    for _ in range(4):
        mocked.get(USERS_URL, status=503, json={"error": {"type": "internal_error"}})

    with pytest.raises(DriftServerError) as caught:
        client.list_users()

    assert (caught.value.status_code, caught.value.ambiguous) == (503, False)
    assert len(mocked.calls) == 4


def test_get_does_not_wait_for_a_retry_after_past_the_cap(mocked, client) -> None:
    mocked.get(USERS_URL, status=429, headers={"Retry-After": "60"})

    with pytest.raises(DriftRateLimitError) as caught:
        client.list_users()

    assert caught.value.retry_after == 60.0
    assert len(mocked.calls) == 1


def test_get_sleeps_through_the_injected_function_on_a_real_socket(loopback, sleeps) -> None:
    loopback.script.extend(
        [
            Reply(status=429, headers={"Retry-After": "2"}),
            Reply(status=503),
            Reply(status=503),
            Reply(body={"data": []}),
        ]
    )
    with DriftClient(loopback.base_url, TOKEN, sleep=sleeps, backoff_factor=0.5) as client:
        assert client.list_users() == []

    assert len(loopback.requests) == 4
    retry_after, first_backoff, second_backoff = sleeps.calls
    assert retry_after == 2.0
    assert 1.0 <= first_backoff <= 1.25
    assert 2.0 <= second_backoff <= 2.25


def test_post_is_never_retried_on_a_server_error(mocked, client, sleeps) -> None:
    mocked.post(NEW_URL, status=500, json={"error": {"type": "internal_error"}})

    with pytest.raises(DriftServerError) as caught:
        create(client)

    assert caught.value.ambiguous is True
    assert len(mocked.calls) == 1
    assert sleeps.calls == []


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (requests.ReadTimeout(ReadTimeoutError(None, "/", "timed out")), DriftTimeoutError),
        (
            requests.ConnectionError(ProtocolError("aborted", RemoteDisconnected("closed"))),
            DriftDroppedError,
        ),
        (requests.exceptions.ChunkedEncodingError(ProtocolError("ended")), DriftDroppedError),
    ],
)
def test_post_is_never_retried_after_an_ambiguous_failure(
    mocked, client, sleeps, failure, expected
) -> None:
    mocked.post(NEW_URL, body=failure)

    with pytest.raises(expected) as caught:
        create(client)

    assert caught.value.ambiguous is True
    assert caught.value.__cause__ is failure
    assert len(mocked.calls) == 1
    assert sleeps.calls == []


def test_post_with_an_unreadable_200_is_ambiguous(mocked, client) -> None:
    mocked.post(NEW_URL, body="<html>ok</html>")

    with pytest.raises(DriftProtocolError) as caught:
        create(client)

    assert caught.value.ambiguous is True
    assert isinstance(caught.value.__cause__, ValueError)


def test_post_is_retried_until_drift_listens(closed_port_url, caplog) -> None:
    """Refused twice (urllib3 retries at once, then after its backoff), then Drift is up."""
    caplog.set_level(logging.INFO, logger="drift.retry")
    port = int(closed_port_url.rsplit(":", 1)[1])
    late: list[LoopbackDrift] = []
    waits: list[float] = []

    def start_drift_while_waiting(seconds: float) -> None:
        waits.append(seconds)
        if not late:
            late.append(LoopbackDrift(port=port))
            late[0].script.append(Reply(body=CONVERSATION))
            late[0].start()

    try:
        with DriftClient(closed_port_url, TOKEN, sleep=start_drift_while_waiting) as client:
            assert create(client) == EXPECTED_CONVERSATION
    finally:
        for server in late:
            server.stop()

    assert late[0].requests == [("POST", "/conversations/new")]
    assert len(waits) == 1 and 1.0 <= waits[0] <= 1.25
    retried = [r for r in caplog.records if r.name == "drift.retry"]
    assert [r.getMessage().split(" after ")[1] for r in retried] == ["NewConnectionError"] * 2
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(("retries", "waits"), [(3, 2), (1, 0)])
def test_post_to_a_closed_port_gives_up_after_its_retries(
    closed_port_url, sleeps, retries, waits
) -> None:
    with (
        DriftClient(closed_port_url, TOKEN, sleep=sleeps, retries=retries) as client,
        pytest.raises(DriftConnectionError) as caught,
    ):
        create(client)

    assert caught.value.ambiguous is False
    assert isinstance(caught.value.__cause__, requests.ConnectionError)
    assert len(sleeps.calls) == waits


def test_a_failed_tls_handshake_is_retried_and_tells_nothing_was_sent(loopback, sleeps) -> None:
    """https:// to a plain-HTTP port: the handshake fails before any request is written."""
    tls_url = loopback.base_url.replace("http://", "https://")
    with (
        DriftClient(tls_url, TOKEN, sleep=sleeps, retries=2) as client,
        pytest.raises(DriftConnectionError) as caught,
    ):
        create(client)

    assert caught.value.ambiguous is False
    assert isinstance(caught.value.__cause__, requests.exceptions.SSLError)
    assert len(sleeps.calls) == 1  # three handshakes: urllib3 waits before the third only
    assert loopback.requests == []


def test_post_read_timeout_on_a_real_socket_is_ambiguous(loopback, sleeps) -> None:
    loopback.script.append(Reply(body=CONVERSATION, before=lambda: loopback.release.wait(5)))
    with (
        DriftClient(loopback.base_url, TOKEN, timeout=(1.0, 0.2), sleep=sleeps) as client,
        pytest.raises(DriftTimeoutError) as caught,
    ):
        create(client)

    assert caught.value.ambiguous is True
    assert isinstance(caught.value.__cause__, requests.ReadTimeout)
    wait_until(lambda: len(loopback.requests) >= 1, timeout=SERVER_WAIT)
    assert loopback.requests == [("POST", "/conversations/new")]
    assert sleeps.calls == []


@pytest.mark.parametrize(("method", "attempts"), [("POST", 1), ("GET", 2)])
def test_a_connection_dropped_after_sending_is_retried_for_get_only(
    loopback, sleeps, method, attempts
) -> None:
    loopback.script.extend([Reply(drop=True), Reply(body={"data": CONVERSATION})])
    with DriftClient(loopback.base_url, TOKEN, sleep=sleeps) as client:
        if method == "POST":
            with pytest.raises(DriftDroppedError) as caught:
                create(client)
            assert caught.value.ambiguous is True
        else:
            client.get_conversation(46)

    assert [request[0] for request in loopback.requests] == [method] * attempts


@pytest.mark.parametrize(
    ("headers", "waits"),
    [({"Retry-After": "3"}, [3.0]), ({"Retry-After": "0"}, []), ({}, [1.0])],
)
def test_post_429_within_the_cap_is_retried(loopback, sleeps, headers, waits) -> None:
    loopback.script.extend([Reply(status=429, headers=headers), Reply(body={"data": CONVERSATION})])
    with DriftClient(loopback.base_url, TOKEN, sleep=sleeps) as client:
        assert create(client) == EXPECTED_CONVERSATION

    assert sleeps.calls == waits
    assert loopback.requests == [("POST", "/conversations/new")] * 2


def test_post_429_past_the_cap_raises_without_sleeping(loopback, sleeps) -> None:
    loopback.script.append(Reply(status=429, headers={"Retry-After": "30"}))
    with (
        DriftClient(loopback.base_url, TOKEN, sleep=sleeps) as client,
        pytest.raises(DriftRateLimitError) as caught,
    ):
        create(client)

    assert (caught.value.retry_after, caught.value.ambiguous) == (30.0, False)
    assert sleeps.calls == []
    assert len(loopback.requests) == 1


def test_post_429_default_backoff_stops_at_the_cap(loopback, sleeps) -> None:
    loopback.default = Reply(status=429)
    with (
        DriftClient(loopback.base_url, TOKEN, rate_limit_cap=1.5, sleep=sleeps) as client,
        pytest.raises(DriftRateLimitError),
    ):
        create(client)

    assert sleeps.calls[0] == 1.0
    assert all(1.0 <= wait <= 1.5 for wait in sleeps.calls)
    assert len(loopback.requests) == 4


def test_post_429_retries_are_bounded(loopback, sleeps) -> None:
    loopback.default = Reply(status=429, headers={"Retry-After": "1"})
    with (
        DriftClient(loopback.base_url, TOKEN, sleep=sleeps, retries=2) as client,
        pytest.raises(DriftRateLimitError),
    ):
        create(client)

    assert sleeps.calls == [1.0, 1.0]
    assert len(loopback.requests) == 3
