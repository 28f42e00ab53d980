"""End-to-end fixtures: loopback fake Slack and Drift per module, `python app.py` as a real child
process, and `SlackUser`, which acts the way Slack does for a rep (signed HTTP requests or Socket
Mode envelopes) and reads back what the fakes recorded.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from handlers.ui import ids
from runtime.scopes import REQUIRED_BOT_SCOPES
from tests.conftest import DRIFT_TOKEN, DRIFT_USERS, SIGNING_SECRET, app_environment
from tests.e2e.app_process import AppProcess
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.drift_endpoints import CreatedConversation
from tests.fakes.signing import SignedRequest, SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_directory import PostedMessage

SLACK_ACK_DEADLINE_SECONDS = 3.0
ACK_BOUND_SECONDS = 2.5  # "acked in time", with margin under Slack's 3 s
OUTCOME_TIMEOUT_SECONDS = 10.0

Transport = Callable[[str, dict[str, Any]], "Acked"]


@dataclass(frozen=True)
class Acked:
    """What the app answered to one delivery: HTTP status (200 for Socket Mode), the ack body
    (parsed JSON, raw text, or None when empty) and how long the answer took."""

    status: int
    body: Any
    seconds: float


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """action_id -> button element of every actions block."""
    found: dict[str, dict[str, Any]] = {}
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            found[element["action_id"]] = element
    return found


def rich_text_of(text: str) -> dict[str, Any]:
    """The rich_text block `payloads.rich_text` builds, without its random block_id."""
    return {k: v for k, v in payloads.rich_text(text).items() if k != "block_id"}


def unique_email() -> str:
    return f"jane.{secrets.token_hex(4)}@acme.com"


class SlackUser:
    """A rep in Slack: sends what Slack sends, and applies view_submission acks to the fake."""

    def __init__(self, slack: FakeSlack, drift: FakeDrift, transport: Transport) -> None:
        self.slack = slack
        self.drift = drift
        self.transport = transport

    def command(self, text: str = "", **fields: str) -> tuple[Acked, str]:
        """`/drift-open text`; returns the ack and the command's (unique) response_url."""
        response_url = self.slack.response_url(
            channel_id=fields.get("channel_id", payloads.CHANNEL_ID)
        )
        form = payloads.command_form(
            text=text,
            trigger_id=self.slack.new_trigger_id(),
            response_url=response_url,
            **fields,
        )
        return self.transport("slash_commands", form), response_url

    def shortcut(self, message: dict[str, Any], **fields: Any) -> tuple[Acked, str]:
        """ "Open in Drift" on `message`; returns the ack and the shortcut's response_url."""
        channel_id = fields.get("channel_id", payloads.CHANNEL_ID)
        response_url = self.slack.response_url(channel_id=channel_id)
        payload = payloads.message_shortcut(
            message,
            callback_id=ids.MESSAGE_SHORTCUT_CALLBACK_ID,
            trigger_id=self.slack.new_trigger_id(),
            response_url=response_url,
            **fields,
        )
        return self.transport("interactive", payload), response_url

    def form_opened_for(self, response_url: str) -> dict[str, Any]:
        """The modal the app opened for the request that carried `response_url`."""

        def find() -> dict[str, Any] | None:
            for view in self.slack.views.values():
                if response_url in view["private_metadata"]:
                    return view
            return None

        return self.slack.wait_for(find)

    def submit(self, view: dict[str, Any], values: dict[str, Any]) -> Acked:
        acked = self.transport("interactive", payloads.view_submission(view, values))
        self.slack.settle_submission(view["id"], acked.body or None)
        return acked

    def click(self, view: dict[str, Any], action_id: str, value: str) -> Acked:
        """A button inside the modal `view` (with a fresh trigger_id, as Slack sends)."""
        action = payloads.button_action(action_id, value)
        payload = payloads.block_actions(
            [action], view=view, trigger_id=self.slack.new_trigger_id()
        )
        return self.transport("interactive", payload)

    def click_in_message(
        self, message: dict[str, Any], action_id: str, value: str, channel_id: str
    ) -> tuple[Acked, str]:
        """A button in a message (ephemeral or not); returns the ack and the click's
        response_url. Carries a fresh trigger_id, so the app may open a modal."""
        response_url = self.slack.response_url(channel_id=channel_id)
        payload = payloads.block_actions(
            [payloads.button_action(action_id, value)],
            message=message,
            channel_id=channel_id,
            trigger_id=self.slack.new_trigger_id(),
            response_url=response_url,
        )
        return self.transport("interactive", payload), response_url

    def view_updated_with(
        self, view_id: str, text: str, timeout: float = OUTCOME_TIMEOUT_SECONDS
    ) -> dict[str, Any]:
        """Wait for a successful `views.update` of modal `view_id` showing `text`; returns the
        view as Slack then stored it. (Read from the calls, not the fake's current view: the
        test applies a submission's ack after the app answered, which can land after the
        worker's own update.)"""

        def sent() -> dict[str, Any] | None:
            for call in self.slack.calls_to("views.update"):
                shown = call.params.get("view")
                same = call.params.get("view_id") == view_id and call.error is None
                if same and text in json.dumps(shown):
                    return {**self.slack.views[view_id], **shown, "id": view_id}
            return None

        return self.slack.wait_for(sent, timeout)

    def answer_about(self, email: str) -> PostedMessage:
        """The message the app posted about the conversation with `email`."""
        return self.slack.wait_for(
            lambda: next((m for m in self.slack.messages if email in (m.text or "")), None),
            OUTCOME_TIMEOUT_SECONDS,
        )

    def conversations_with(self, email: str) -> list[CreatedConversation]:
        return [c for c in self.drift.conversations if c.request["email"] == email]

    def posts_to_drift_for(self, email: str) -> int:
        calls = self.drift.calls_to("POST", "/conversations/new")
        return sum(
            1 for call in calls if isinstance(call.body, dict) and call.body["email"] == email
        )


