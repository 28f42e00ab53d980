"""Submissions left pending by a dead process are reported to the rep, with Try again."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from handlers.flow.in_flight import InFlight
from handlers.flow.recorded import notify_orphans
from handlers.ui import ids
from runtime.serve import UPKEEP_SECONDS, upkeep
from storage.protocol import STALE_AFTER_SECONDS
from storage.records import Draft, Origin
from storage.sqlite import SqliteStore
from tests.conftest import Harness
from tests.fakes import payloads


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_orphans_are_reported_once_with_try_again(harness: Harness, tmp_path: Path) -> None:
    clock = Clock()
    store = SqliteStore(tmp_path / "orphans.sqlite3", clock=clock, stale_after=120)
    services = replace(harness.services, store=store)
    origin = Origin(
        team_id=payloads.TEAM_ID, user_id=payloads.USER_ID, channel_id=payloads.CHANNEL_ID
    )
    draft = Draft(origin, email="jane@acme.com", message=payloads.rich_text("Hi"), assignee_id="")
    assert store.claim("k1", draft).state == "new"

    assert notify_orphans(services) == 0
    clock.now += 121
    assert notify_orphans(services) == 1
    assert notify_orphans(services) == 0

    [note] = harness.slack.ephemerals
    rendered = json.dumps(note.blocks)
    assert "may or may not" in rendered
    [button] = [e for b in note.blocks if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == ids.RETRY_ACTION
    kept = store.load_draft(button["value"])
    assert kept is not None and kept.email == "jane@acme.com"
    store.close()


def test_a_live_owner_is_never_taken_for_dead(harness: Harness, tmp_path: Path) -> None:
    """Two processes on one database: B sweeps while A's worker waits far past `stale_after`."""
    clock = Clock()
    path = tmp_path / "shared.sqlite3"
    owner_store = SqliteStore(path, clock=clock)
    sweeper_store = SqliteStore(path, clock=clock)
    owner = replace(harness.services, store=owner_store, in_flight=InFlight())
    sweeper = replace(harness.services, store=sweeper_store, in_flight=InFlight())
    origin = Origin(
        team_id=payloads.TEAM_ID, user_id=payloads.USER_ID, channel_id=payloads.CHANNEL_ID
    )
    draft = Draft(origin, email="jane@acme.com", message=payloads.rich_text("Hi"), assignee_id="")
    assert owner_store.claim("slow", draft).state == "new"
    owner.in_flight.hold("slow")

    for _ in range(100):
        clock.now += UPKEEP_SECONDS
        upkeep(owner)
        upkeep(sweeper)
    assert harness.slack.ephemerals == []

    owner.in_flight.release("slow")
    clock.now += STALE_AFTER_SECONDS
    upkeep(sweeper)
    assert len(harness.slack.ephemerals) == 1
    owner_store.close()
    sweeper_store.close()
