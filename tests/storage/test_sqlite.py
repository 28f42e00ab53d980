"""Tests for handlers/sqlite_store.py: threads and processes on one file, restarts, the schema."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections import Counter
from contextlib import closing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from storage.protocol import DRAFT_TTL_SECONDS
from storage.sqlite import SqliteStore
from storage.sqlite_schema import SCHEMA_VERSION
from tests.storage.stores import FakeClock, make_draft, make_record


@pytest.fixture
def store(sqlite_store: SqliteStore) -> SqliteStore:
    """What this module tests is SQLite's own; the contract runs on both in test_protocol.py."""
    return sqlite_store


@pytest.mark.parametrize("store_count", [1, 2])
def test_concurrent_claims_of_one_key_give_exactly_one_new(
    db_path: Path, clock: FakeClock, store_count: int
) -> None:
    stores = [SqliteStore(db_path, clock=clock) for _ in range(store_count)]
    thread_count = 20
    barrier = threading.Barrier(thread_count)
    states: list[str] = []
    states_lock = threading.Lock()

    def claim_once(index: int) -> None:
        barrier.wait(timeout=30)
        claim = stores[index % store_count].claim("double-click", make_draft())
        with states_lock:
            states.append(claim.state)

    threads = [threading.Thread(target=claim_once, args=(i,)) for i in range(thread_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for opened in stores:
        opened.close()

    assert Counter(states) == {"new": 1, "pending": thread_count - 1}


def claim_in_process(path: str, barrier: Barrier, results: Queue[str]) -> None:
    try:
        with SqliteStore(path) as opened:
            barrier.wait(timeout=60)
            results.put(opened.claim("resubmitted", make_draft()).state)
    except Exception as error:
        results.put(f"error: {error!r}")
        raise


def test_concurrent_claims_from_separate_processes_give_exactly_one_new(db_path: Path) -> None:
    SqliteStore(db_path).close()
    context = multiprocessing.get_context("spawn")
    process_count = 4
    barrier = context.Barrier(process_count)
    results = context.Queue()
    processes = [
        context.Process(target=claim_in_process, args=(str(db_path), barrier, results))
        for _ in range(process_count)
    ]
    for process in processes:
        process.start()
    states = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)

    assert Counter(states) == {"new": 1, "pending": process_count - 1}
    assert [process.exitcode for process in processes] == [0] * process_count


def test_two_stores_on_one_file_see_the_same_state(db_path: Path, clock: FakeClock) -> None:
    with (
        SqliteStore(db_path, clock=clock) as first,
        SqliteStore(db_path, clock=clock) as second,
    ):
        assert first.claim("view-1", make_draft()).state == "new"
        assert second.claim("view-1", make_draft()).state == "pending"
        first.complete("view-1", make_record("view-1"))
        draft_id = first.save_draft(make_draft("kept"))

        assert second.claim("view-1", make_draft()).record == make_record("view-1")
        assert second.find_by_message("T1", "C1", "1.000100") == make_record("view-1")
        assert second.load_draft(draft_id) == make_draft("kept")


def test_stale_after_is_configurable(db_path: Path, clock: FakeClock) -> None:
    with SqliteStore(db_path, clock=clock, stale_after=5.0) as short_lived:
        short_lived.claim("view-1", make_draft())
        clock.advance(5.0)

        assert short_lived.claim("view-1", make_draft()).state == "failed"


def test_drafts_expire_after_a_week_and_are_pruned(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    old_id = store.save_draft(make_draft("old"))
    clock.advance(DRAFT_TTL_SECONDS - 1)
    assert store.load_draft(old_id) == make_draft("old")

    clock.advance(2)
    new_id = store.save_draft(make_draft("new"))

    assert store.load_draft(old_id) is None
    with closing(sqlite3.connect(db_path)) as raw:
        remaining = [row[0] for row in raw.execute("SELECT id FROM drafts")]
    assert remaining == [new_id]


def test_state_survives_a_restart(db_path: Path, clock: FakeClock) -> None:
    with SqliteStore(db_path, clock=clock) as before:
        before.claim("done-key", make_draft())
        before.complete("done-key", make_record("done-key"))
        before.claim("failed-key", make_draft())
        before.fail("failed-key", "Drift timed out", ambiguous=True)
        before.claim("crashed-key", make_draft())
        draft_id = before.save_draft(make_draft("Try again with this"))

    clock.advance(121)
    with SqliteStore(db_path, clock=clock) as after:
        assert after.claim("done-key", make_draft()).record == make_record("done-key")
        assert after.claim("failed-key", make_draft()).failure == "Drift timed out"
        assert after.claim("crashed-key", make_draft()).ambiguous is True
        assert after.load_draft(draft_id) == make_draft("Try again with this")
        assert after.recent_for_user("T1", "U1") == [make_record("done-key")]


def test_opening_sets_wal_and_the_schema_version(store: SqliteStore, db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_opening_a_newer_schema_fails_clearly(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")

    with pytest.raises(RuntimeError, match="newer than this drift-open supports"):
        SqliteStore(db_path)
