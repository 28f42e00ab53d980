"""A throwaway PostgreSQL 15 server for the tests: its own data directory, loopback, removed after.

`initdb` refuses to run as root (CI runs as root), so as root the server runs as the `postgres`
system user. `DRIFT_OPEN_TEST_DATABASE_URL` points the suite at an existing server instead.
Each test gets its own schema (fast) or its own database (for whole processes).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

BIN_DIR = Path(os.environ.get("DRIFT_OPEN_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "drift"
START_DEADLINE_SECONDS = 30.0
# Durability off: a test database is thrown away, and fsync dominates its run time otherwise.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PostgresUnavailable(RuntimeError):
    """No server could be started or reached; the message says why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def with_path(url: str, database: str, search_path: str = "") -> str:
    parts = urlsplit(url)
    query = f"options={quote('-csearch_path=' + search_path)}" if search_path else parts.query
    return urlunsplit(parts._replace(path="/" + database, query=query))


class PostgresServer:
    """One server: `start()` (or `external(url)`), `new_schema()`, `new_database()`, `stop()`."""

    def __init__(self, url: str = "", process: subprocess.Popen[bytes] | None = None) -> None:
        self.url = url
        self._process = process
        self._directory: Path | None = None
        self._counter = 0

    @classmethod
    def external(cls, url: str) -> PostgresServer:
        server = cls(url)
        server.wait_until_ready(START_DEADLINE_SECONDS)
        return server

    @classmethod
    def start(cls, *, durable: bool = False) -> PostgresServer:
        """A new server; `durable` keeps PostgreSQL's fsync defaults (for benchmarks)."""
        if not (BIN_DIR / "initdb").exists():
            raise PostgresUnavailable(f"no PostgreSQL server binaries in {BIN_DIR}")
        server = cls()
        try:
            server._start(durable)
        except BaseException:
            server.stop()
            raise
        return server

    def _start(self, durable: bool) -> None:
        directory = Path(tempfile.mkdtemp(prefix="drift-open-pg-"))
        self._directory = directory
        password = secrets.token_hex(12)
        (directory / "password").write_text(password)
        as_user = self._run_as()
        if as_user:
            account = pwd.getpwnam(as_user[2])
            for path in (directory, directory / "password"):
                os.chown(path, account.pw_uid, account.pw_gid)
        initdb = [str(BIN_DIR / "initdb"), "-D", str(directory / "data"), "-U", USER]
        initdb += ["--auth=scram-sha-256", f"--pwfile={directory / 'password'}", "--no-sync"]
        result = subprocess.run([*as_user, *initdb], capture_output=True, check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {result.stderr.decode()[-300:]}")
        port = free_port()
        command = [str(BIN_DIR / "postgres"), "-D", str(directory / "data"), "-p", str(port)]
        command += ["-k", str(directory), "-c", "listen_addresses=127.0.0.1"]
        command += ["-c", "max_connections=500", "-c", "log_min_messages=fatal"]
        for setting in () if durable else FAST_SETTINGS:
            command += ["-c", setting]
        self._process = subprocess.Popen(
            [*as_user, *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.url = f"postgresql://{USER}:{password}@127.0.0.1:{port}/postgres"
        self.wait_until_ready(START_DEADLINE_SECONDS)

    @staticmethod
    def _run_as() -> Sequence[str]:
        if os.geteuid() != 0:
            return ()
        return ("runuser", "-u", "postgres", "--")

    def wait_until_ready(self, deadline_seconds: float) -> None:
        deadline = time.monotonic() + deadline_seconds
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                error = self._process.stderr.read().decode() if self._process.stderr else ""
                raise PostgresUnavailable(f"postgres exited: {error[-300:]}")
            try:
                with psycopg.connect(self.url, connect_timeout=2):
                    return
            except psycopg.OperationalError as exc:
                last = exc
                threading.Event().wait(0.05)
        raise PostgresUnavailable(f"no PostgreSQL answered: {last}")

    def new_schema(self) -> str:
        """A URL whose connections see only a new, empty schema."""
        name = self._next_name("t")
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{name}"')  # type: ignore[arg-type]
        return with_path(self.url, urlsplit(self.url).path.lstrip("/"), name)

    def new_database(self) -> str:
        """A URL of a new, empty database (for whole processes and their own pools)."""
        name = self._next_name("db")
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        return with_path(self.url, name)

    def _next_name(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}_{os.getpid()}_{self._counter}_{secrets.token_hex(3)}"

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process is not None and self._process.stderr:
            self._process.stderr.close()
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
