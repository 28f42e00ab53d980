"""Drift messages of a linked conversation come back into the thread: in order, escaped, once,
never the app's own, and internal notes never into a channel shared with another company."""

from __future__ import annotations

import pytest

from handlers.flow.sync_intake import accept_drift_event
from handlers.flow.sync_poller import DriftPoller
from storage.protocol import ThreadLink
from tests.conftest import Harness
from tests.fakes import payloads
from tests.fakes.drift_webhooks import new_message_event
from tests.sync_fixtures import SHARED_CHANNEL, Linked, link_conversation

DAY = 24 * 3600.0


@pytest.fixture
def linked(harness: Harness) -> Linked:
    return link_conversation(harness)


def poller(linked: Linked, **fields: object) -> DriftPoller:
    services = linked.harness.services
    return DriftPoller(services.store, services.drift, interval=1.0, max_age=14 * DAY, **fields)  # type: ignore[arg-type]


def mirror(linked: Linked) -> list[str]:
    poller(linked).poll_once()
    while linked.sender.send_pending():
        pass
    return linked.thread_posts()


def test_a_contact_reply_is_posted_with_the_contacts_name(linked: Linked) -> None:
    drift = linked.harness.drift
    contact_id = drift.endpoints.records.conversations[linked.conversation_id]["contactId"]
    drift.endpoints.records.contacts[contact_id]["attributes"]["name"] = "Jane Doe"
    drift.reply(linked.conversation_id, "<p>Thanks, <b>that</b> works</p>")
    assert mirror(linked) == ["*Jane Doe:* Thanks, *that* works"]


def test_without_a_name_the_contacts_email_is_shown(linked: Linked) -> None:
    linked.harness.drift.reply(linked.conversation_id, "<p>ok</p>")
    assert mirror(linked) == ["*jane@acme.com:* ok"]


@pytest.mark.parametrize(
    "typed", ["&lt;!channel&gt;", "&lt;@U0FAKEREP&gt;", "&lt;https://evil.test|bank&gt;"]
)
def test_a_customer_cannot_ping_or_forge_a_link(linked: Linked, typed: str) -> None:
    linked.harness.drift.reply(linked.conversation_id, f"<p>{typed}</p>")
    [posted] = mirror(linked)
    assert "<" not in posted.split(":*", 1)[1]


def test_an_agents_note_is_posted_as_a_note(linked: Linked) -> None:
    linked.harness.drift.reply(linked.conversation_id, "<p>checking</p>", author="user", note=True)
    assert mirror(linked) == ["*Riley Rep (internal note):* checking"]


def test_notes_never_reach_a_shared_channel_and_the_contact_is_unnamed(harness: Harness) -> None:
    harness.slack.add_channel(SHARED_CHANNEL, "acme-shared", is_ext_shared=True)
    linked = link_conversation(harness, SHARED_CHANNEL)
    harness.drift.reply(linked.conversation_id, "<p>secret</p>", author="user", note=True)
    harness.drift.reply(linked.conversation_id, "<p>hello</p>")
    assert mirror(linked) == ["*The customer:* hello"]


def test_the_apps_own_notes_are_never_mirrored_back(linked: Linked) -> None:
    linked.reply("a note from Slack")
    linked.sender.send_pending()
    assert len(linked.harness.drift.messages) == 1
    assert mirror(linked) == []


def test_a_webhook_delivered_twice_and_polled_is_posted_once(linked: Linked) -> None:
    message = linked.harness.drift.reply(linked.conversation_id, "<p>once</p>")
    store = linked.harness.services.store
    event = new_message_event(message, "token")
    assert accept_drift_event(store, event) is True
    assert accept_drift_event(store, event) is False
    assert mirror(linked) == ["*jane@acme.com:* once"]


@pytest.mark.parametrize(
    "event",
    [
        {"type": "contact_identified", "data": {}},
        {"type": "new_message", "data": "nope"},
        {"type": "new_message", "data": {"id": 1, "conversationId": 999, "type": "chat"}},
    ],
    ids=["other type", "malformed", "unknown conversation"],
)
def test_other_events_are_ignored(linked: Linked, event: dict[str, object]) -> None:
    assert accept_drift_event(linked.harness.services.store, event) is False


def test_messages_from_before_the_link_are_not_mirrored(linked: Linked) -> None:
    drift = linked.harness.drift
    early = drift.reply(linked.conversation_id, "<p>before</p>")
    store = linked.harness.services.store
    store.link_thread(ThreadLink(**{**linked.link.__dict__, "cursor": early["createdAt"] + 1}))
    assert mirror(linked) == []


def test_a_burst_of_30_lands_in_order_within_slacks_limit(linked: Linked) -> None:
    slack = linked.harness.slack
    slack.post_limit.per_second, slack.post_limit.burst = 20.0, 10
    for number in range(30):
        linked.harness.drift.reply(linked.conversation_id, f"<p>message {number}</p>")
    posts = mirror(linked)
    assert posts == [f"*jane@acme.com:* message {number}" for number in range(30)]
    assert slack.post_limit.refused > 0  # the limit was met, and waited out
    assert all(m.channel == payloads.CHANNEL_ID for m in slack.messages)


def test_polling_spends_a_budget_on_the_most_active(linked: Linked) -> None:
    now = 1_750_000_000.0
    links = [
        ThreadLink("T", "C", f"{n}.0", n, 1, active_at=now - n * 600, polled_at=now - 100)
        for n in range(1, 1001)
    ]
    due = poller(linked, budget=50).due(links, now)
    assert [link.conversation_id for link in due] == list(range(1, 51))
    just_polled = [ThreadLink(**{**link.__dict__, "polled_at": now - 1}) for link in links]
    assert [link.conversation_id for link in poller(linked).due(just_polled, now)] == [
        1,
        2,
        3,
        4,
        5,
    ]
    quiet = [
        ThreadLink("T", "C", "x", 1, 1, active_at=now - 2 * DAY, polled_at=now - 5),
        ThreadLink("T", "C", "y", 2, 1, active_at=now - 2 * DAY, polled_at=now - 12),
    ]
    assert [link.conversation_id for link in poller(linked).due(quiet, now)] == [2]


def test_the_most_overdue_go_first_so_none_is_starved(linked: Linked) -> None:
    now = 1_750_000_000.0
    busy = [ThreadLink("T", "C", f"{n}", n, 1, active_at=now, polled_at=now - 1) for n in range(3)]
    forgotten = ThreadLink("T", "C", "old", 99, 1, active_at=now - 30 * DAY, polled_at=0.0)
    due = poller(linked, budget=2).due([*busy, forgotten], now)
    assert due[0].conversation_id == 99 and len(due) == 2


def test_a_429_pauses_polling(linked: Linked) -> None:
    path = f"/conversations/{linked.conversation_id}/messages"
    linked.harness.drift.fail_next(429, times=10, path=path, retry_after=0)
    clock_now = [1_750_000_000.0]
    polling = poller(linked, clock=lambda: clock_now[0])
    linked.harness.drift.reply(linked.conversation_id, "<p>later</p>")
    polling.poll_once()
    assert polling.resume_at > clock_now[0]
    calls = len(linked.harness.drift.calls_to("GET", path))
    polling.poll_once()
    assert len(linked.harness.drift.calls_to("GET", path)) == calls
