"""Serving the app: HTTP mode under waitress, Socket Mode, stop signals, the orphan sweep."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Protocol

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from handlers.flow.recorded import notify_orphans
from handlers.flow.services import Services
from runtime.http import MAX_BODY_BYTES, SlackWsgiApp
from runtime.http_server import REQUEST_TIMEOUT_SECONDS, bound_port, create_http_server

logger = logging.getLogger("drift_open")

HTTP_THREADS = 16
DRAIN_SECONDS = 5.0
UPKEEP_SECONDS = 2.0
SHUTDOWN_SECONDS = 30.0


def install_stop_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set `stop`: no new requests, then work in flight finishes."""

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("Signal %s received: finishing work in flight, then stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)


class SocketModeConnection(Protocol):
    """The part of Bolt's SocketModeHandler this module drives."""

    def connect(self) -> None: ...

    def close(self) -> None: ...


def run_socket_mode(
    app: App,
    app_token: str,
    stop: threading.Event,
    connection: Callable[[App, str], SocketModeConnection] = SocketModeHandler,
) -> None:
    """Serve over Socket Mode (the fake or real `apps.connections.open`) until `stop`."""
    handler = connection(app, app_token)
    handler.connect()
    logger.info("drift-open is running in Socket Mode")
    stop.wait()
    try:
        handler.close()
    except AttributeError:
        # slack_sdk's Connection.disconnect checks its socket, then closes it, without a lock:
        # when the reader thread drops a dead connection at that moment, close() meets None.
        logger.info("The Socket Mode connection was already closed")


def run_http(
    app: App,
    host: str,
    port: int,
    stop: threading.Event,
    *,
    signing_secret: str,
    request_timeout: float = REQUEST_TIMEOUT_SECONDS,
    problem: Callable[[], str] = lambda: "",
) -> None:
    """Serve /slack/events and /healthz under waitress until `stop`, then drain."""
    wsgi = SlackWsgiApp(app, signing_secret, problem=problem)
    server = create_http_server(
        wsgi,
        host=host,
        port=port,
        threads=HTTP_THREADS,
        max_body=MAX_BODY_BYTES,
        request_timeout=request_timeout,
    )
    serving = threading.Thread(target=server.run, name="http", daemon=True)
    serving.start()
    logger.info(
        "drift-open is running in HTTP mode on http://%s:%s/slack/events",
        host,
        bound_port(server),
    )
    stop.wait()
    wsgi.draining.set()
    if not wsgi.wait_idle(DRAIN_SECONDS):
        logger.warning("Requests still running after %s s; closing anyway", DRAIN_SECONDS)
    server.close()


def finish_in_flight(services: Services, timeout: float = SHUTDOWN_SECONDS) -> frozenset[str]:
    """After stop: let the work in flight finish, keeping its rows alive, for at most `timeout`
    seconds in all; returns what is still unfinished (the next start reports it)."""
    deadline = time.monotonic() + timeout
    while services.in_flight.keys():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        services.in_flight.keep_alive(services.store)
        services.in_flight.wait_empty(min(UPKEEP_SECONDS, remaining))
    unfinished = services.in_flight.keys()
    if unfinished:
        logger.warning(
            "Stopping with %d submissions unfinished after %.0f s; the next start tells their reps",
            len(unfinished),
            timeout,
        )
    return unfinished


def start_orphan_sweep(services: Services, stop: threading.Event) -> threading.Thread:
    sweeper = threading.Thread(
        target=sweep_orphans, args=(services, stop), name="orphans", daemon=True
    )
    sweeper.start()
    return sweeper


def sweep_orphans(services: Services, stop: threading.Event) -> None:
    """Every couple of seconds, from the start: keep this process's own submissions alive, then
    tell reps about submissions whose owner is gone (a crash, a kill -9, a lost replica)."""
    while True:
        upkeep(services)
        if stop.wait(UPKEEP_SECONDS):
            return


def upkeep(services: Services) -> None:
    try:
        services.in_flight.keep_alive(services.store)
        notify_orphans(services)
    except Exception:
        logger.exception("The orphaned-submission sweep failed")
