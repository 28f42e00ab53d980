"""Signed requests as Slack sends them to an HTTP-mode app (`/slack/events`).

`X-Slack-Signature` is "v0=" + hex HMAC-SHA256(signing secret, f"v0:{timestamp}:{raw body}"),
with `X-Slack-Request-Timestamp` in epoch seconds (slack-platform.md §8). Build a request with
`prepare_*`, tamper with it (`forged()`, a stale `timestamp=`), and `send` it, even twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import requests

from tests.fakes import payloads

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


class SlackSigner:
    def __init__(self, signing_secret: str, *, clock: Callable[[], float] = time.time) -> None:
        self._secret = signing_secret.encode("utf-8")
        self._clock = clock

    def signature(self, body: str, timestamp: int) -> str:
        base = f"v0:{timestamp}:{body}".encode()
        return "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()

    def sign(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        when = int(self._clock()) if timestamp is None else timestamp
        return {
            "Content-Type": FORM_CONTENT_TYPE,
            "X-Slack-Request-Timestamp": str(when),
            "X-Slack-Signature": self.signature(body, when),
        }


@dataclass(frozen=True)
class SignedRequest:
    body: str
    headers: dict[str, str]

    def forged(self) -> SignedRequest:
        """Same body and timestamp, signature made with the wrong secret."""
        timestamp = int(self.headers["X-Slack-Request-Timestamp"])
        bad = SlackSigner("not-the-signing-secret").signature(self.body, timestamp)
        return replace(self, headers={**self.headers, "X-Slack-Signature": bad})


class SlackHttpClient:
    def __init__(
        self,
        base_url: str,
        signer: SlackSigner,
        *,
        path: str = "/slack/events",
        session: requests.Session | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = base_url.rstrip("/") + path
        self.signer = signer
        self.timeout = timeout
        self._session = session or requests.Session()

    def prepare_command(self, *, timestamp: int | None = None, **fields: str) -> SignedRequest:
        """A slash command form (payloads.command_form defaults, overridden by `fields`)."""
        body = urlencode(payloads.command_form(**fields))
        return SignedRequest(body, self.signer.sign(body, timestamp))

    def prepare_interactive(
        self, payload: dict[str, Any], *, timestamp: int | None = None
    ) -> SignedRequest:
        """Shortcuts, view submissions, block actions: a `payload=<JSON>` form body."""
        body = urlencode({"payload": json.dumps(payload)})
        return SignedRequest(body, self.signer.sign(body, timestamp))

    def prepare_event(self, event: dict[str, Any]) -> SignedRequest:
        """An Events API callback: a JSON body."""
        body = json.dumps(payloads.event_callback(event))
        headers = {**self.signer.sign(body), "Content-Type": "application/json"}
        return SignedRequest(body, headers)

    def send(
        self, request: SignedRequest, extra_headers: Mapping[str, str] | None = None
    ) -> requests.Response:
        return self._session.post(
            self.url,
            data=request.body.encode("utf-8"),
            headers={**request.headers, **(extra_headers or {})},
            timeout=self.timeout,
        )

    def command(self, **fields: str) -> requests.Response:
        return self.send(self.prepare_command(**fields))

    def interactive(self, payload: dict[str, Any]) -> requests.Response:
        return self.send(self.prepare_interactive(payload))

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SlackHttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
