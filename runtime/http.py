"""HTTP mode: a WSGI app that serves Bolt at /slack/events and a health check at /healthz."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class SlackWsgiApp:
    """Routes Slack's requests to Bolt; `/healthz` says 200 until draining starts, then 503."""

    def __init__(self, app: App) -> None:
        self._bolt = SlackRequestHandler(app)
        self.draining = threading.Event()
        self._in_flight = 0
        self._idle = threading.Condition()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no Slack request is being handled; False at the deadline."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            if self.draining.is_set():
                return _json(
                    start_response, "503 Service Unavailable", {"ok": False, "status": "draining"}
                )
            return _json(start_response, "200 OK", {"ok": True})
        if path == EVENTS_PATH:
            if self.draining.is_set():
                return _json(start_response, "503 Service Unavailable", {"error": "shutting down"})
            with self._idle:
                self._in_flight += 1
            try:
                return self._bolt(environ, start_response)
            finally:
                with self._idle:
                    self._in_flight -= 1
                    self._idle.notify_all()
        return _json(start_response, "404 Not Found", {"error": "not found"})


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
