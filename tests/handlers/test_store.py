"""Tests for handlers/store.py: at-most-once claims, conversation lookups, drafts, restarts."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from handlers.drafts import Draft, Origin
from handlers.store import (
    DRAFT_TTL_SECONDS,
    SCHEMA_VERSION,
    STALE_FAILURE,
    Claim,
    ConversationRecord,
    SqliteStore,
    StaleSubmission,
)

START = 1_750_000_000.0


class FakeClock:
    """A wall clock that only moves when a test advances it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "drift-open.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[SqliteStore]:
    with SqliteStore(db_path, clock=clock) as opened:
        yield opened


def make_draft(text: str = "Customer asks about pricing", **origin: str) -> Draft:
    fields = {"team_id": "T1", "user_id": "U1", "channel_id": "C1", "message_ts": "1.000100"}
    fields.update(origin)
    return Draft(
        origin=Origin(**fields),
        email="customer@example.com",
        message={
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        },
        assignee_id="U2",
    )


def make_record(key: str, conversation_id: int = 101, **changes: object) -> ConversationRecord:
    record = ConversationRecord(
        team_id="T1",
        channel_id="C1",
        message_ts="1.000100",
        source="shortcut",
        user_id="U1",
        assignee_slack_id="U2",
        assignee_drift_id=21,
        contact_email="customer@example.com",
        conversation_id=conversation_id,
        inbox_id=7,
        url=f"https://app.drift.com/conversations/{conversation_id}",
        created_at=START,
        submission_key=key,
    )
    return replace(record, **changes)


def test_first_claim_is_new_and_a_repeat_is_pending(store: SqliteStore) -> None:
    assert store.claim("view-1", make_draft()) == Claim("new", attempts=1)
    assert store.claim("view-1", make_draft()) == Claim("pending", attempts=1)


def test_claim_after_complete_returns_done_with_the_record(store: SqliteStore) -> None:
    store.claim("view-1", make_draft())
    record = make_record("view-1")

    store.complete("view-1", record)

    assert store.claim("view-1", make_draft()) == Claim("done", record=record, attempts=1)


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


def test_non_ambiguous_failure_can_be_claimed_again(store: SqliteStore) -> None:
    store.claim("view-1", make_draft())
    store.fail("view-1", "Drift rejected the email address", ambiguous=False)

    claim = store.claim("view-1", make_draft())

    assert claim == Claim("new", failure="Drift rejected the email address", attempts=2)
    assert store.claim("view-1", make_draft()).state == "pending"


def test_ambiguous_failure_is_never_claimed_again(store: SqliteStore) -> None:
    store.claim("view-1", make_draft())
    store.fail("view-1", "Drift did not answer in time", ambiguous=True)

    expected = Claim("failed", failure="Drift did not answer in time", ambiguous=True, attempts=1)
    assert store.claim("view-1", make_draft()) == expected
    assert store.claim("view-1", make_draft()) == expected


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (0.0, Claim("pending", attempts=1)),
        (119.9, Claim("pending", attempts=1)),
        (120.0, Claim("failed", failure=STALE_FAILURE, ambiguous=True, attempts=1)),
        (3600.0, Claim("failed", failure=STALE_FAILURE, ambiguous=True, attempts=1)),
    ],
)
def test_pending_claim_goes_stale_as_an_ambiguous_failure(
    store: SqliteStore, clock: FakeClock, elapsed: float, expected: Claim
) -> None:
    store.claim("view-1", make_draft())
    clock.advance(elapsed)

    assert store.claim("view-1", make_draft()) == expected


def test_stale_after_is_configurable(db_path: Path, clock: FakeClock) -> None:
    with SqliteStore(db_path, clock=clock, stale_after=5.0) as short_lived:
        short_lived.claim("view-1", make_draft())
        clock.advance(5.0)

        assert short_lived.claim("view-1", make_draft()).state == "failed"


def test_late_outcomes_after_going_stale_are_recorded(store: SqliteStore, clock: FakeClock) -> None:
    store.claim("slow", make_draft())
    clock.advance(600)
    assert store.claim("slow", make_draft()).state == "failed"

    store.complete("slow", make_record("slow"))
    store.fail("slow", "a late worker error", ambiguous=False)

    assert store.claim("slow", make_draft()) == Claim("done", make_record("slow"), attempts=1)


def test_expire_stale_returns_each_abandoned_submission_once(
    store: SqliteStore, clock: FakeClock
) -> None:
    store.claim("abandoned", make_draft("lost in a crash"))
    clock.advance(300)
    store.claim("fresh", make_draft("still running"))

    assert store.expire_stale() == [StaleSubmission("abandoned", make_draft("lost in a crash"))]
    assert store.expire_stale() == []
    assert store.claim("abandoned", make_draft()).ambiguous is True
    assert store.claim("fresh", make_draft()).state == "pending"


