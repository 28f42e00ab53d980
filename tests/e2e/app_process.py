"""Run `python app.py` as a real child process and wait for it with deadlines, never sleeps.

Used by the end-to-end suite and the benchmarks. The process gets only the environment given
(plus PATH), its output is collected on a thread, and `stop()` sends SIGTERM and waits.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AppProcess:
    """`python app.py [args]` with `environ`; HTTP mode listens on 127.0.0.1:`port`."""

    def __init__(self, environ: Mapping[str, str], *, args: tuple[str, ...] = ()) -> None:
        self.port = int(environ.get("PORT") or free_port())
        self.environ = {
            "PATH": os.environ.get("PATH", ""),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "PYTHONUNBUFFERED": "1",
            **environ,
        }
        self.args = args
        self._process: subprocess.Popen[str] | None = None
        self._lines: list[str] = []
        self._lines_changed = threading.Condition()
        self.started_at = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the app process has not been started")
        return self._process.pid

    @property
    def output(self) -> str:
        with self._lines_changed:
            return "".join(self._lines)

    def command(self) -> list[str]:
        """The child's command line; subclasses run something else the same way."""
        return [sys.executable, str(ROOT / "app.py"), *self.args]

    def start(self) -> AppProcess:
        self.started_at = time.monotonic()
        self._process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._collect, daemon=True).start()
        return self

    def _collect(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            with self._lines_changed:
                self._lines.append(line)
                self._lines_changed.notify_all()

    def wait_for_output(self, text: str, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._lines_changed:
            while text not in "".join(self._lines):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lines_changed.wait(remaining)
        return True

    def wait_until_healthy(self, timeout: float = 20.0) -> float:
        """Poll /healthz until it answers 200; returns seconds since start()."""
        deadline = time.monotonic() + timeout
        with requests.Session() as http:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    code = self._process.returncode
                    raise RuntimeError(f"app exited with {code}:\n{self.output}")
                try:
                    if http.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                        return time.monotonic() - self.started_at
                except requests.ConnectionError:
                    pass
                threading.Event().wait(0.02)
        raise TimeoutError(f"app not healthy after {timeout}s:\n{self.output}")

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait for a graceful exit (kill after `timeout`)."""
        if self._process is None:
            return 0
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        return self._process.returncode

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
