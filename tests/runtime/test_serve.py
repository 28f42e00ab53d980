"""handlers/serve.py: Socket Mode start and stop, with a stand-in for Bolt's handler."""

from __future__ import annotations

import logging
import threading

import pytest
from slack_bolt import App

from runtime.serve import run_socket_mode


class StandInConnection:
    """Records connect/close; `close` raises `failure` when one is given."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.failure = failure
        self.calls: list[str] = []

    def connect(self) -> None:
        self.calls.append("connect")

    def close(self) -> None:
        self.calls.append("close")
        if self.failure is not None:
            raise self.failure


@pytest.fixture
def app() -> App:
    return App(token="xoxb-test", signing_secret="secret", token_verification_enabled=False)


@pytest.fixture
def stopped() -> threading.Event:
    stop = threading.Event()
    stop.set()
    return stop


def test_connects_then_closes_once_stopped(app: App, stopped: threading.Event) -> None:
    connection = StandInConnection()
    run_socket_mode(app, "xapp-test", stopped, lambda _app, _token: connection)
    assert connection.calls == ["connect", "close"]


def test_a_connection_already_dropped_by_slack_sdk_still_stops_cleanly(
    app: App, stopped: threading.Event, caplog: pytest.LogCaptureFixture
) -> None:
    dropped = StandInConnection(AttributeError("'NoneType' object has no attribute 'close'"))
    with caplog.at_level(logging.INFO, logger="drift_open"):
        run_socket_mode(app, "xapp-test", stopped, lambda _app, _token: dropped)
    assert dropped.calls == ["connect", "close"]
    assert "already closed" in caplog.text


def test_other_close_failures_are_not_hidden(app: App, stopped: threading.Event) -> None:
    broken = StandInConnection(RuntimeError("boom"))
    with pytest.raises(RuntimeError, match="boom"):
        run_socket_mode(app, "xapp-test", stopped, lambda _app, _token: broken)
