"""SlackWsgiApp: Bolt at /slack/events, /healthz that turns 503 while draining, 404 elsewhere."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

import pytest

from handlers.flow.validation import MAX_MESSAGE_CHARS
from handlers.ui import ids, views
from runtime.drift_webhook import DriftWebhook
from runtime.http import MAX_BODY_BYTES, SlackWsgiApp
from storage.records import Draft, Origin
from tests.conftest import SIGNING_SECRET, Harness
from tests.fakes import payloads
from tests.forms import form_values


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
    return SlackWsgiApp(harness.app, SIGNING_SECRET)


def signed_command(harness: Harness) -> tuple[bytes, dict[str, str]]:
    body = urlencode(payloads.command_form(trigger_id=harness.slack.new_trigger_id()))
    return body.encode(), harness.signer.sign(body)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_healthz_is_ok(wsgi: SlackWsgiApp, method: str) -> None:
    status, headers, body = call(wsgi, "/healthz", method)
    assert status == "200 OK"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"ok": True}


def test_a_store_problem_turns_health_red(harness: Harness) -> None:
    wsgi = SlackWsgiApp(harness.app, SIGNING_SECRET, problem=lambda: "the file is gone")
    status, _, body = call(wsgi, "/healthz")
    assert status == "503 Service Unavailable"
    assert json.loads(body) == {"ok": False, "status": "the file is gone"}


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


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE_BODIES = {
    "broken JSON payload": "payload={bad",
    "invalid percent-encoding": "payload=%ff",
    "a JSON list payload": "payload=[1]",
    "deeply nested JSON": "payload=" + nested(100_000),
    "null response_urls": 'payload={"type":"view_submission","response_urls":[null]}',
    "not a form at all": "\x00\x01\x02",
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_unsigned_hostile_bodies_are_refused_before_parsing(
    wsgi: SlackWsgiApp, harness: Harness, body: str, caplog
) -> None:
    status, _, _ = call(wsgi, "/slack/events", "POST", body.encode("latin-1"))
    assert status == "401 Unauthorized"
    assert "Traceback" not in caplog.text
    assert len([r for r in caplog.records if r.name == "drift_open"]) <= 1


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "9" * 40, "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": ""},
    ],
    ids=["letters", "huge", "negative", "no signature"],
)
def test_malformed_signature_headers_are_401(
    wsgi: SlackWsgiApp, harness: Harness, headers: dict[str, str]
) -> None:
    body, _ = signed_command(harness)
    status, _, _ = call(wsgi, "/slack/events", "POST", body, headers)
    assert status == "401 Unauthorized"


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_signed_hostile_bodies_are_never_a_500(
    wsgi: SlackWsgiApp, harness: Harness, body: str, caplog
) -> None:
    signed = harness.signer.sign(body)
    status, _, _ = call(wsgi, "/slack/events", "POST", body.encode("latin-1"), signed)
    assert not status.startswith("5"), status
    assert "Traceback" not in caplog.text


class UnreadableInput(io.BytesIO):
    def read(self, *_: Any) -> bytes:
        raise AssertionError("an oversized body was read")


def call_with_input(
    wsgi: SlackWsgiApp, body: io.BytesIO, content_length: str
) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "wsgi.input": body,
        "CONTENT_LENGTH": content_length,
    }
    started: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        started["status"], started["headers"] = status, dict(response_headers)

    payload = b"".join(wsgi(environ, start_response))
    return started["status"], started["headers"], payload


def test_an_oversized_body_is_413_without_being_read(wsgi: SlackWsgiApp) -> None:
    status, _, _ = call_with_input(wsgi, UnreadableInput(), str(MAX_BODY_BYTES + 1))
    assert status == "413 Payload Too Large"


def test_a_malformed_content_length_is_400(wsgi: SlackWsgiApp) -> None:
    status, _, _ = call_with_input(wsgi, io.BytesIO(b""), "12abc")
    assert status == "400 Bad Request"


def largest_submission() -> bytes:
    """A full 10,000-character rich-text message, every character styled unlike its
    neighbours, in the form as Slack sends it back: the view (the same text prefilled, and
    private_metadata) plus its state."""
    styles = [{"bold": True}, {"italic": True}, {"strike": True}, {"code": True}]
    words = [
        {"type": "text", "text": "x", "style": styles[n % len(styles)]}
        for n in range(MAX_MESSAGE_CHARS)
    ]
    message = {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": words}]}
    origin = Origin(
        team_id=payloads.TEAM_ID,
        user_id=payloads.USER_ID,
        channel_id=payloads.CHANNEL_ID,
        response_url="https://hooks.slack.com/" + "x" * 200,
        source="shortcut",
    )
    draft = Draft(origin, email="jane@acme.com", message=message, assignee_id=payloads.USER_ID)
    view = {**views.build_form_view(draft, nonce="n" * 22), "id": "V" + "0" * 10, "hash": "h"}
    values = form_values("jane@acme.com", "")
    values[ids.MESSAGE_BLOCK][ids.MESSAGE_ACTION] = payloads.rich_text_value(message)
    payload = payloads.view_submission(view, values)
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_the_largest_legitimate_submission_fits_the_cap_with_room() -> None:
    size = len(largest_submission())
    assert 1_500_000 < size < MAX_BODY_BYTES / 1.5, size


def test_drift_events_are_served_only_when_configured(harness: Harness) -> None:
    seen: list[Any] = []
    webhook = DriftWebhook("tok", lambda event: seen.append(event) or True)
    body = json.dumps({"type": "new_message", "token": "tok", "data": {}}).encode()
    headers = {"X-Verification-Token": "tok"}
    with_webhook = SlackWsgiApp(harness.app, SIGNING_SECRET, drift_events=webhook)
    assert call(with_webhook, "/drift/events", "POST", body, headers)[0] == "200 OK"
    assert len(seen) == 1
    without = SlackWsgiApp(harness.app, SIGNING_SECRET)
    assert call(without, "/drift/events", "POST", body, headers)[0] == "404 Not Found"
