"""HTTP mode: a WSGI app that serves Bolt at /slack/events, a health check at /healthz and,
when configured, Drift's webhook at /drift/events (runtime/drift_webhook.py).

Every request to /slack/events is checked before anything parses it: a body over `max_body`
is 413, and a missing, stale or wrong Slack signature is 401 with one short log line. Bolt
checks the signature again, but it parses the body first, so hostile bytes would reach its
parsers (and come back as 500s with tracebacks). A signed body Bolt cannot read is a 400.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from runtime.drift_webhook import DRIFT_EVENTS_PATH

logger = logging.getLogger("drift_open")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# The largest legitimate request, a 10,000-character rich-text submission with every character
# styled unlike its neighbours, prefilled in the view and again in its state, is about 2.1 MB
# url-encoded (tests/runtime/test_http.py builds it); 4 MiB leaves room.
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_TIMESTAMP_DIGITS = 12

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class SlackWsgiApp:
    """Routes Slack's requests to Bolt; `/healthz` says 200 until draining starts or `problem`
    names one (the store's file is gone), then 503."""

    def __init__(
        self,
        app: App,
        signing_secret: str,
        *,
        max_body: int = MAX_BODY_BYTES,
        problem: Callable[[], str] = lambda: "",
        drift_events: WsgiApp | None = None,
    ) -> None:
        self._bolt = SlackRequestHandler(app)
        self._drift_events = drift_events
        self._problem = problem
        self._verifier = SignatureVerifier(signing_secret)
        self._max_body = max_body
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
            problem = self._problem()
            if problem:
                return _json(
                    start_response, "503 Service Unavailable", {"ok": False, "status": problem}
                )
            return _json(start_response, "200 OK", {"ok": True})
        if path == DRIFT_EVENTS_PATH and self._drift_events is not None:
            return self._drift_events(environ, start_response)
        if path == EVENTS_PATH:
            if self.draining.is_set():
                return _json(start_response, "503 Service Unavailable", {"error": "shutting down"})
            body, refusal = self._signed_body(environ)
            if refusal is not None:
                return _json(start_response, refusal, {"error": refusal[4:].lower()})
            with self._idle:
                self._in_flight += 1
            try:
                return self._bolt({**environ, "wsgi.input": io.BytesIO(body)}, start_response)
            except Exception as exc:  # a signed body Bolt could not parse
                logger.warning("A signed Slack request could not be read (%s)", type(exc).__name__)
                return _json(start_response, "400 Bad Request", {"error": "bad request"})
            finally:
                with self._idle:
                    self._in_flight -= 1
                    self._idle.notify_all()
        return _json(start_response, "404 Not Found", {"error": "not found"})

    def _signed_body(self, environ: dict[str, Any]) -> tuple[bytes, str | None]:
        """The body when it is within the cap and correctly signed; else the refusal status."""
        length_text = str(environ.get("CONTENT_LENGTH") or "0").strip()
        if not length_text.isdigit():
            return b"", "400 Bad Request"
        length = int(length_text)
        if length > self._max_body:
            logger.info("Refused a %s-byte request to %s (over the cap)", length, EVENTS_PATH)
            return b"", "413 Payload Too Large"
        body = environ["wsgi.input"].read(length) if length else b""
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        signed = (
            timestamp.isdigit()
            and len(timestamp) <= MAX_TIMESTAMP_DIGITS
            and self._verifier.is_valid(body, timestamp, signature)
        )
        if not signed:
            logger.info("Refused an unsigned or badly signed request to %s", EVENTS_PATH)
            return b"", "401 Unauthorized"
        return body, None


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
