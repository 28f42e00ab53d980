"""Conversation cards: which links are Drift conversations, what a card holds, how it is cached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drift.client import DriftClient
from drift.users import UserDirectory
from handlers.flow.cards import ConversationCards, conversation_id_in
from tests.clock import FakeClock
from tests.conftest import DRIFT_TOKEN, DRIFT_USERS, REP_DRIFT_ID
from tests.fakes.drift_api import FakeDrift

BASE = "https://app.drift.com"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://app.drift.com/inboxes/116983/conversations/464032472", 464032472),
        ("https://app.drift.com/inboxes/1/conversations/2/", 2),
        ("https://app.drift.com/inboxes/1/conversations/2?x=1#top", 2),
        ("http://app.drift.com/inboxes/1/conversations/2", None),
        ("https://evil.example/inboxes/1/conversations/2", None),
        ("https://app.drift.com.evil.example/inboxes/1/conversations/2", None),
        ("https://app.drift.com:8443/inboxes/1/conversations/2", None),
        ("https://app.drift.com/inboxes/1/conversations/", None),
        ("https://app.drift.com/inboxes/x/conversations/2", None),
        ("https://app.drift.com/inboxes/1/conversations/2/messages", None),
        ("https://app.drift.com/prefix/inboxes/1/conversations/2", None),
        ("not a url", None),
    ],
)
def test_conversation_id_in(url: str, expected: int | None) -> None:
    assert conversation_id_in(url, BASE) == expected


def test_a_base_url_with_a_path_is_respected() -> None:
    base = "https://drift.example/app"
    assert conversation_id_in("https://drift.example/app/inboxes/1/conversations/9", base) == 9
    assert conversation_id_in("https://drift.example/inboxes/1/conversations/9", base) is None


@pytest.fixture
def drift() -> Iterator[FakeDrift]:
    with FakeDrift(access_token=DRIFT_TOKEN, users=[dict(u) for u in DRIFT_USERS]) as fake:
        yield fake


def cards_for(drift: FakeDrift, clock: FakeClock) -> ConversationCards:
    client = DriftClient(drift.base_url, DRIFT_TOKEN)
    return ConversationCards(client, UserDirectory(client), ttl=60, timer=clock)


def create(drift: FakeDrift, email: str, body: str = "<p>Hello</p>") -> int:
    client = DriftClient(drift.base_url, DRIFT_TOKEN)
    conversation = client.create_conversation(
        email=email, body_html=body, integration_source="test", assignee_id=REP_DRIFT_ID
    )
    return conversation.id


def test_a_card_holds_contact_status_assignee_and_the_last_chat(drift: FakeDrift) -> None:
    drift.add_contact("jane@acme.com", name="Jane Doe", company="Acme")
    conversation_id = create(drift, "jane@acme.com", "<p>First &amp; foremost</p>")
    client = DriftClient(drift.base_url, DRIFT_TOKEN)
    client.post_message(conversation_id, "<p>An internal note</p>", type_="private_note")
    card = cards_for(drift, FakeClock()).card(conversation_id, "https://link")
    assert card is not None
    assert (card.contact_name, card.contact_email) == ("Jane Doe", "jane@acme.com")
    assert (card.status, card.assignee_name) == ("open", "Riley Rep")
    assert card.last_message == "First & foremost"
    assert card.created_at is not None


def test_cards_are_cached_for_the_ttl(drift: FakeDrift) -> None:
    conversation_id = create(drift, "jane@acme.com")
    clock = FakeClock()
    cards = cards_for(drift, clock)
    cards.card(conversation_id, "u")
    cold = len(drift.calls)
    cards.card(conversation_id, "u")
    assert len(drift.calls) == cold
    clock.advance(61)
    cards.card(conversation_id, "u")
    assert len(drift.calls) > cold


def test_an_unknown_conversation_has_no_card(drift: FakeDrift) -> None:
    assert cards_for(drift, FakeClock()).card(12345, "u") is None


def test_without_contact_read_the_card_leaves_the_contact_out() -> None:
    scopes = frozenset({"conversation_read", "conversation_write", "user_read"})
    with FakeDrift(
        access_token=DRIFT_TOKEN, users=[dict(u) for u in DRIFT_USERS], scopes=scopes
    ) as drift:
        conversation_id = create(drift, "jane@acme.com")
        card = cards_for(drift, FakeClock()).card(conversation_id, "u")
    assert card is not None
    assert (card.contact_name, card.contact_email) == ("", "")
    assert card.assignee_name == "Riley Rep"