def http_transport(client: SlackHttpClient) -> Transport:
    def deliver(kind: str, payload: dict[str, Any]) -> Acked:
        return send_signed(client, prepare(client, kind, payload))

    return deliver


def prepare(client: SlackHttpClient, kind: str, payload: dict[str, Any]) -> SignedRequest:
    if kind == "slash_commands":
        body = urlencode(payload)
        return SignedRequest(body, client.signer.sign(body))
    return client.prepare_interactive(payload)


def send_signed(client: SlackHttpClient, request: SignedRequest) -> Acked:
    started = time.monotonic()
    response = client.send(request)
    elapsed = time.monotonic() - started
    try:
        body: Any = response.json() if response.text else None
    except ValueError:
        body = response.text
    return Acked(response.status_code, body, elapsed)


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(scopes=frozenset(REQUIRED_BOT_SCOPES)) as fake:
        yield fake
        assert fake.server_errors == []


@pytest.fixture(scope="module")
def drift() -> Iterator[FakeDrift]:
    with FakeDrift(access_token=DRIFT_TOKEN, users=[dict(u) for u in DRIFT_USERS]) as fake:
        yield fake
        fake.release()
        assert fake.server_errors == []


@pytest.fixture(scope="module")
def start_app(
    slack: FakeSlack, drift: FakeDrift, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., AppProcess]]:
    """Start `python app.py` against the module's fakes (own database; `extra` env on top);
    every process is stopped with SIGTERM at the end of the module."""
    started: list[AppProcess] = []

    def start(**extra: str) -> AppProcess:
        db = tmp_path_factory.mktemp("app") / "drift-open.sqlite3"
        process = AppProcess(app_environment(slack, drift, Path(db), **extra)).start()
        started.append(process)
        return process

    yield start
    drift.release()
    for process in started:
        assert process.stop() == 0, process.output


@pytest.fixture(scope="module")
def app(start_app: Callable[..., AppProcess]) -> AppProcess:
    """One HTTP-mode app per module, healthy."""
    process = start_app()
    process.wait_until_healthy()
    return process


@pytest.fixture(scope="module")
def signer() -> SlackSigner:
    return SlackSigner(SIGNING_SECRET)


@pytest.fixture(scope="module")
def http(app: AppProcess, signer: SlackSigner) -> Iterator[SlackHttpClient]:
    with SlackHttpClient(app.url, signer) as client:
        yield client


@pytest.fixture
def rep(slack: FakeSlack, drift: FakeDrift, http: SlackHttpClient) -> SlackUser:
    return SlackUser(slack, drift, http_transport(http))
