"""Fixtures shared by the store tests: a fresh store per test, on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.postgres import PostgresStore
from storage.protocol import Store
from storage.sqlite import SqliteStore
from tests.clock import FakeClock
from tests.postgres_server import PostgresServer

BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "drift-open.sqlite3"


@pytest.fixture
def sqlite_store(db_path: Path, clock: FakeClock) -> Iterator[SqliteStore]:
    with SqliteStore(db_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    return postgres.new_schema()


@pytest.fixture
def postgres_store(postgres_url: str, clock: FakeClock) -> Iterator[PostgresStore]:
    with PostgresStore(postgres_url, clock=clock, pool_size=4) as opened:
        yield opened


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Store:
    """The contract tests run once per backend."""
    chosen: Store = request.getfixturevalue(f"{request.param}_store")
    return chosen
