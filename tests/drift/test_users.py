"""Tests for drift/users.py: the TTL snapshot, email matching, overrides, single flight."""

from __future__ import annotations

import re
import threading

import pytest

from drift.errors import DriftNotFoundError, DriftServerError
from drift.models import DriftUser
from drift.users import UserDirectory, parse_user_map
from tests.caching.waiters import CountedFuture, count_waiters
from tests.clock import FakeClock
from tests.waiting import wait_until

WAIT = 10.0


class FakeUserSource:
    """Stands in for DriftClient: counts list_users calls, can block on a gate or fail."""

    def __init__(self, users: list[DriftUser]) -> None:
        self.users = users
        self.failure: Exception | None = None
        self.gate: threading.Event | None = None
        self.list_calls = 0
        self.get_calls: list[int] = []
        self._lock = threading.Lock()

    def list_users(self) -> list[DriftUser]:
        with self._lock:
            self.list_calls += 1
        if self.gate is not None:
            assert self.gate.wait(WAIT), "the test never opened the gate"
        if self.failure is not None:
            raise self.failure
        return list(self.users)

    def get_user(self, user_id: int) -> DriftUser:
        self.get_calls.append(user_id)
        for user in self.users:
            if user.id == user_id:
                return user
        raise DriftNotFoundError(404, "not_found", f"no user {user_id}")


def user(user_id: int, email: str, *, bot: bool = False, verified: bool = True) -> DriftUser:
    return DriftUser(id=user_id, name=f"User {user_id}", email=email, bot=bot, verified=verified)


ALICE = user(1, "Alice@Example.com")
BOT = user(2, "bot@example.com", bot=True)
BOB = user(3, "bob@example.com")


@pytest.fixture
def source() -> FakeUserSource:
    return FakeUserSource([ALICE, BOT, BOB])


@pytest.fixture
def directory(source: FakeUserSource, clock: FakeClock) -> UserDirectory:
    return UserDirectory(source, ttl=600, timer=clock, overrides={"U123": 21849})


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("alice@example.com", ALICE),
        ("  ALICE@example.COM \n", ALICE),
        ("bob@example.com", BOB),
        ("bot@example.com", None),
        ("nobody@example.com", None),
        ("", None),
    ],
)
def test_find_by_email(directory, email, expected) -> None:
    assert directory.find_by_email(email) == expected


def test_blank_email_does_not_load_the_directory(directory, source) -> None:
    assert directory.find_by_email("   ") is None
    assert source.list_calls == 0


@pytest.mark.parametrize("order", [1, -1])
def test_a_verified_user_wins_a_shared_email(clock, order) -> None:
    unverified = user(10, "shared@example.com", verified=False)
    verified = user(11, "SHARED@example.com", verified=True)
    directory = UserDirectory(FakeUserSource([unverified, verified][::order]), timer=clock)

    assert directory.find_by_email("shared@example.com") == verified


def test_snapshot_is_reused_within_the_ttl_including_misses(directory, source, clock) -> None:
    directory.find_by_email("alice@example.com")
    clock.advance(599)
    directory.find_by_email("nobody@example.com")
    directory.find_by_email("bob@example.com")

    assert source.list_calls == 1


def test_snapshot_expires_after_the_ttl(directory, source, clock) -> None:
    directory.find_by_email("alice@example.com")
    source.users = [user(4, "alice@example.com")]
    clock.advance(601)

    assert directory.find_by_email("alice@example.com") == user(4, "alice@example.com")
    assert source.list_calls == 2


def test_overrides_need_no_users_list(directory, source) -> None:
    assert directory.override_for("U123") == 21849
    assert directory.override_for("U999") is None
    assert source.list_calls == 0


def test_overrides_are_copied(source, clock) -> None:
    overrides = {"U1": 5}
    directory = UserDirectory(source, timer=clock, overrides=overrides)
    overrides["U1"] = 6

    assert directory.override_for("U1") == 5


