"""What is specific to PostgresStore: replicas racing on one database, migrations, its clock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import psycopg
import pytest

from storage.migrations import SchemaTooNewError
from storage.postgres import PostgresStore
from storage.postgres_schema import SCHEMA_VERSION
from storage.protocol import STALE_FAILURE
from tests.storage.stores import FakeClock, make_draft
from tests.waiting import wait_until

T = TypeVar("T")
REPLICAS = 2
THREADS = 16


@pytest.fixture
def replicas(postgres_url: str, clock: FakeClock) -> Iterator[list[PostgresStore]]:
    """Two stores with their own pools on one database, as two replicas would have."""
    stores = [PostgresStore(postgres_url, clock=clock, pool_size=THREADS) for _ in range(2)]
    yield stores
    for store in stores:
        store.close()


def all_at_once(stores: list[PostgresStore], call: Callable[[PostgresStore], T]) -> list[T]:
    """`call` from THREADS threads spread over the stores, released together."""
    barrier = threading.Barrier(THREADS)

    def run(index: int) -> T:
        barrier.wait()
        return call(stores[index % len(stores)])

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def test_one_key_claimed_on_every_replica_at_once_is_new_exactly_once(
    replicas: list[PostgresStore],
) -> None:
    states = all_at_once(replicas, lambda store: store.claim("view-1", make_draft()).state)
    assert sorted(states) == ["new"] + ["pending"] * (THREADS - 1)


def test_replicas_sweeping_together_hand_out_each_orphan_once(
    replicas: list[PostgresStore], clock: FakeClock
) -> None:
    keys = [f"k{index}" for index in range(40)]
    for key in keys:
        replicas[0].claim(key, make_draft())
    for key in ("k7", "k17", "k27", "k37"):
        replicas[0].fail(key, "Drift refused", ambiguous=False, outbox=key)
    clock.advance(60)

    swept = all_at_once(replicas, lambda store: [s.key for s in store.expire_stale()])
    taken = all_at_once(replicas, lambda store: [u.key for u in store.take_undelivered()])

    told = sorted(key for batch in swept for key in batch)
    assert told == sorted(key for key in keys if not key.endswith("7"))
    assert sorted(key for batch in taken for key in batch) == ["k17", "k27", "k37", "k7"]


def test_replicas_starting_together_migrate_once(postgres_url: str) -> None:
    barrier = threading.Barrier(4)

    def start() -> PostgresStore:
        barrier.wait()
        return PostgresStore(postgres_url, pool_size=1)

    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: start(), range(4)))
    for store in stores:
        store.close()
    with psycopg.connect(postgres_url) as connection:
        versions = connection.execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(SCHEMA_VERSION,)]


def test_a_database_newer_than_the_code_stops_start_up(postgres_url: str) -> None:
    PostgresStore(postgres_url, pool_size=1).close()
    with psycopg.connect(postgres_url) as connection:
        connection.execute("UPDATE schema_version SET version = version + 1")

    with pytest.raises(SchemaTooNewError, match="newer than this drift-open supports"):
        PostgresStore(postgres_url, pool_size=1)


def test_without_a_clock_staleness_follows_the_databases_clock(postgres_url: str) -> None:
    with PostgresStore(postgres_url, pool_size=2, stale_after=0.2) as store:
        assert store.claim("k", make_draft()).state == "new"
        assert store.claim("k", make_draft()).state == "pending"

        wait_until(lambda: store.claim("k", make_draft()).state == "failed", timeout=10)

        assert store.claim("k", make_draft()).failure == STALE_FAILURE


def test_a_closed_pool_is_a_problem_for_the_health_check(postgres_url: str) -> None:
    store = PostgresStore(postgres_url, pool_size=1)
    assert store.problem() == ""
    store.close()
    assert "cannot be reached" in store.problem()


def test_wrong_credentials_fail_without_echoing_the_password(postgres_url: str) -> None:
    wrong = postgres_url.replace("@127.0.0.1", "x@127.0.0.1").replace("drift:", "drift:hunter2")
    with pytest.raises(psycopg.OperationalError) as caught:
        PostgresStore(wrong, pool_size=1)
    assert "password authentication failed" in str(caught.value)
    assert "hunter2" not in str(caught.value)
