"""SlackWsgiApp: Bolt at /slack/events, /healthz that turns 503 while draining, 404 elsewhere."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

import pytest

from runtime.http import SlackWsgiApp
from tests.conftest import Harness
from tests.fakes import payloads


def call(
    wsgi: SlackWsgiApp,
    path: str,
    method: str = "GET",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        started["status"], started["headers"] = status, dict(response_headers)

    payload = b"".join(wsgi(environ, start_response))
    return started["status"], started["headers"], payload


@pytest.fixture
def wsgi(harness: Harness) -> SlackWsgiApp:
    return SlackWsgiApp(harness.app)


def signed_command(harness: Harness) -> tuple[bytes, dict[str, str]]:
    body = urlencode(payloads.command_form(trigger_id=harness.slack.new_trigger_id()))
    return body.encode(), harness.signer.sign(body)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_healthz_is_ok(wsgi: SlackWsgiApp, method: str) -> None:
    status, headers, body = call(wsgi, "/healthz", method)
    assert status == "200 OK"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"ok": True}


def test_draining_turns_health_and_events_away(wsgi: SlackWsgiApp, harness: Harness) -> None:
    wsgi.draining.set()
    status, _, body = call(wsgi, "/healthz")
    assert status == "503 Service Unavailable"
    assert json.loads(body)["status"] == "draining"
    body_bytes, headers = signed_command(harness)
    status, _, _ = call(wsgi, "/slack/events", "POST", body_bytes, headers)
    assert status.startswith("503")
    assert harness.slack.calls_to("views.open") == []


@pytest.mark.parametrize(
    ("path", "method"), [("/", "GET"), ("/slack/other", "POST"), ("/healthz", "POST")]
)
def test_other_paths_are_not_found(wsgi: SlackWsgiApp, path: str, method: str) -> None:
    status, _, body = call(wsgi, path, method)
    assert status == "404 Not Found"
    assert json.loads(body) == {"error": "not found"}


def test_signed_events_reach_bolt(wsgi: SlackWsgiApp, harness: Harness) -> None:
    body, headers = signed_command(harness)
    status, _, _ = call(wsgi, "/slack/events", "POST", body, headers)
    assert status.startswith("200")
    harness.opened_view()


def test_unsigned_events_are_refused_by_bolt(wsgi: SlackWsgiApp, harness: Harness) -> None:
    body, _ = signed_command(harness)
    status, _, _ = call(wsgi, "/slack/events", "POST", body)
    assert status.startswith("401")
    assert harness.slack.calls_to("views.open") == []
