"""A database file deleted or replaced while the app runs is noticed, not silently written to."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from storage.protocol import Store
from storage.sqlite import SqliteStore
from tests.storage.stores import make_draft


def test_a_healthy_store_has_no_problem(store: Store) -> None:
    assert store.problem() == ""


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_vanished_file_refuses_writes_and_says_so_once(
    sqlite_store: SqliteStore, db_path: Path, how: str, caplog
) -> None:
    store = sqlite_store
    db_path.unlink()
    if how == "replaced":
        db_path.write_bytes(b"")
    with pytest.raises(sqlite3.OperationalError, match="deleted or replaced"):
        store.claim("k1", make_draft())
    assert "deleted or replaced" in store.problem()
    with pytest.raises(sqlite3.OperationalError):
        store.save_draft(make_draft())
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].getMessage().startswith("DRIFT_OPEN_DB: the database file ")
