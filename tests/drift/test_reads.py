"""DriftClient's reads against the loopback fake: a conversation, contacts, paged messages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drift.client import DriftClient
from drift.errors import DriftAuthError, DriftNotFoundError
from tests.fakes.drift_api import FakeDrift

TOKEN = "drift-test-token"


@pytest.fixture
def drift() -> Iterator[FakeDrift]:
    with FakeDrift(access_token=TOKEN) as fake:
        yield fake


@pytest.fixture
def client(drift: FakeDrift) -> Iterator[DriftClient]:
    with DriftClient(drift.base_url, TOKEN) as client:
        yield client


def start(client: DriftClient, email: str = "jane@acme.com") -> int:
    return client.create_conversation(
        email=email, body_html="<p>First</p>", integration_source="t"
    ).id


def test_get_conversation(client: DriftClient) -> None:
    conversation_id = start(client)
    conversation = client.get_conversation(conversation_id)
    assert (conversation.id, conversation.status) == (conversation_id, "open")
    assert conversation.contact_id is not None
    with pytest.raises(DriftNotFoundError):
        client.get_conversation(1)


def test_get_contact_reads_its_attributes(drift: FakeDrift, client: DriftClient) -> None:
    contact_id = drift.add_contact("jane@acme.com", first_name="Jane", last_name="Doe")
    contact = client.get_contact(contact_id)
    assert (contact.id, contact.email, contact.name) == (contact_id, "jane@acme.com", "Jane Doe")
    assert client.get_conversation(start(client)).contact_id == contact_id


def test_list_messages_follows_every_page(drift: FakeDrift, client: DriftClient) -> None:
    conversation_id = start(client)
    client.post_message(conversation_id, "<p>note 0</p>")
    [posted] = drift.endpoints.records.messages[conversation_id][1:]
    for n in range(1, 120):
        note = {**posted, "id": posted["id"] + n, "body": f"<p>note {n}</p>"}
        drift.endpoints.records.add_message(conversation_id, note)
    messages = client.list_messages(conversation_id)
    assert len(messages) == 121
    assert messages[0].author_type == "contact" and messages[0].type == "chat"
    assert messages[-1].body == "<p>note 119</p>" and messages[-1].type == "private_note"
    assert messages[-1].app_id == 4242
    assert len(client.list_messages(conversation_id, max_pages=1)) == 50


def test_reads_without_their_scope_name_it() -> None:
    with FakeDrift(access_token=TOKEN, scopes=frozenset({"conversation_write"})) as drift:
        client = DriftClient(drift.base_url, TOKEN)
        with pytest.raises(DriftAuthError, match="conversation_read"):
            client.get_conversation(1)
        with pytest.raises(DriftAuthError, match="contact_read"):
            client.get_contact(1)


def test_find_contacts_lists_every_contact_sharing_the_email(
    drift: FakeDrift, client: DriftClient
) -> None:
    first = drift.add_contact("Shared@acme.com", name="Jane Doe", company="Acme")
    second = drift.add_contact("shared@acme.com", name="Jane D.")
    drift.add_contact("other@acme.com", name="Someone else")
    found = client.find_contacts("shared@acme.com")
    assert [(c.id, c.name, c.company) for c in found] == [
        (first, "Jane Doe", "Acme"),
        (second, "Jane D.", ""),
    ]
    assert client.find_contacts("nobody@acme.com") == []
    [call] = [c for c in drift.calls if c.path == "/contacts"][-1:]
    assert call.status == 200


def test_find_contacts_reads_the_single_object_shape(drift: FakeDrift, client: DriftClient) -> None:
    contact_id = drift.add_contact("jane@acme.com", first_name="Jane", last_name="Doe")
    drift.endpoints.records.single_object_contacts = True
    [contact] = client.find_contacts("jane@acme.com")
    assert (contact.id, contact.name) == (contact_id, "Jane Doe")


def test_find_contacts_without_contact_read_is_a_scope_error() -> None:
    scopes = frozenset({"conversation_write", "user_read"})
    with (
        FakeDrift(access_token=TOKEN, scopes=scopes) as drift,
        DriftClient(drift.base_url, TOKEN) as client,
        pytest.raises(DriftAuthError) as raised,
    ):
        client.find_contacts("jane@acme.com")
    assert raised.value.status_code == 403
    assert raised.value.scope == "contact_read"
