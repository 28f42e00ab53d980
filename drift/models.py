"""Frozen value types built from Drift JSON: DriftUser, Conversation, Contact, DriftMessage and
TokenInfo.

Each `from_api` maps camelCase keys to snake_case and treats every optional field as possibly
absent (Drift omits unset fields). Handlers never index raw Drift JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from drift.errors import DriftProtocolError


def unwrap(body: object, *, ambiguous: bool = False) -> Mapping[str, Any]:
    """The object inside `{"data": {...}}`, or the body itself when Drift sent it unwrapped."""
    if not isinstance(body, Mapping):
        raise DriftProtocolError(
            f"expected a JSON object from Drift, got {type(body).__name__}", ambiguous=ambiguous
        )
    data = body.get("data")
    return data if isinstance(data, Mapping) else body


@dataclass(frozen=True)
class DriftUser:
    """A Drift user (agent, admin or bot) from /users/list or /users/{id}."""

    id: int
    name: str = ""
    email: str = ""
    alias: str = ""
    availability: str = ""
    role: str = ""
    bot: bool = False
    verified: bool = False
    org_id: int | None = None

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> DriftUser:
        user_id = _as_int(payload.get("id"))
        if user_id is None:
            raise DriftProtocolError(f"Drift user without a numeric id: {payload.get('id')!r}")
        return cls(
            id=user_id,
            name=_as_str(payload.get("name")),
            email=_as_str(payload.get("email")),
            alias=_as_str(payload.get("alias")),
            availability=_as_str(payload.get("availability")),
            role=_as_str(payload.get("role")),
            bot=payload.get("bot") is True,
            verified=payload.get("verified") is True,
            org_id=_as_int(payload.get("orgId")),
        )


@dataclass(frozen=True)
class Conversation:
    """A conversation as returned by POST /conversations/new (wrapped in `data` or not)."""

    id: int
    inbox_id: int
    contact_id: int | None = None
    status: str = ""
    participants: tuple[int, ...] = ()
    created_at: int | None = None

    @classmethod
    def from_api(cls, body: object) -> Conversation:
        """Build from the response body; a missing id or inboxId is ambiguous (it may exist)."""
        obj = unwrap(body, ambiguous=True)
        conversation_id = _as_int(obj.get("id"))
        inbox_id = _as_int(obj.get("inboxId"))
        if conversation_id is None or inbox_id is None:
            raise DriftProtocolError(
                "Drift's answer lacks the conversation id or inboxId", ambiguous=True
            )
        raw_participants = obj.get("participants")
        participant_ids = raw_participants if isinstance(raw_participants, list) else []
        return cls(
            id=conversation_id,
            inbox_id=inbox_id,
            contact_id=_as_int(obj.get("contactId")),
            status=_as_str(obj.get("status")),
            participants=tuple(pid for pid in map(_as_int, participant_ids) if pid is not None),
            created_at=_as_int(obj.get("createdAt")),
        )

    def url(self, app_base_url: str) -> str:
        """Link for a Drift user, e.g. https://app.drift.com/inboxes/1/conversations/2."""
        return f"{app_base_url.rstrip('/')}/inboxes/{self.inbox_id}/conversations/{self.id}"


@dataclass(frozen=True)
class Contact:
    """A Drift contact (GET /contacts/{id} or /contacts?email=), by the attributes people know."""

    id: int
    email: str = ""
    name: str = ""
    company: str = ""

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Contact:
        contact_id = _as_int(payload.get("id"))
        if contact_id is None:
            raise DriftProtocolError(f"Drift contact without a numeric id: {payload.get('id')!r}")
        raw = payload.get("attributes")
        attributes: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        full_name = " ".join(
            part
            for part in map(_as_str, (attributes.get("first_name"), attributes.get("last_name")))
            if part
        )
        return cls(
            id=contact_id,
            email=_as_str(attributes.get("email")),
            name=_as_str(attributes.get("name")) or full_name,
            company=_as_str(attributes.get("company")) or _as_str(attributes.get("company_name")),
        )


@dataclass(frozen=True)
class DriftMessage:
    """One message of a conversation: a contact's or an agent's chat, or an internal note."""

    id: int
    conversation_id: int
    type: str
    body: str = ""
    author_type: str = ""
    author_id: int | None = None
    created_at: int | None = None
    app_id: int | None = None

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> DriftMessage:
        message_id = _as_int(payload.get("id"))
        conversation_id = _as_int(payload.get("conversationId"))
        if message_id is None or conversation_id is None:
            raise DriftProtocolError("Drift message without a numeric id or conversationId")
        raw_author, raw_attributes = payload.get("author"), payload.get("attributes")
        author: Mapping[str, Any] = raw_author if isinstance(raw_author, Mapping) else {}
        attributes = raw_attributes if isinstance(raw_attributes, Mapping) else {}
        return cls(
            id=message_id,
            conversation_id=conversation_id,
            type=_as_str(payload.get("type")),
            body=_as_str(payload.get("body")),
            author_type=_as_str(author.get("type")),
            author_id=_as_int(author.get("id")),
            created_at=_as_int(payload.get("createdAt")),
            app_id=_as_int(attributes.get("developer_app_id")),
        )


@dataclass(frozen=True)
class TokenInfo:
    """What POST /app/token_info says about the access token."""

    org_id: int | None
    scopes: frozenset[str]
    expires_in: int | None = None

    @classmethod
    def from_api(cls, body: object) -> TokenInfo:
        obj = unwrap(body)
        user_id = _as_str(obj.get("authenticated_userid"))
        prefix, _, org = user_id.partition(":")
        return cls(
            org_id=_as_int(org) if prefix == "orgId" else None,
            scopes=frozenset(_as_str(obj.get("scope")).split()),
            expires_in=_as_int(obj.get("expires_in")),
        )

    def missing(self, required: Iterable[str]) -> frozenset[str]:
        """The required scopes this token does not have."""
        return frozenset(required) - self.scopes


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _as_str(value: object) -> str:
    return value if isinstance(value, str) else ""