def test_complete_rejects_a_record_for_another_key(store: SqliteStore) -> None:
    with pytest.raises(ValueError, match="submission_key"):
        store.complete("view-1", make_record("view-2"))


def test_complete_fills_in_a_missing_submission_key(store: SqliteStore) -> None:
    store.claim("view-1", make_draft())
    store.complete("view-1", make_record(""))

    assert store.claim("view-1", make_draft()).record == make_record("view-1")


def test_find_by_message_returns_the_newest(store: SqliteStore) -> None:
    store.complete("newer", make_record("newer", 2, created_at=START + 60))
    store.complete("older", make_record("older", 1, created_at=START))
    store.complete("elsewhere", make_record("elsewhere", 3, channel_id="C2"))

    assert store.find_by_message("T1", "C1", "1.000100") == make_record(
        "newer", 2, created_at=START + 60
    )


@pytest.mark.parametrize(
    ("team_id", "channel_id", "message_ts"),
    [("T1", "C1", "9.999999"), ("T2", "C1", "1.000100"), ("T1", "C9", "1.000100")],
)
def test_find_by_message_misses_other_messages(
    store: SqliteStore, team_id: str, channel_id: str, message_ts: str
) -> None:
    store.complete("view-1", make_record("view-1"))

    assert store.find_by_message(team_id, channel_id, message_ts) is None


def test_find_by_message_ignores_slash_commands(store: SqliteStore) -> None:
    store.complete("command", make_record("command", message_ts="", source="command"))

    assert store.find_by_message("T1", "C1", "") is None


@pytest.mark.parametrize(
    ("limit", "expected_ids"), [(1, [5]), (3, [5, 4, 3]), (20, [5, 4, 3, 2, 1])]
)
def test_recent_for_user_is_newest_first_and_limited(
    store: SqliteStore, limit: int, expected_ids: list[int]
) -> None:
    for conversation_id in (3, 1, 5, 2, 4):
        key = f"view-{conversation_id}"
        store.complete(key, make_record(key, conversation_id, created_at=START + conversation_id))
    store.complete("other-user", make_record("other-user", 90, user_id="U9", created_at=START + 9))
    store.complete("other-team", make_record("other-team", 91, team_id="T9", created_at=START + 9))

    recent = store.recent_for_user("T1", "U1", limit=limit)

    assert [record.conversation_id for record in recent] == expected_ids


def test_recent_for_user_with_no_room_is_empty(store: SqliteStore) -> None:
    store.complete("view-1", make_record("view-1"))

    assert store.recent_for_user("T1", "U1", limit=0) == []


NESTED_RICH_TEXT = {
    "type": "rich_text",
    "elements": [
        {
            "type": "rich_text_list",
            "style": "bullet",
            "indent": 1,
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [
                        {"type": "text", "text": "bold", "style": {"bold": True}},
                        {"type": "user", "user_id": "U123"},
                        {"type": "link", "url": "https://example.com/?a=1&b=<2>", "text": "x"},
                        {"type": "emoji", "name": "wave", "unicode": "1f44b"},
                    ],
                }
            ],
        },
        {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "a\n\tb"}]},
    ],
}


@pytest.mark.parametrize(
    "draft",
    [
        make_draft("Grüße, café, naïve, 日本語"),
        make_draft("Launch 🚀👩🏽‍💻 done ✅"),
        make_draft("مرحبا بالعالم — שלום עולם"),
        replace(make_draft(), message=NESTED_RICH_TEXT),
        Draft(origin=Origin(team_id="T1", user_id="U1", channel_id="C1")),
    ],
    ids=["accents-cjk", "emoji", "rtl", "nested-rich-text", "empty"],
)
def test_drafts_round_trip(store: SqliteStore, draft: Draft) -> None:
    assert store.load_draft(store.save_draft(draft)) == draft


def test_draft_ids_are_short_distinct_and_url_safe(store: SqliteStore) -> None:
    draft_ids = {store.save_draft(make_draft()) for _ in range(50)}

    assert len(draft_ids) == 50
    assert all(len(draft_id) == 16 for draft_id in draft_ids)
    assert all(draft_id.replace("-", "").replace("_", "").isalnum() for draft_id in draft_ids)


@pytest.mark.parametrize("draft_id", ["", "unknown", "x" * 500, "' OR '1'='1"])
def test_unknown_draft_id_gives_none(store: SqliteStore, draft_id: str) -> None:
    store.save_draft(make_draft())

    assert store.load_draft(draft_id) is None


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

    with pytest.raises(RuntimeError, match="newer than this code supports"):
        SqliteStore(db_path)
