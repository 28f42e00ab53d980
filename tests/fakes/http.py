"""A threaded loopback HTTP server for the fakes: parsed requests in, canned replies out.

A route function receives an `HttpRequest` and returns an `HttpReply`, or `DROP` to close the
socket without answering (the ambiguous "did it arrive?" case).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit


class Drop:
    """The type of DROP: answer nothing and close the connection."""

    def __repr__(self) -> str:
        return "DROP"


DROP: Final = Drop()


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # names lower-cased
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """The body as an urlencoded form (first value of each field)."""
        fields = parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        return {name: values[0] for name, values in fields.items()}

    def bearer_token(self) -> str | None:
        scheme, _, credentials = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return None
        return credentials.strip()


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> HttpReply:
        extra = tuple((headers or {}).items())
        return cls(
            status,
            json.dumps(payload).encode("utf-8"),
            (("Content-Type", "application/json; charset=utf-8"), *extra),
        )

    @classmethod
    def text(cls, status: int, text: str) -> HttpReply:
        return cls(status, text.encode("utf-8"), (("Content-Type", "text/plain; charset=utf-8"),))


Route = Callable[[HttpRequest], "HttpReply | Drop"]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Python's default listen backlog is 5; Slack and Drift take bursts without resetting.
    request_queue_size = 128

    def __init__(self, route: Route, errors: list[str]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.route = route
        self.open_sockets: set[socket.socket] = set()
        self.errors = errors
        self.guard = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.guard:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.guard:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout, drop) is expected; anything else is a fake bug."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = HttpRequest(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        try:
            reply = self.server.route(request)
        except Exception:
            self.server.errors.append(traceback.format_exc())
            reply = HttpReply.text(500, "fake server error")
        if isinstance(reply, Drop):
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()


@dataclass
class LoopbackHttpServer:
    """Serves `route` on 127.0.0.1 on a free port from a daemon thread."""

    route: Route
    errors: list[str] = field(default_factory=list, init=False)
    """Tracebacks of exceptions raised inside the route (each answered with a 500)."""
    _server: _Server | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("already started")
        self._server = _Server(self.route, self.errors)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        with server.guard:
            sockets = list(server.open_sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("not started")
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"
