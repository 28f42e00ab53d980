"""The outbox: recorded with the outcome, handed out again only when its owner is gone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.protocol import STALE_AFTER_SECONDS, Store, Undelivered
from storage.sqlite import SqliteStore
from storage.sqlite_schema import MIGRATIONS, SCHEMA_VERSION
from tests.storage.stores import FakeClock, make_draft, make_record

LATER = STALE_AFTER_SECONDS + 0.1


@pytest.mark.parametrize("outcome", ["complete", "fail"])
def test_an_outcome_keeps_its_message_until_delivered(
    store: Store, clock: FakeClock, outcome: str
) -> None:
    store.claim("k1", make_draft())
    if outcome == "complete":
        store.complete("k1", make_record("k1"), outbox='{"m": 1}')
    else:
        store.fail("k1", "Drift said no", ambiguous=False, outbox='{"m": 1}')
    assert store.take_undelivered() == []  # its owner just wrote it
    clock.advance(LATER)
    assert store.take_undelivered() == [Undelivered("k1", '{"m": 1}')]
    assert store.take_undelivered() == []  # taken: fresh again for its new owner
    store.delivered("k1")
    clock.advance(LATER)
    assert store.take_undelivered() == []


def test_a_touched_message_is_never_handed_out(store: Store, clock: FakeClock) -> None:
    store.claim("k1", make_draft())
    store.complete("k1", make_record("k1"), outbox="m")
    for _ in range(5):
        clock.advance(STALE_AFTER_SECONDS - 1)
        store.touch(["k1"])
        assert store.take_undelivered() == []


def test_an_outcome_without_a_message_queues_nothing(store: Store, clock: FakeClock) -> None:
    store.claim("k1", make_draft())
    store.complete("k1", make_record("k1"))
    clock.advance(LATER)
    assert store.take_undelivered() == []


def test_messages_come_back_oldest_first(store: Store, clock: FakeClock) -> None:
    for key in ("a", "b", "c"):
        store.fail(key, "no", ambiguous=False, outbox=key)
        clock.advance(1)
    clock.advance(LATER)
    assert [item.key for item in store.take_undelivered()] == ["a", "b", "c"]


def test_a_version_1_file_gains_the_outbox(db_path: Path, clock: FakeClock) -> None:
    with sqlite3.connect(db_path) as old:
        for statement in MIGRATIONS[0].statements:
            old.execute(statement)
        old.execute("PRAGMA user_version = 1")
    with SqliteStore(db_path, clock=clock) as store:
        store.fail("k", "no", ambiguous=False, outbox="m")
    with sqlite3.connect(db_path) as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert upgraded.execute("SELECT key FROM outbox").fetchall() == [("k",)]


def test_a_version_2_file_gains_the_sync_tables(db_path: Path, clock: FakeClock) -> None:
    with sqlite3.connect(db_path) as old:
        for migration in MIGRATIONS[:2]:
            for statement in migration.statements:
                old.execute(statement)
        old.execute("PRAGMA user_version = 2")
    with SqliteStore(db_path, clock=clock) as store:
        assert store.enqueue_mirror("k", "p") is True
        assert store.hold_lease("poller", "a", ttl=5) is True
    with sqlite3.connect(db_path) as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
