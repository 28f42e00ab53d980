"""waitress, tuned to face the open internet: a deadline per request, many idle sockets, a cap
on headers and bodies.

waitress reads sockets asynchronously, so idle connections cost no thread, but it closes a
connection only after `channel_timeout` seconds without *any* byte: a client that trickles one
header line every two seconds keeps its socket forever, and 100 of them (the default
`connection_limit`) stop it accepting anyone else. `DeadlineServer` closes every connection
whose request is not complete `request_timeout` seconds after its first byte, and the
connection limit is raised to what the process's file descriptors allow. A body over
`max_request_body_size` is refused by waitress with 413 from its Content-Length, unread.
"""

from __future__ import annotations

import resource
import time
from typing import Any, cast

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

REQUEST_TIMEOUT_SECONDS = 10.0
MAX_CONNECTIONS = 1000
SPARE_DESCRIPTORS = 64  # for the database, Slack and Drift sockets, logs
MAX_HEADER_BYTES = 32 * 1024


class DeadlineChannel(HTTPChannel):
    """Remembers when the request it is reading began."""

    request_started = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_started = time.time()
        return bool(super().received(data))


class DeadlineServer(TcpWSGIServer):
    """TcpWSGIServer whose housekeeping also closes requests that are too slow to arrive."""

    channel_class = DeadlineChannel
    request_timeout = REQUEST_TIMEOUT_SECONDS

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # type: ignore[arg-type]  # the stub says int; it is time.time()
        cutoff = now - self.request_timeout
        channels = cast(dict[int, Any], self.active_channels)  # the stub types it as one channel
        for channel in list(channels.values()):
            request = getattr(channel, "request", None)
            started = getattr(channel, "request_started", now)
            if request is not None and not request.completed and started < cutoff:
                channel.will_close = True


def connection_limit(wanted: int = MAX_CONNECTIONS) -> int:
    """`wanted`, or fewer when the soft RLIMIT_NOFILE would not leave spare descriptors."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, soft - SPARE_DESCRIPTORS))


def create_http_server(
    wsgi: Any,
    *,
    host: str,
    port: int,
    threads: int,
    max_body: int,
    request_timeout: float = REQUEST_TIMEOUT_SECONDS,
) -> DeadlineServer:
    """The listening server; `run()` serves until `close()`."""
    server = DeadlineServer(
        wsgi,
        host=host,
        port=port,
        threads=threads,
        connection_limit=connection_limit(),
        cleanup_interval=1,
        asyncore_use_poll=True,  # select() cannot watch descriptors past 1,024
        channel_timeout=max(1, int(request_timeout) * 6),
        max_request_header_size=MAX_HEADER_BYTES,
        max_request_body_size=max_body,
        ident="drift-open",
    )
    server.request_timeout = request_timeout
    return server


def bound_port(server: DeadlineServer) -> int:
    """The port the server listens on (the one the OS chose when asked for 0)."""
    if server.socket is None:
        raise RuntimeError("the HTTP server is not listening")
    return int(server.socket.getsockname()[1])
