"""SlackSigner signs exactly as Slack does: slack_sdk's verifier and Bolt's middleware agree."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import Clock, SignatureVerifier

from tests.fakes import payloads
from tests.fakes.http import HttpReply, HttpRequest, LoopbackHttpServer
from tests.fakes.signing import SignedRequest, SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack

SECRET = "test-signing-secret"
NOW = 1_700_000_000


@pytest.fixture
def signer() -> SlackSigner:
    return SlackSigner(SECRET, clock=lambda: NOW)


class FixedClock(Clock):
    def now(self) -> float:
        return NOW


@pytest.fixture
def verifier() -> SignatureVerifier:
    return SignatureVerifier(SECRET, clock=FixedClock())


@pytest.fixture
def received() -> list[HttpRequest]:
    return []


@pytest.fixture
def client(signer: SlackSigner, received: list[HttpRequest]) -> Iterator[SlackHttpClient]:
    def record(request: HttpRequest) -> HttpReply:
        received.append(request)
        return HttpReply.text(200, "")

    server = LoopbackHttpServer(record)
    server.start()
    try:
        with SlackHttpClient(server.origin, signer) as http:
            yield http
    finally:
        server.stop()


@pytest.mark.parametrize(
    "body",
    ["", "command=%2Fdrift-open&text=hello", 'payload={"type":"message_action"}', "text=héllo ✓"],
)
def test_signature_matches_slack_sdk(
    signer: SlackSigner, verifier: SignatureVerifier, body: str
) -> None:
    headers = signer.sign(body)
    assert headers["X-Slack-Request-Timestamp"] == str(NOW)
    assert headers["X-Slack-Signature"] == verifier.generate_signature(
        timestamp=str(NOW), body=body
    )
    assert verifier.is_valid_request(body, headers)


def test_forged_and_stale_requests_fail_verification(
    signer: SlackSigner, verifier: SignatureVerifier, client: SlackHttpClient
) -> None:
    good = client.prepare_command(text="x")
    stale = client.prepare_command(text="x", timestamp=NOW - 301)
    assert verifier.is_valid_request(good.body, good.headers)
    assert not verifier.is_valid_request(good.body, good.forged().headers)
    assert not verifier.is_valid_request(stale.body, stale.headers)


def test_command_posts_the_signed_form(
    client: SlackHttpClient, verifier: SignatureVerifier, received: list[HttpRequest]
) -> None:
    assert client.command(text="a@b.co hi", channel_id="C9").status_code == 200
    request = received[0]
    assert request.path == "/slack/events"
    assert request.media_type == "application/x-www-form-urlencoded"
    assert verifier.is_valid_request(request.body, dict(request.headers))
    assert request.form() == payloads.command_form(
        text="a@b.co hi", channel_id="C9", trigger_id=request.form()["trigger_id"]
    )


def test_interactive_posts_payload_json_and_replays_byte_for_byte(
    client: SlackHttpClient, received: list[HttpRequest]
) -> None:
    shortcut = payloads.message_shortcut(payloads.user_message("héllo"), callback_id="open")
    signed = client.prepare_interactive(shortcut)
    client.send(signed)
    client.send(signed)
    first, second = received
    assert json.loads(parse_qs(first.body.decode())["payload"][0]) == shortcut
    assert (first.body, first.headers["x-slack-signature"]) == (
        second.body,
        second.headers["x-slack-signature"],
    )


def bolt_status(slack: FakeSlack, signed: SignedRequest) -> int:
    web = WebClient(token=slack.bot_token, base_url=slack.base_url)
    app = App(signing_secret=SECRET, client=web)

    @app.command(payloads.COMMAND)
    def on_command(ack: Ack) -> None:
        ack()

    headers: dict[str, Any] = {name.lower(): [value] for name, value in signed.headers.items()}
    return app.dispatch(BoltRequest(body=signed.body, headers=headers)).status


def test_bolt_accepts_signed_and_rejects_forged_or_stale_requests(slack: FakeSlack) -> None:
    http = SlackHttpClient("http://127.0.0.1:9", SlackSigner(SECRET))
    now = int(time.time())
    assert bolt_status(slack, http.prepare_command()) == 200
    assert bolt_status(slack, http.prepare_command().forged()) == 401
    assert bolt_status(slack, http.prepare_command(timestamp=now - 301)) == 401
