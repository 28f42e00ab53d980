"""Once-only marks and per-channel defaults: the contract any Store backend keeps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storage.protocol import DRAFT_TTL_SECONDS, ChannelDefaults, Store
from storage.sqlite import SqliteStore
from tests.storage.stores import FakeClock


def test_a_mark_is_first_only_once(store: Store) -> None:
    assert store.first_time("reaction:T1:C1:1.0:U1") is True
    assert store.first_time("reaction:T1:C1:1.0:U1") is False
    assert store.first_time("reaction:T1:C1:1.0:U2") is True


def test_one_of_many_racing_stores_wins_a_mark(db_path: Path, clock: FakeClock) -> None:
    stores = [SqliteStore(db_path, clock=clock) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda i: stores[i % 4].first_time("k"), range(16)))
    finally:
        for opened in stores:
            opened.close()
    assert answers.count(True) == 1


def test_marks_are_forgotten_after_a_week(store: Store, clock: FakeClock) -> None:
    assert store.first_time("old")
    clock.advance(DRAFT_TTL_SECONDS + 1)
    assert store.first_time("new")  # prunes
    assert store.first_time("old")


@pytest.mark.parametrize("key", ["", "k" * 513])
def test_a_mark_needs_a_reasonable_key(store: Store, key: str) -> None:
    with pytest.raises(ValueError):
        store.first_time(key)


def test_an_unknown_channel_has_empty_defaults(store: Store) -> None:
    assert store.channel_defaults("T1", "C1") == ChannelDefaults("", "")


def test_each_default_changes_alone(store: Store) -> None:
    store.set_channel_defaults("T1", "C1", assignee_id="U2")
    store.set_channel_defaults("T1", "C1", source_label="Enterprise support")
    assert store.channel_defaults("T1", "C1") == ChannelDefaults("U2", "Enterprise support")
    store.set_channel_defaults("T1", "C1", assignee_id="U3")
    assert store.channel_defaults("T1", "C1") == ChannelDefaults("U3", "Enterprise support")
    store.set_channel_defaults("T1", "C1", source_label="")
    assert store.channel_defaults("T1", "C1") == ChannelDefaults("U3", "")


def test_defaults_belong_to_one_channel_of_one_team(store: Store) -> None:
    store.set_channel_defaults("T1", "C1", assignee_id="U2", source_label="VIP")
    assert store.channel_defaults("T1", "C2") == ChannelDefaults()
    assert store.channel_defaults("T2", "C1") == ChannelDefaults()


def test_defaults_without_a_channel_are_not_kept(store: Store) -> None:
    store.set_channel_defaults("T1", "", assignee_id="U2")
    assert store.channel_defaults("T1", "") == ChannelDefaults()
