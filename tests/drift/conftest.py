"""Fixtures for the drift/ tests: a client wired to `responses`, a recording sleep, a scripted
loopback HTTP server on 127.0.0.1, a closed port, Drift payload factories, and one
conversation payload with the `create` call that posts it."""

from __future__ import annotations

import json
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
import responses
from responses.registries import OrderedRegistry

from drift.client import DriftClient
from drift.models import Conversation

BASE_URL = "https://driftapi.test"
TOKEN = "drift-test-token-0123456789"
SERVER_WAIT = 10.0
USERS_URL = f"{BASE_URL}/users/list"
NEW_URL = f"{BASE_URL}/conversations/new"
CONVERSATION = {"status": "open", "participants": [21849], "contactId": 9, "id": 46, "inboxId": 11}
EXPECTED_CONVERSATION = Conversation(
    id=46, inbox_id=11, contact_id=9, status="open", participants=(21849,)
)


def create(client: DriftClient, assignee_id: int | None = None) -> Conversation:
    return client.create_conversation(
        email="lead@example.com",
        body_html="<p>Hello</p>",
        integration_source="Slack",
        assignee_id=assignee_id,
    )


class SleepRecorder:
    """Stands in for time.sleep: remembers every requested pause and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """`responses` at the transport layer; replies are served in the order they are added."""
    with responses.RequestsMock(registry=OrderedRegistry) as mock:
        yield mock


@pytest.fixture
def client(sleeps: SleepRecorder) -> Iterator[DriftClient]:
    with DriftClient(BASE_URL, TOKEN, sleep=sleeps) as drift:
        yield drift


@pytest.fixture
def make_user() -> Callable[..., dict[str, Any]]:
    def make(user_id: int = 21849, **fields: Any) -> dict[str, Any]:
        payload = {
            "id": user_id,
            "orgId": 77,
            "name": f"User {user_id}",
            "email": f"user{user_id}@example.com",
            "availability": "AVAILABLE",
            "role": "agent",
            "verified": True,
            "bot": False,
        }
        payload.update(fields)
        return payload

    return make


@pytest.fixture
def make_response() -> Callable[..., requests.Response]:
    """A real requests.Response for `status`/`body`, sent with our bearer header."""

    def make(
        status: int,
        body: str | dict[str, Any] | bytes = "",
        *,
        headers: dict[str, str] | None = None,
        method: str = "GET",
    ) -> requests.Response:
        with responses.RequestsMock() as mock, requests.Session() as session:
            payload = json.dumps(body) if isinstance(body, dict) else body
            mock.add(method, f"{BASE_URL}/x", body=payload, status=status, headers=headers)
            return session.request(
                method, f"{BASE_URL}/x", headers={"Authorization": f"Bearer {TOKEN}"}
            )

    return make


@dataclass
class Reply:
    """One scripted answer; `before` runs first (e.g. block on an Event or a Barrier)."""

    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    before: Callable[[], object] | None = None
    drop: bool = False  # close the connection instead of answering


class LoopbackDrift:
    """A threaded HTTP/1.1 server on 127.0.0.1 answering from a script; records every request."""

    def __init__(self, port: int = 0) -> None:
        self.script: deque[Reply] = deque()
        self.default = Reply()
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def next_reply(self, method: str, path: str) -> Reply:
        with self.lock:
            self.requests.append((method, path))
            return self.script.popleft() if self.script else self.default

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(SERVER_WAIT)


def _handler_for(drift: LoopbackDrift) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            reply = drift.next_reply(self.command, self.path)
            if reply.before is not None:
                reply.before()
            if reply.drop:
                self.close_connection = True
                return
            payload = json.dumps(reply.body).encode()
            self.send_response(reply.status)
            for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def loopback() -> Iterator[LoopbackDrift]:
    server = LoopbackDrift()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 whose port was just released, so connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
