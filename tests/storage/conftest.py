"""Fixtures shared by the store tests: a fresh SQLite file per test and a store on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.sqlite import SqliteStore
from tests.clock import FakeClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "drift-open.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[SqliteStore]:
    with SqliteStore(db_path, clock=clock) as opened:
        yield opened
