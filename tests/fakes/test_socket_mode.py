"""FakeSocketMode speaks Socket Mode to slack_sdk's built-in client and to Bolt."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack
from tests.fakes.socket_mode import FakeSocketMode

EMAIL_MODAL = {
    "type": "modal",
    "callback_id": "drift_open",
    "title": {"type": "plain_text", "text": "Open in Drift"},
    "submit": {"type": "plain_text", "text": "Create"},
    "blocks": [
        {
            "type": "input",
            "block_id": "email",
            "label": {"type": "plain_text", "text": "Email"},
            "element": {"type": "email_text_input", "action_id": "value"},
        }
    ],
}
ERRORS_ACK = {"response_action": "errors", "errors": {"email": "Enter a valid email"}}


@pytest.fixture
def received() -> list[dict[str, Any]]:
    """Every message the built-in client got from the fake."""
    return []


@pytest.fixture
def client(slack: FakeSlack, received: list[dict[str, Any]]) -> Iterator[SocketModeClient]:
    web = WebClient(base_url=slack.base_url)
    sdk_client = SocketModeClient(
        app_token=slack.app_token, web_client=web, logger=logging.getLogger("fake-sm")
    )
    sdk_client.message_listeners.append(lambda _client, message, _raw: received.append(message))
    try:
        yield sdk_client
    finally:
        stop_quickly(slack, sdk_client)


def stop_quickly(slack: FakeSlack, client: SocketModeClient) -> None:
    """The built-in client's reader only notices its own close after a 3 s socket timeout;
    closing from the server side first ends it at once.

    The reader thread answers the server's close frame by dropping its socket, and slack_sdk's
    `Connection.disconnect` checks then closes that socket without a lock: closing the client
    before the reader has finished races it (`'NoneType' object has no attribute 'close'`)."""
    client.auto_reconnect_enabled = client.default_auto_reconnect_enabled = False
    slack.socket_mode.close_connections()
    slack.socket_mode.wait_for(lambda: slack.socket_mode.open_connections == 0)
    slack.socket_mode.wait_for(lambda: not session_is_active(client))
    client.close()


def session_is_active(client: SocketModeClient) -> bool:
    session = client.current_session
    return session is not None and session.is_active()


def acknowledge(client: SocketModeClient, request: SocketModeRequest) -> None:
    ack_payload = ERRORS_ACK if request.payload.get("type") == "view_submission" else None
    client.send_socket_mode_response(SocketModeResponse(request.envelope_id, ack_payload))


def test_builtin_client_connects_over_plain_ws_and_gets_hello(
    slack: FakeSlack, client: SocketModeClient, received: list[dict[str, Any]]
) -> None:
    client.connect()
    assert slack.socket_mode.wait_for_connection() == 1
    opened = slack.calls_to("apps.connections.open")
    assert [call.token for call in opened] == [slack.app_token]
    hello = slack.wait_for(lambda: received[:1])[0]
    assert hello["type"] == "hello"
    assert hello["connection_info"]["app_id"] == payloads.API_APP_ID


def test_envelope_is_delivered_and_the_response_action_ack_read_back(
    slack: FakeSlack, client: SocketModeClient, received: list[dict[str, Any]]
) -> None:
    client.socket_mode_request_listeners.append(acknowledge)
    client.connect()
    view = WebClient(token=slack.bot_token, base_url=slack.base_url).views_open(
        trigger_id=slack.new_trigger_id(), view=EMAIL_MODAL
    )["view"]
    submission = payloads.view_submission(view, {"email": {"value": payloads.email_value("x")}})
    envelope_id = slack.socket_mode.send_envelope("interactive", submission)
    ack = slack.socket_mode.wait_for_ack(envelope_id)
    assert ack == {"envelope_id": envelope_id, "payload": ERRORS_ACK}
    delivered = next(m for m in received if m.get("envelope_id") == envelope_id)
    assert delivered["type"] == "interactive"
    assert delivered["accepts_response_payload"] is True
    assert delivered["payload"] == submission


@pytest.mark.parametrize(
    ("type_", "payload", "accepts"),
    [
        ("slash_commands", payloads.command_form(), True),
        ("interactive", payloads.view_submission({"id": "V1"}, {}), True),
        (
            "interactive",
            payloads.message_shortcut(payloads.user_message("x"), callback_id="c"),
            False,
        ),
    ],
)
def test_accepts_response_payload_defaults(
    slack: FakeSlack, client: SocketModeClient, type_: str, payload: dict[str, Any], accepts: bool
) -> None:
    client.connect()
    envelope_id = slack.socket_mode.send_envelope(type_, payload)
    sent = next(m for m in slack.socket_mode.sent if m.get("envelope_id") == envelope_id)
    assert sent["accepts_response_payload"] is accepts


def test_wait_for_ack_is_none_when_the_app_never_acks(
    slack: FakeSlack, client: SocketModeClient
) -> None:
    client.connect()
    envelope_id = slack.socket_mode.send_envelope("slash_commands", payloads.command_form())
    assert slack.socket_mode.wait_for_ack(envelope_id, timeout=0.2) is None


def test_disconnect_message_makes_the_client_reconnect(
    slack: FakeSlack, client: SocketModeClient
) -> None:
    client.socket_mode_request_listeners.append(acknowledge)
    client.connect()
    socket_mode = slack.socket_mode
    socket_mode.wait_for_connection()
    socket_mode.send_disconnect()
    socket_mode.wait_for(lambda: socket_mode.connections_opened == 2)
    assert len(slack.calls_to("apps.connections.open")) == 2
    envelope_id = socket_mode.send_envelope("slash_commands", payloads.command_form())
    assert socket_mode.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}


def test_unknown_ticket_is_refused() -> None:
    with FakeSocketMode() as socket_mode:
        url = f"ws://127.0.0.1:{socket_mode.port}/link/?ticket=forged"
        with pytest.raises(InvalidStatus) as refused:
            connect(url, open_timeout=5)
    assert refused.value.response.status_code == 401


def test_bolt_socket_mode_handler_acks_a_slash_command_and_a_submission(
    slack: FakeSlack,
) -> None:
    app = App(client=WebClient(token=slack.bot_token, base_url=slack.base_url))

    @app.command(payloads.COMMAND)
    def on_command(ack: Ack) -> None:
        ack(text="working on it")

    @app.view("drift_open")
    def on_submission(ack: Ack) -> None:
        ack(**ERRORS_ACK)

    opened = app.client.views_open(trigger_id=slack.new_trigger_id(), view=EMAIL_MODAL)["view"]
    handler = SocketModeHandler(app, slack.app_token)
    handler.connect()
    try:
        command_id = slack.socket_mode.send_envelope("slash_commands", payloads.command_form())
        submission_id = slack.socket_mode.send_envelope(
            "interactive", payloads.view_submission(opened, {})
        )
        assert slack.socket_mode.wait_for_ack(command_id) == {
            "envelope_id": command_id,
            "payload": {"text": "working on it"},
        }
        submission_ack = slack.socket_mode.wait_for_ack(submission_id)
    finally:
        stop_quickly(slack, handler.client)
    assert submission_ack is not None
    assert submission_ack["payload"] == ERRORS_ACK
