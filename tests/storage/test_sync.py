"""The sync tables, against any `Store`: thread links, mirrored ids and their queue, leases."""

from __future__ import annotations

import pytest

from storage.protocol import STALE_AFTER_SECONDS, Mirror, Store, ThreadLink
from tests.storage.stores import START, FakeClock

LATER = STALE_AFTER_SECONDS + 0.1
DAY = 24 * 3600.0


def link(conversation_id: int = 101, thread_ts: str = "1.000100", **changes: object) -> ThreadLink:
    fields: dict[str, object] = {
        "team_id": "T1",
        "channel_id": "C1",
        "thread_ts": thread_ts,
        "conversation_id": conversation_id,
        "inbox_id": 7,
        "cursor": 5,
    }
    fields.update(changes)
    return ThreadLink(**fields)  # type: ignore[arg-type]


def test_a_link_is_found_from_either_side(store: Store) -> None:
    store.link_thread(link())
    by_thread = store.thread_link("T1", "C1", "1.000100")
    assert by_thread is not None
    assert (by_thread.conversation_id, by_thread.inbox_id, by_thread.cursor) == (101, 7, 5)
    assert by_thread.linked_at == START and by_thread.active_at == START
    assert store.conversation_link(101) == by_thread
    assert store.thread_link("T1", "C1", "9.9") is None
    assert store.thread_link("T2", "C1", "1.000100") is None
    assert store.conversation_link(999) is None


def test_a_thread_links_to_its_newest_conversation(store: Store, clock: FakeClock) -> None:
    store.link_thread(link(101))
    clock.advance(1)
    store.link_thread(link(202))
    found = store.thread_link("T1", "C1", "1.000100")
    assert found is not None and found.conversation_id == 202


def test_recent_links_are_the_last_days_most_active_first(store: Store, clock: FakeClock) -> None:
    store.link_thread(link(1, "1.1"))
    clock.advance(10 * DAY)
    store.link_thread(link(2, "2.2"))
    clock.advance(1)
    store.link_thread(link(3, "3.3"))
    clock.advance(1)
    store.advance_cursor(2, 50, active=True)
    assert [item.conversation_id for item in store.recent_links(14 * DAY)] == [2, 3, 1]
    assert [item.conversation_id for item in store.recent_links(5 * DAY)] == [2, 3]


def test_the_cursor_only_moves_forward(store: Store, clock: FakeClock) -> None:
    store.link_thread(link(cursor=100))
    clock.advance(3)
    store.advance_cursor(101, 50, active=False)
    found = store.conversation_link(101)
    assert found is not None
    assert (found.cursor, found.polled_at, found.active_at) == (100, START + 3, START)
    store.advance_cursor(101, 200, active=True)
    found = store.conversation_link(101)
    assert found is not None and (found.cursor, found.active_at) == (200, START + 3)


def test_a_source_id_is_mirrored_once(store: Store, clock: FakeClock) -> None:
    assert store.enqueue_mirror("slack:C1:1.2", "note") is True
    assert store.enqueue_mirror("slack:C1:1.2", "note again") is False
    assert store.take_mirrors() == [Mirror("slack:C1:1.2", "note")]
    store.finish_mirror("slack:C1:1.2")
    assert store.enqueue_mirror("slack:C1:1.2", "after delivery") is False
    clock.advance(LATER)
    assert store.take_mirrors() == []


def test_an_empty_payload_only_marks_the_id_seen(store: Store) -> None:
    assert store.enqueue_mirror("drift:77", "") is True
    assert store.take_mirrors() == []
    assert store.enqueue_mirror("drift:77", "echo") is False


def test_mirrors_come_out_in_order_and_once_until_stale(store: Store, clock: FakeClock) -> None:
    for number in range(5):
        store.enqueue_mirror(f"k{number}", f"p{number}")
    assert [item.key for item in store.take_mirrors(limit=2)] == ["k0", "k1"]
    assert store.take_mirrors(limit=10) == []  # nothing overtakes k0 and k1 while held
    store.finish_mirror("k0")
    store.finish_mirror("k1")
    assert [item.key for item in store.take_mirrors(limit=10)] == ["k2", "k3", "k4"]
    store.finish_mirror("k2")
    clock.advance(LATER)
    assert [item.key for item in store.take_mirrors()] == ["k3", "k4"]


def test_a_held_message_blocks_the_ones_queued_after_it(store: Store, clock: FakeClock) -> None:
    store.enqueue_mirror("a", "1")
    assert [item.key for item in store.take_mirrors()] == ["a"]
    store.enqueue_mirror("b", "2")
    clock.advance(1)
    assert store.take_mirrors() == []
    clock.advance(LATER)
    assert [item.key for item in store.take_mirrors()] == ["a", "b"]


@pytest.mark.parametrize("limit", [0, -1])
def test_taking_nothing_takes_nothing(store: Store, limit: int) -> None:
    store.enqueue_mirror("k", "p")
    assert store.take_mirrors(limit=limit) == []
    assert store.take_mirrors() == [Mirror("k", "p")]


def test_one_holder_has_the_lease_until_it_expires(store: Store, clock: FakeClock) -> None:
    assert store.hold_lease("poller", "a", ttl=10) is True
    assert store.hold_lease("poller", "b", ttl=10) is False
    clock.advance(5)
    assert store.hold_lease("poller", "a", ttl=10) is True  # renewed until START + 15
    clock.advance(9)
    assert store.hold_lease("poller", "b", ttl=10) is False
    clock.advance(1)
    assert store.hold_lease("poller", "b", ttl=10) is True
    assert store.hold_lease("poller", "a", ttl=10) is False
    assert store.hold_lease("other", "a", ttl=10) is True
