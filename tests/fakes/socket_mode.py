"""FakeSocketMode: a loopback WebSocket server speaking Slack's Socket Mode protocol.

On connect it sends `{"type": "hello", ...}`; `send_envelope` delivers a payload wrapped as
`{"envelope_id", "type", "payload", "accepts_response_payload"}` and `wait_for_ack` returns the
app's ack (`{"envelope_id", "payload"?}`). Plain ws:// on a non-443 port, which is what
slack_sdk's built-in client uses for non-TLS test servers.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from tests.fakes import payloads
from tests.fakes.timing import SharedState

T = TypeVar("T")

ENVELOPE_TYPES = frozenset({"slash_commands", "interactive", "events_api"})
MAX_CONNECTIONS = 10  # Slack's limit per app; each envelope goes to one of them


class FakeSocketMode:
    def __init__(self) -> None:
        self.state = SharedState()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._tickets: set[str] = set()
        self._connections: list[ServerConnection] = []
        self._send_locks: dict[int, threading.Lock] = {}
        self._acks: dict[str, dict[str, Any]] = {}
        self._received: list[dict[str, Any]] = []
        self._sent: list[dict[str, Any]] = []
        self._deliveries = 0
        self.delivered_to: dict[str, int] = {}  # envelope_id -> connection number (1, 2, ...)
        self.connections_opened = 0
        self._numbers: dict[int, int] = {}
        self._retiring: set[int] = set()

    def start(self) -> FakeSocketMode:
        self._server = serve(
            self._handle,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            compression=None,
            ping_interval=None,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("not started")
        return int(self._server.socket.getsockname()[1])

    def issue_url(self, app_id: str = payloads.API_APP_ID) -> str:
        """What apps.connections.open returns: a ws:// URL with a fresh ticket."""
        ticket = uuid.uuid4().hex
        with self.state.changing():
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={app_id}"

    # what tests drive ------------------------------------------------------------------------
    def wait_for_connection(self, timeout: float = 5.0) -> int:
        """The number of open connections, once there is at least one."""
        return self.state.wait_for(lambda: len(self._connections), timeout)

    @property
    def open_connections(self) -> int:
        with self.state.reading():
            return len(self._connections)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        return self.state.wait_for(predicate, timeout)

    def send_envelope(
        self,
        type_: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        timeout: float = 5.0,
        turn: int | None = None,
    ) -> str:
        """Deliver to one open connection (waiting up to `timeout` for one), taking them in
        turn as Slack spreads envelopes over an app's connections; `turn` picks the one."""
        if type_ not in ENVELOPE_TYPES:
            raise ValueError(f"unknown envelope type {type_!r}")
        if accepts_response_payload is None:
            accepts_response_payload = _accepts_response(type_, payload)
        envelope = {
            "envelope_id": str(uuid.uuid4()),
            "type": type_,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        self._send(envelope, timeout, turn)
        return envelope["envelope_id"]

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any] | None:
        try:
            return self.state.wait_for(lambda: self._acks.get(envelope_id), timeout)
        except TimeoutError:
            return None

    def send_disconnect(self, reason: str = "refresh_requested", timeout: float = 5.0) -> None:
        """Ask the app to reconnect, as Slack does before it rotates a connection."""
        self._send(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}, timeout
        )

    def close_connections(self) -> None:
        """Close every open connection from the server side (Slack dropping the socket)."""
        with self.state.reading():
            connections = list(self._connections)
        for connection in connections:
            connection.close()

    @property
    def acks(self) -> dict[str, dict[str, Any]]:
        with self.state.reading():
            return dict(self._acks)

    @property
    def received(self) -> list[dict[str, Any]]:
        """Every JSON message the app sent, in order."""
        with self.state.reading():
            return list(self._received)

    @property
    def sent(self) -> list[dict[str, Any]]:
        with self.state.reading():
            return list(self._sent)

    # serving -------------------------------------------------------------------------------
    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        ticket = parse_qs(parts.query).get("ticket", [""])[0]
        with self.state.reading():
            known = ticket in self._tickets
        if parts.path != "/link/" or not known:
            return connection.respond(401, "invalid or missing ticket\n")
        if self.open_connections >= MAX_CONNECTIONS:
            return connection.respond(429, "too_many_websockets\n")
        return None

    def _handle(self, connection: ServerConnection) -> None:
        query = parse_qs(urlsplit(connection.request.path if connection.request else "").query)
        with self.state.changing():
            self._connections.append(connection)
            self._send_locks[id(connection)] = threading.Lock()
            self.connections_opened += 1
            self._numbers[id(connection)] = self.connections_opened
            hello = {
                "type": "hello",
                "num_connections": len(self._connections),
                "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
                "connection_info": {"app_id": query.get("app_id", [""])[0]},
            }
        try:
            self._send_on(connection, hello)
            for raw in connection:
                message = _decode(raw)
                with self.state.changing():
                    self._received.append(message)
                    if isinstance(message, dict) and "envelope_id" in message:
                        self._acks[message["envelope_id"]] = message
        except ConnectionClosed:
            pass
        finally:
            with self.state.changing():
                self._connections.remove(connection)
                self._send_locks.pop(id(connection), None)

    def _send(self, message: dict[str, Any], timeout: float, turn: int | None = None) -> None:
        connections = self.state.wait_for(self._serving_connections, timeout)
        with self.state.changing():
            self._deliveries += 1
            connection = connections[
                (self._deliveries if turn is None else turn) % len(connections)
            ]
            if message.get("type") == "disconnect":
                self._retiring.add(id(connection))
        self._send_on(connection, message)
        with self.state.changing():
            self._sent.append(message)
            if "envelope_id" in message:
                self.delivered_to[message["envelope_id"]] = self._numbers[id(connection)]

    def _serving_connections(self) -> list[ServerConnection]:
        """Open connections not asked to go away (Slack stops using one it disconnects)."""
        return [each for each in self._connections if id(each) not in self._retiring]

    def _send_on(self, connection: ServerConnection, message: dict[str, Any]) -> None:
        with self.state.reading():
            lock = self._send_locks.get(id(connection))
        if lock is None:
            raise ConnectionError("the app's connection closed before the message was sent")
        with lock:
            connection.send(json.dumps(message))


def _accepts_response(type_: str, payload: dict[str, Any]) -> bool:
    """Slash commands and view submissions take a response body in the ack."""
    if type_ == "slash_commands":
        return True
    return type_ == "interactive" and payload.get("type") == "view_submission"


def _decode(raw: str | bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return {"unparsed": raw if isinstance(raw, str) else raw.decode("utf-8", "replace")}
