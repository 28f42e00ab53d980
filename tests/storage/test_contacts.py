"""The Store contract for `recent_for_contact`: the conversations known with one contact."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storage.protocol import Store
from tests.storage.stores import START, make_draft, make_record


def test_recent_for_contact_is_newest_first_one_per_conversation(store: Store) -> None:
    store.complete("a", make_record("a", 1, created_at=START + 1))
    store.complete("b", make_record("b", 2, created_at=START + 2, contact_email="Customer@X.com"))
    store.complete("c", make_record("c", 3, created_at=START + 3))
    # A thread added to conversation 1 later makes it the most recently used.
    store.complete("d", make_record("d", 1, created_at=START + 4, message_ts="9.000900"))
    store.complete("other", make_record("other", 8, contact_email="else@example.com"))
    store.complete("team", make_record("team", 9, team_id="T9"))

    recent = store.recent_for_contact("T1", "customer@example.com")

    assert [record.conversation_id for record in recent] == [1, 3]
    assert recent[0].submission_key == "a" and recent[0].created_at == START + 1
    assert [r.conversation_id for r in store.recent_for_contact("T1", "CUSTOMER@x.com")] == [2]


@pytest.mark.parametrize(("limit", "expected"), [(1, [3]), (2, [3, 2]), (0, []), (9, [3, 2, 1])])
def test_recent_for_contact_is_limited(store: Store, limit: int, expected: list[int]) -> None:
    for conversation_id in (1, 2, 3):
        key = f"k{conversation_id}"
        store.complete(key, make_record(key, conversation_id, created_at=START + conversation_id))

    recent = store.recent_for_contact("T1", "customer@example.com", limit=limit)

    assert [record.conversation_id for record in recent] == expected


def test_recent_for_contact_of_no_email_is_empty(store: Store) -> None:
    store.complete("a", make_record("a", 1, contact_email=""))

    assert store.recent_for_contact("T1", "") == []


def test_a_draft_keeps_the_choice_of_conversation_and_thread(store: Store) -> None:
    draft = replace(make_draft(), add_to=4242, whole_thread=True)

    assert store.load_draft(store.save_draft(draft)) == draft
