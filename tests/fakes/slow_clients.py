"""A slow-header flood against a loopback HTTP server, for the e2e tests and the crash run."""

from __future__ import annotations

import socket
import threading


class Trickle:
    """Sockets that each send a request line, then one header line every `every` seconds:
    a slow-header (slowloris) flood."""

    def __init__(self, port: int, count: int, *, every: float = 2.0) -> None:
        self.every = every
        self.sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
        for sock in self.sockets:
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.closed_by_server = 0
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        line = 0
        while not self._stop.wait(self.every):
            line += 1
            for sock in list(self.sockets):
                try:
                    sock.sendall(f"X-Slow-{line}: a\r\n".encode())
                except OSError:
                    with self._changed:
                        self.sockets.remove(sock)
                        self.closed_by_server += 1
                        self._changed.notify_all()

    def wait_all_closed(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: not self.sockets, timeout)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for sock in self.sockets:
            sock.close()
