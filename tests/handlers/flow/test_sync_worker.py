"""The sync loop: one replica at a time holds the lease, sends and polls; a clean stop hands
the lease over at once."""

from __future__ import annotations

import threading
from dataclasses import replace

from handlers.flow.sync_poller import DriftPoller
from handlers.flow.sync_worker import SyncWorker
from tests.conftest import Harness
from tests.sync_fixtures import Linked, link_conversation


def worker(linked: Linked, holder: str) -> SyncWorker:
    services = linked.harness.services
    poller = DriftPoller(services.store, services.drift, interval=0.1, max_age=3600.0)
    return SyncWorker(services.store, replace(linked.sender), poller, 0.1, holder=holder)


def test_only_the_lease_holder_sends(harness: Harness) -> None:
    linked = link_conversation(harness)
    first, second = worker(linked, "a"), worker(linked, "b")
    linked.reply("one note")
    first.store.hold_lease("drift-sync", "a", 10.0)
    second.tick()
    assert harness.drift.messages == []
    first.tick()
    assert len(harness.drift.messages) == 1
    second.tick()
    assert len(harness.drift.messages) == 1


def test_a_clean_stop_hands_the_lease_over(harness: Harness) -> None:
    linked = link_conversation(harness)
    first, second = worker(linked, "a"), worker(linked, "b")
    first.tick()
    assert not harness.services.store.hold_lease("drift-sync", "b", 10.0)
    stop = threading.Event()
    stop.set()
    first._leading = True
    first.run(stop)
    assert harness.services.store.hold_lease("drift-sync", "b", 10.0)
    second.tick()


def test_the_holder_polls_drift(harness: Harness) -> None:
    only = worker(link_conversation(harness), "a")
    conversation_id = harness.drift.conversations[-1].id
    harness.drift.reply(conversation_id, "<p>from the customer</p>")
    assert only.poll_tick() == 0  # not the holder yet
    only.tick()
    assert only.poll_tick() == 1
    only.tick()
    posted = [message.text for message in harness.slack.messages]
    assert posted == ["*jane@acme.com:* from the customer"]
