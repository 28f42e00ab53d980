"""The Drift endpoints FakeDrift serves, with its auth and validation rules (drift-api.md §1-§6).

Decisions where Drift documents nothing (all UNCONFIRMED):
- a non-JSON body or a JSON body that is not an object is a 400 `validation_error`;
- `message.attributes.autoAssigneeId` must be an integer; per the seed page the user is added
  to `participants` when that user exists (and is not a bot), otherwise the conversation is
  created unassigned;
- on `POST /conversations/{id}/messages` (drift-api.md §6.5) `userId` must be an integer user id
  and `buttons` a list of objects with string `label` and `value` (the documented example);
- a missing scope is a 403 `authentication_error`;
- `POST /app/token_info` authenticates by the `access_token` in its body, not the header.
Not thread-safe by itself: FakeDrift holds its lock around `answer`.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.drift_reads import (
    DriftFailure,
    DriftRecords,
    find_contacts,
    get_contact,
    get_conversation,
    list_messages,
)
from tests.fakes.http import HttpReply, HttpRequest

__all__ = ["CreatedConversation", "DriftEndpoints", "DriftFailure", "error_reply"]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MESSAGE_TYPES = frozenset({"chat", "private_note"})
_CONVERSATION_MESSAGES = re.compile(r"^/conversations/(\d+)/messages$")
_USER = re.compile(r"^/users/(\d+)$")
_CONVERSATION = re.compile(r"^/conversations/(\d+)$")
_CONTACT = re.compile(r"^/contacts/(\d+)$")


def error_reply(status: int, error_type: str, message: str) -> HttpReply:
    return HttpReply.json(status, {"error": {"type": error_type, "message": message}})


def _invalid(message: str) -> DriftFailure:
    return DriftFailure(400, "validation_error", message)


@dataclass(frozen=True)
class CreatedConversation:
    id: int
    request: dict[str, Any]
    response: dict[str, Any]


class DriftEndpoints:
    def __init__(
        self,
        *,
        access_token: str,
        users: list[dict[str, Any]],
        scopes: frozenset[str],
        org_id: int,
        inbox_id: int,
    ) -> None:
        self.access_token = access_token
        self.users = users
        self.scopes = scopes
        self.org_id = org_id
        self.inbox_id = inbox_id
        self.conversations: list[CreatedConversation] = []
        self.messages: list[dict[str, Any]] = []
        self.records = DriftRecords()
        self._conversation_ids = itertools.count(464032472)
        self.contact_ids = itertools.count(1261122150)
        self._message_ids = itertools.count(9000000001)

    def answer(self, request: HttpRequest) -> HttpReply:
        route = (request.method, request.path)
        if route == ("POST", "/app/token_info"):
            return self._token_info(request)
        self._authenticate(request)
        if route == ("GET", "/users/list"):
            self._require("user_read")
            return HttpReply.json(200, {"data": self.users})
        if request.method == "GET" and (match := _USER.match(request.path)):
            self._require("user_read")
            return HttpReply.json(200, {"data": self._user(int(match.group(1)))})
        if route == ("POST", "/conversations/new"):
            self._require("conversation_write")
            return HttpReply.json(200, self._create_conversation(_json_object(request)))
        if request.method == "GET":
            return self._read(request)
        if request.method == "POST" and (match := _CONVERSATION_MESSAGES.match(request.path)):
            self._require("conversation_write")
            body = _json_object(request)
            return HttpReply.json(200, self._post_message(int(match.group(1)), body))
        raise DriftFailure(404, "not_found", f"No route for {request.method} {request.path}")

    def _read(self, request: HttpRequest) -> HttpReply:
        if match := _CONVERSATION.match(request.path):
            self._require("conversation_read")
            return get_conversation(self.records, int(match.group(1)))
        if match := _CONVERSATION_MESSAGES.match(request.path):
            self._require("conversation_read")
            return list_messages(self.records, int(match.group(1)), request)
        if match := _CONTACT.match(request.path):
            self._require("contact_read")
            return get_contact(self.records, int(match.group(1)))
        if request.path == "/contacts":
            self._require("contact_read")
            return find_contacts(self.records, request)
        raise DriftFailure(404, "not_found", f"No route for GET {request.path}")

    def _authenticate(self, request: HttpRequest) -> None:
        token = request.bearer_token()
        if token is None:
            raise DriftFailure(403, "authentication_error", "Missing bearer token")
        if token != self.access_token:
            raise DriftFailure(403, "authentication_error", "Invalid access token")

    def _require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise DriftFailure(403, "authentication_error", f"Token lacks the {scope} scope")

    def _user(self, user_id: int) -> dict[str, Any]:
        for user in self.users:
            if user.get("id") == user_id:
                return user
        raise DriftFailure(404, "not_found", f"User {user_id} not found")

    def _create_conversation(self, body: dict[str, Any]) -> dict[str, Any]:
        email = body.get("email")
        if not isinstance(email, str) or not EMAIL.match(email):
            raise _invalid("email must be a valid email address")
        message = body.get("message")
        if not isinstance(message, dict):
            raise _invalid("message is required")
        if not isinstance(message.get("body"), str) or not message["body"].strip():
            raise _invalid("message.body must be a non-empty string")
        attributes = message.get("attributes", {})
        if not isinstance(attributes, dict):
            raise _invalid("message.attributes must be an object")
        source = attributes.get("integrationSource")
        if source is not None and not isinstance(source, str):
            raise _invalid("message.attributes.integrationSource must be a string")
        assignee = attributes.get("autoAssigneeId")
        if assignee is not None and not _is_int(assignee):
            raise _invalid("message.attributes.autoAssigneeId must be a user id")
        contact_id = self.records.contact_for(email, next(self.contact_ids))
        now = int(time.time() * 1000)
        response = {
            "status": "open",
            "participants": [assignee] if self._routable(assignee) else [],
            "contactId": contact_id,
            "createdAt": now,
            "id": next(self._conversation_ids),
            "inboxId": self.inbox_id,
        }
        self.conversations.append(CreatedConversation(response["id"], body, response))
        self.records.conversations[response["id"]] = {**response, "updatedAt": now}
        first = {"type": "chat", "body": message["body"], "author": {"type": "contact"}}
        self.records.add_message(response["id"], self._message(response["id"], contact_id, first))
        return response

    def _message(
        self, conversation_id: int, author_id: int | None, body: dict[str, Any]
    ) -> dict[str, Any]:
        author = {**body.get("author", {"type": "user"}), "id": author_id}
        author.setdefault("bot", author_id is None)
        return {
            "id": next(self._message_ids),
            "orgId": self.org_id,
            "body": body.get("body", ""),
            "author": author,
            "type": body["type"],
            "conversationId": conversation_id,
            "createdAt": int(time.time() * 1000),
            "attributes": {"developer_app_id": 4242},
        }

    def write(self, conversation_id: int, body: str, *, author: str, note: bool) -> dict[str, Any]:
        """A message typed in Drift itself: no developer_app_id."""
        conversation = self.records.conversation(conversation_id)
        author_id = conversation["contactId"] if author == "contact" else self.users[0]["id"]
        kind = "private_note" if note else "chat"
        message = self._message(conversation_id, author_id, {"type": kind, "body": body})
        message["author"] = {"type": author, "id": author_id, "bot": False}
        message["attributes"] = {}
        self.records.add_message(conversation_id, message)
        return message

    def _routable(self, user_id: int | None) -> bool:
        return any(user.get("id") == user_id and not user.get("bot") for user in self.users)

    def _post_message(self, conversation_id: int, body: dict[str, Any]) -> dict[str, Any]:
        if not any(created.id == conversation_id for created in self.conversations):
            raise DriftFailure(404, "not_found", f"Conversation {conversation_id} not found")
        if body.get("type") not in MESSAGE_TYPES:
            raise _invalid("type must be chat or private_note")
        if "body" in body and not isinstance(body["body"], str):
            raise _invalid("body must be a string")
        user_id = body.get("userId")
        if user_id is not None and not _is_int(user_id):
            raise _invalid("userId must be a user id")
        if "buttons" in body and not _valid_buttons(body["buttons"]):
            raise _invalid("buttons must be a list of {label, value, type} objects")
        self.messages.append({**body, "conversationId": conversation_id})
        created = self._message(conversation_id, user_id, {**body, "author": {"type": "user"}})
        self.records.add_message(conversation_id, created)
        return {"data": {"messages": [created]}}

    def _token_info(self, request: HttpRequest) -> HttpReply:
        token = _json_object(request).get("access_token")
        if token != self.access_token:
            raise DriftFailure(403, "authentication_error", "Invalid access token")
        return HttpReply.json(
            200,
            {
                "access_token": token,
                "authenticated_userid": f"orgId:{self.org_id}",
                "credential_id": 4242,
                "token_type": "bearer",
                "expires_in": 0,
                "created_at": int(time.time() * 1000),
                "scope": " ".join(sorted(self.scopes)),
                "id": 77,
            },
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_buttons(buttons: Any) -> bool:
    return isinstance(buttons, list) and all(
        isinstance(button, dict)
        and isinstance(button.get("label"), str)
        and isinstance(button.get("value"), str)
        and isinstance(button.get("type", ""), str)
        for button in buttons
    )


def _json_object(request: HttpRequest) -> dict[str, Any]:
    if request.media_type != "application/json":
        raise _invalid("Content-Type must be application/json")
    try:
        body = request.json()
    except ValueError:
        raise _invalid("Body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _invalid("Body must be a JSON object")
    return body