def test_get_user_prefers_the_snapshot(directory, source) -> None:
    assert directory.get_user(2) == BOT
    assert source.get_calls == []


def test_get_user_falls_back_to_drift(directory, source) -> None:
    source.users = [ALICE]
    directory.find_by_email("alice@example.com")  # the snapshot holds Alice only
    source.users = [ALICE, BOB]

    assert directory.get_user(3) == BOB
    assert directory.get_user(99) is None
    assert source.get_calls == [3, 99]


def test_errors_are_not_cached(directory, source) -> None:
    source.failure = DriftServerError(503, None, "down")
    with pytest.raises(DriftServerError):
        directory.find_by_email("alice@example.com")

    source.failure = None
    assert directory.find_by_email("alice@example.com") == ALICE
    assert source.list_calls == 2


def _run_concurrently(
    directory: UserDirectory, source: FakeUserSource, threads: int, waiters: type[CountedFuture]
) -> list:
    """`threads` lookups at once, list_users held until all but the loader wait for it."""
    source.gate = threading.Event()
    start = threading.Barrier(threads)
    results: list = [None] * threads

    def lookup(index: int) -> None:
        start.wait(WAIT)
        try:
            results[index] = directory.find_by_email("alice@example.com")
        except Exception as exc:
            results[index] = exc

    workers = [threading.Thread(target=lookup, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    wait_until(lambda: source.list_calls == 1 and waiters.waiting == threads - 1, timeout=WAIT)
    source.gate.set()
    for worker in workers:
        worker.join(WAIT)
    assert not any(worker.is_alive() for worker in workers)
    return results


def test_cold_cache_is_loaded_once_for_many_threads(directory, source, monkeypatch) -> None:
    results = _run_concurrently(directory, source, 40, count_waiters(monkeypatch))

    assert results == [ALICE] * 40
    assert source.list_calls == 1


def test_a_failed_load_reaches_every_waiter_and_is_not_cached(
    directory, source, monkeypatch
) -> None:
    source.failure = DriftServerError(503, None, "down")

    results = _run_concurrently(directory, source, 30, count_waiters(monkeypatch))

    assert all(isinstance(result, DriftServerError) for result in results)
    assert source.list_calls == 1
    source.failure = None
    assert directory.find_by_email("alice@example.com") == ALICE
    assert source.list_calls == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("   ", {}),
        ("U123=21849", {"U123": 21849}),
        ("U123=21849,U456=998", {"U123": 21849, "U456": 998}),
        (" U123 = 21849 ,  W456=998 , ", {"U123": 21849, "W456": 998}),
        ("U1=1\nU2=2", {"U1": 1, "U2": 2}),
    ],
)
def test_parse_user_map(text: str, expected: dict[str, int]) -> None:
    assert parse_user_map(text) == expected


@pytest.mark.parametrize(
    ("text", "bad_entry", "reason"),
    [
        ("U123", "U123", "no '='"),
        ("U123=21849,U456", "U456", "no '='"),
        ("U123=abc", "U123=abc", "not a positive Drift user id"),
        ("U123=", "U123=", "not a positive Drift user id"),
        ("U123=0", "U123=0", "not a positive Drift user id"),
        ("U123=-5", "U123=-5", "not a positive Drift user id"),
        ("U123=1.5", "U123=1.5", "not a positive Drift user id"),
        ("U123=²", "U123=²", "not a positive Drift user id"),
        ("=5", "=5", "not a Slack user id"),
        ("u123=5", "u123=5", "not a Slack user id"),
        ("C123=5", "C123=5", "not a Slack user id"),
        ("U1=1,U1=2", "U1=2", "more than once"),
    ],
)
def test_parse_user_map_names_the_bad_entry(text: str, bad_entry: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad_entry))) as caught:
        parse_user_map(text)

    assert reason in str(caught.value)
