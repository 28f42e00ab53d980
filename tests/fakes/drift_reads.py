"""FakeDrift's read endpoints: one conversation, contacts, and a conversation's messages.

Shapes from drift-api.md §6-§7 and next-capabilities.md §3-§4:
- `GET /conversations/{id}` → `{"data": Conversation}`, 404 `not_found` when unknown
  (scope `conversation_read`);
- `GET /contacts/{id}` → `{"data": Contact}` (scope `contact_read`);
- `GET /contacts?email=` → `{"data": [Contact, ...]}`, every contact with that email (emails
  are not unique in Drift), oldest first, `limit` (default 10); with `single_object_contacts`
  set, one contact as a bare object, as Drift's documented example shows it (scope
  `contact_read`); a missing `email` is a 400 (`CONTACT-10` is Drift's code for a bad query);
- `GET /conversations/{id}/messages?next=` → `{"data": {"messages": [...]},
  "pagination": {"more", "next"}}`, oldest first, pages of 50 (scope `conversation_read`).
A conversation's first message is the one `/conversations/new` carried, authored by the contact.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http import HttpReply, HttpRequest

MESSAGES_PAGE_SIZE = 50


class DriftFailure(Exception):
    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message


@dataclass
class DriftRecords:
    """What FakeDrift knows beyond users: contacts, conversations and their messages."""

    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    conversations: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    single_object_contacts: bool = False

    def add_contact(self, contact_id: int, email: str, **attributes: Any) -> dict[str, Any]:
        contact = {
            "id": contact_id,
            "createdAt": int(time.time() * 1000),
            "attributes": {"email": email, **attributes},
        }
        self.contacts[contact_id] = contact
        return contact

    def contact_for(self, email: str, new_id: int) -> int:
        for contact_id, contact in self.contacts.items():
            if str(contact["attributes"].get("email", "")).lower() == email.lower():
                return contact_id
        self.add_contact(new_id, email)
        return new_id

    def add_message(self, conversation_id: int, message: dict[str, Any]) -> None:
        self.messages.setdefault(conversation_id, []).append(message)
        conversation = self.conversations.get(conversation_id)
        if conversation is not None:
            conversation["updatedAt"] = message.get("createdAt", conversation.get("updatedAt"))

    def conversation(self, conversation_id: int) -> dict[str, Any]:
        found = self.conversations.get(conversation_id)
        if found is None:
            raise DriftFailure(404, "not_found", f"Conversation {conversation_id} not found")
        return found


def get_conversation(records: DriftRecords, conversation_id: int) -> HttpReply:
    return HttpReply.json(200, {"data": records.conversation(conversation_id)})


def get_contact(records: DriftRecords, contact_id: int) -> HttpReply:
    contact = records.contacts.get(contact_id)
    if contact is None:
        raise DriftFailure(404, "not_found", f"Contact {contact_id} not found")
    return HttpReply.json(200, {"data": contact})


def find_contacts(records: DriftRecords, request: HttpRequest) -> HttpReply:
    email = (request.query.get("email") or [""])[0]
    if not email:
        raise DriftFailure(400, "validation_error", "email or id query parameter is required")
    limit_text = (request.query.get("limit") or ["10"])[0]
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= 100:
        raise DriftFailure(400, "validation_error", "limit must be between 1 and 100")
    found = [
        contact
        for contact in records.contacts.values()
        if str(contact["attributes"].get("email", "")).lower() == email.lower()
    ][: int(limit_text)]
    if records.single_object_contacts and found:
        return HttpReply.json(200, {"data": found[0]})
    return HttpReply.json(200, {"data": found})


def list_messages(records: DriftRecords, conversation_id: int, request: HttpRequest) -> HttpReply:
    records.conversation(conversation_id)
    messages = records.messages.get(conversation_id, [])
    cursor = (request.query.get("next") or ["0"])[0]
    if not cursor.isdigit():
        raise DriftFailure(400, "validation_error", "next is not a valid cursor")
    start = int(cursor)
    page = messages[start : start + MESSAGES_PAGE_SIZE]
    more = start + MESSAGES_PAGE_SIZE < len(messages)
    pagination: dict[str, Any] = {"more": more}
    if more:
        pagination["next"] = str(start + MESSAGES_PAGE_SIZE)
    return HttpReply.json(200, {"data": {"messages": page}, "pagination": pagination})
