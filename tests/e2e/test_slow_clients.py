"""Hostile traffic in HTTP mode against the real process: a slow-header flood must not take the
app offline, and an oversized body is refused before it is read."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest
import requests

from tests.e2e.app_process import AppProcess
from tests.fakes import payloads
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.fakes.slow_clients import Trickle

pytestmark = pytest.mark.e2e

SLOW_SOCKETS = 150
TRICKLE_SECONDS = 0.5
REQUEST_TIMEOUT = 2


@pytest.fixture(scope="module")
def guarded(start_app: Callable[..., AppProcess]) -> AppProcess:
    process = start_app(HTTP_REQUEST_TIMEOUT_SECONDS=str(REQUEST_TIMEOUT))
    process.wait_until_healthy()
    return process


@pytest.fixture
def trickle(guarded: AppProcess) -> Iterator[Trickle]:
    flood = Trickle(guarded.port, SLOW_SOCKETS, every=TRICKLE_SECONDS)
    yield flood
    flood.close()


def test_the_app_keeps_answering_during_a_slow_header_flood(
    guarded: AppProcess, trickle: Trickle, signer: SlackSigner
) -> None:
    health = requests.get(f"{guarded.url}/healthz", timeout=1)
    assert health.status_code == 200
    with SlackHttpClient(guarded.url, signer, timeout=1) as client:
        trigger = payloads.unissued_trigger_id()
        assert client.command(trigger_id=trigger, text="help").status_code == 200
    assert trickle.wait_all_closed(timeout=REQUEST_TIMEOUT * 3 + 2)
    assert trickle.closed_by_server == SLOW_SOCKETS


def test_an_oversized_body_is_refused_before_it_is_sent(guarded: AppProcess) -> None:
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=5) as sock:
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 50000000\r\n\r\n" + b"a" * 1024
        )
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
