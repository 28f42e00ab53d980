"""POST /drift/events: the verification token in the header and the body, in constant time."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any

import pytest

from runtime.drift_webhook import DriftWebhook

TOKEN = "drift-verification-token-0123"


class Accepted:
    def __init__(self, *, fails: bool = False) -> None:
        self.events: list[Mapping[str, Any]] = []
        self.fails = fails

    def __call__(self, event: Mapping[str, Any]) -> bool:
        if self.fails:
            raise OSError("database is locked")
        self.events.append(event)
        return True


def call(
    webhook: DriftWebhook, body: bytes, *, header: str | None = TOKEN, method: str = "POST"
) -> tuple[str, dict[str, Any]]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/drift/events",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    if header is not None:
        environ["HTTP_X_VERIFICATION_TOKEN"] = header
    status: list[str] = []
    chunks = webhook(environ, lambda line, headers: status.append(line))
    return status[0], json.loads(b"".join(chunks))


def event(token: str = TOKEN) -> bytes:
    return json.dumps({"type": "new_message", "token": token, "orgId": 1, "data": {}}).encode()


def test_a_good_event_is_accepted() -> None:
    accepted = Accepted()
    status, body = call(DriftWebhook(TOKEN, accepted), event())
    assert (status, body) == ("200 OK", {"ok": True})
    assert [item["type"] for item in accepted.events] == ["new_message"]


@pytest.mark.parametrize(
    ("body", "header", "status"),
    [
        (event(), None, "401 Unauthorized"),
        (event(), "wrong", "401 Unauthorized"),
        (event(), "", "401 Unauthorized"),
        (event("wrong"), TOKEN, "401 Unauthorized"),
        (json.dumps({"type": "new_message"}).encode(), TOKEN, "401 Unauthorized"),
        (b"{not json", TOKEN, "400 Bad Request"),
        (b"[1, 2]", TOKEN, "400 Bad Request"),
        (b"x" * 2048, TOKEN, "413 Payload Too Large"),
    ],
    ids=[
        "no header",
        "wrong header",
        "empty header",
        "wrong body token",
        "no body token",
        "malformed",
        "not an object",
        "oversized",
    ],
)
def test_refusals(body: bytes, header: str | None, status: str) -> None:
    accepted = Accepted()
    got, _ = call(DriftWebhook(TOKEN, accepted, max_body=1024), body, header=header)
    assert got == status
    assert accepted.events == []


def test_an_unset_token_accepts_nothing() -> None:
    status, _ = call(DriftWebhook("", Accepted()), event(""), header="")
    assert status == "401 Unauthorized"


def test_get_is_not_allowed() -> None:
    status, _ = call(DriftWebhook(TOKEN, Accepted()), b"", method="GET")
    assert status == "405 Method Not Allowed"


def test_an_event_that_cannot_be_queued_is_500_so_drift_sends_it_again() -> None:
    status, _ = call(DriftWebhook(TOKEN, Accepted(fails=True)), event())
    assert status == "500 Internal Server Error"
