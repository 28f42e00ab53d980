"""`POST /drift/events`: Drift's webhook, checked before anything is done with it.

Drift sends `{"type", "token", "orgId", "data"}` with the app's verification token in the
`X-Verification-Token` header and in the body's `token` (no signature is documented). Both must
equal DRIFT_VERIFICATION_TOKEN, compared in constant time: a missing or wrong one is 401, decided
from the header before the body is parsed; a body over the cap is 413 unread; malformed JSON
400. A good event is handed to `accept` (one store write) and answered 200 at once; the work
happens after, in the sync loop. `accept` failing is a 500, so Drift delivers it again.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

logger = logging.getLogger("drift_open")

DRIFT_EVENTS_PATH = "/drift/events"
MAX_DRIFT_EVENT_BYTES = 1024 * 1024

StartResponse = Callable[..., Any]


class DriftWebhook:
    """A WSGI app for Drift's events; `accept(event)` queues one (True when it was new)."""

    def __init__(
        self,
        verification_token: str,
        accept: Callable[[Mapping[str, Any]], bool],
        *,
        max_body: int = MAX_DRIFT_EVENT_BYTES,
    ) -> None:
        self._token = verification_token.encode()
        self._accept = accept
        self._max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, "405 Method Not Allowed", {"error": "use POST"})
        length_text = str(environ.get("CONTENT_LENGTH") or "0").strip()
        if not length_text.isdigit():
            return _json(start_response, "400 Bad Request", {"error": "bad request"})
        if not self._matches(str(environ.get("HTTP_X_VERIFICATION_TOKEN") or "")):
            logger.info("Refused a Drift event without the verification token")
            return _json(start_response, "401 Unauthorized", {"error": "unauthorized"})
        length = int(length_text)
        if length > self._max_body:
            return _json(start_response, "413 Payload Too Large", {"error": "payload too large"})
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            event = json.loads(body)
        except ValueError:
            return _json(start_response, "400 Bad Request", {"error": "malformed JSON"})
        if not isinstance(event, dict):
            return _json(start_response, "400 Bad Request", {"error": "not an event"})
        token = event.get("token")
        if not isinstance(token, str) or not self._matches(token):
            logger.info("Refused a Drift event whose body token is wrong")
            return _json(start_response, "401 Unauthorized", {"error": "unauthorized"})
        try:
            self._accept(event)
        except Exception:
            logger.exception("A Drift event could not be queued; Drift will send it again")
            return _json(start_response, "500 Internal Server Error", {"error": "try again"})
        return _json(start_response, "200 OK", {"ok": True})

    def _matches(self, candidate: str) -> bool:
        return bool(self._token) and hmac.compare_digest(candidate.encode(), self._token)


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
