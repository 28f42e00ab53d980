"""The Store contract of storage/protocol.py (claim states, outcomes, lookups, drafts).

Every test runs on both backends (the `store` fixture); tests/storage/test_sqlite.py and
test_postgres.py hold what is specific to one.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from storage.protocol import STALE_AFTER_SECONDS, STALE_FAILURE, Claim, StaleSubmission, Store
from storage.records import Draft, Origin
from tests.storage.stores import START, FakeClock, make_draft, make_record


def test_first_claim_is_new_and_a_repeat_is_pending(store: Store) -> None:
    assert store.claim("view-1", make_draft()) == Claim("new", attempts=1)
    assert store.claim("view-1", make_draft()) == Claim("pending", attempts=1)


def test_claim_after_complete_returns_done_with_the_record(store: Store) -> None:
    store.claim("view-1", make_draft())
    record = make_record("view-1")

    store.complete("view-1", record)

    assert store.claim("view-1", make_draft()) == Claim("done", record=record, attempts=1)


def test_non_ambiguous_failure_can_be_claimed_again(store: Store) -> None:
    store.claim("view-1", make_draft())
    store.fail("view-1", "Drift rejected the email address", ambiguous=False)

    claim = store.claim("view-1", make_draft())

    assert claim == Claim("new", failure="Drift rejected the email address", attempts=2)
    assert store.claim("view-1", make_draft()).state == "pending"


def test_ambiguous_failure_is_never_claimed_again(store: Store) -> None:
    store.claim("view-1", make_draft())
    store.fail("view-1", "Drift did not answer in time", ambiguous=True)

    expected = Claim("failed", failure="Drift did not answer in time", ambiguous=True, attempts=1)
    assert store.claim("view-1", make_draft()) == expected
    assert store.claim("view-1", make_draft()) == expected


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (0.0, Claim("pending", attempts=1)),
        (STALE_AFTER_SECONDS - 0.1, Claim("pending", attempts=1)),
        (STALE_AFTER_SECONDS, Claim("failed", failure=STALE_FAILURE, ambiguous=True, attempts=1)),
        (3600.0, Claim("failed", failure=STALE_FAILURE, ambiguous=True, attempts=1)),
    ],
)
def test_pending_claim_goes_stale_as_an_ambiguous_failure(
    store: Store, clock: FakeClock, elapsed: float, expected: Claim
) -> None:
    store.claim("view-1", make_draft())
    clock.advance(elapsed)

    assert store.claim("view-1", make_draft()) == expected


def test_late_outcomes_after_going_stale_are_recorded(store: Store, clock: FakeClock) -> None:
    store.claim("slow", make_draft())
    clock.advance(600)
    assert store.claim("slow", make_draft()).state == "failed"

    store.complete("slow", make_record("slow"))
    store.fail("slow", "a late worker error", ambiguous=False)

    assert store.claim("slow", make_draft()) == Claim("done", make_record("slow"), attempts=1)


def test_expire_stale_returns_each_abandoned_submission_once(
    store: Store, clock: FakeClock
) -> None:
    store.claim("abandoned", make_draft("lost in a crash"))
    clock.advance(300)
    store.claim("fresh", make_draft("still running"))

    assert store.expire_stale() == [StaleSubmission("abandoned", make_draft("lost in a crash"))]
    assert store.expire_stale() == []
    assert store.claim("abandoned", make_draft()).ambiguous is True
    assert store.claim("fresh", make_draft()).state == "pending"


def test_complete_rejects_a_record_for_another_key(store: Store) -> None:
    with pytest.raises(ValueError, match="submission_key"):
        store.complete("view-1", make_record("view-2"))


def test_complete_fills_in_a_missing_submission_key(store: Store) -> None:
    store.claim("view-1", make_draft())
    store.complete("view-1", make_record(""))

    assert store.claim("view-1", make_draft()).record == make_record("view-1")


def test_find_by_message_returns_the_newest(store: Store) -> None:
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
    store: Store, team_id: str, channel_id: str, message_ts: str
) -> None:
    store.complete("view-1", make_record("view-1"))

    assert store.find_by_message(team_id, channel_id, message_ts) is None


def test_find_by_message_ignores_slash_commands(store: Store) -> None:
    store.complete("command", make_record("command", message_ts="", source="command"))

    assert store.find_by_message("T1", "C1", "") is None


@pytest.mark.parametrize(
    ("limit", "expected_ids"), [(1, [5]), (3, [5, 4, 3]), (20, [5, 4, 3, 2, 1])]
)
def test_recent_for_user_is_newest_first_and_limited(
    store: Store, limit: int, expected_ids: list[int]
) -> None:
    for conversation_id in (3, 1, 5, 2, 4):
        key = f"view-{conversation_id}"
        store.complete(key, make_record(key, conversation_id, created_at=START + conversation_id))
    store.complete("other-user", make_record("other-user", 90, user_id="U9", created_at=START + 9))
    store.complete("other-team", make_record("other-team", 91, team_id="T9", created_at=START + 9))

    recent = store.recent_for_user("T1", "U1", limit=limit)

    assert [record.conversation_id for record in recent] == expected_ids


def test_recent_for_user_with_no_room_is_empty(store: Store) -> None:
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
def test_drafts_round_trip(store: Store, draft: Draft) -> None:
    assert store.load_draft(store.save_draft(draft)) == draft


def test_draft_ids_are_short_distinct_and_url_safe(store: Store) -> None:
    draft_ids = {store.save_draft(make_draft()) for _ in range(50)}

    assert len(draft_ids) == 50
    assert all(len(draft_id) == 16 for draft_id in draft_ids)
    assert all(draft_id.replace("-", "").replace("_", "").isalnum() for draft_id in draft_ids)


@pytest.mark.parametrize("draft_id", ["", "unknown", "x" * 500, "' OR '1'='1"])
def test_unknown_draft_id_gives_none(store: Store, draft_id: str) -> None:
    store.save_draft(make_draft())

    assert store.load_draft(draft_id) is None


def test_a_touched_pending_claim_never_goes_stale(store: Store, clock: FakeClock) -> None:
    store.claim("alive", make_draft())
    store.claim("abandoned", make_draft())
    for _ in range(30):
        clock.advance(STALE_AFTER_SECONDS / 2)
        store.touch({"alive"})

    assert store.claim("alive", make_draft()) == Claim("pending", attempts=1)
    assert [stale.key for stale in store.expire_stale()] == ["abandoned"]


def test_touch_leaves_finished_rows_alone(store: Store, clock: FakeClock) -> None:
    store.claim("view-1", make_draft())
    store.fail("view-1", "Drift refused", ambiguous=False)
    store.touch({"view-1", "never-claimed"})
    clock.advance(STALE_AFTER_SECONDS * 10)

    assert store.expire_stale() == []
    assert store.claim("view-1", make_draft()).state == "new"
