"""Tests for drift/models.py: from_api parsing of users, conversations and token info."""

from __future__ import annotations

import pytest

from drift.errors import DriftProtocolError
from drift.models import Conversation, DriftUser, TokenInfo, unwrap

CONVERSATION = {
    "status": "open",
    "participants": [228224],
    "contactId": 1261122150,
    "createdAt": 1548700064840,
    "id": 464032472,
    "inboxId": 116983,
}


def test_user_from_api_maps_camel_case_fields(make_user) -> None:
    payload = make_user(21849, alias="Sam", email="Sam@Example.com")

    user = DriftUser.from_api(payload)

    assert user == DriftUser(
        id=21849,
        name="User 21849",
        email="Sam@Example.com",
        alias="Sam",
        availability="AVAILABLE",
        role="agent",
        bot=False,
        verified=True,
        org_id=77,
    )


def test_user_from_api_treats_absent_fields_as_unset() -> None:
    assert DriftUser.from_api({"id": 5}) == DriftUser(id=5)


@pytest.mark.parametrize("bad_id", [None, "abc", True, 1.5, ""])
def test_user_without_a_numeric_id_is_a_protocol_error(bad_id: object) -> None:
    with pytest.raises(DriftProtocolError):
        DriftUser.from_api({"id": bad_id, "email": "a@example.com"})


@pytest.mark.parametrize(
    ("flag", "expected"), [(True, True), (False, False), ("true", False), (1, False)]
)
def test_user_flags_are_true_only_for_json_true(flag: object, expected: bool) -> None:
    user = DriftUser.from_api({"id": 1, "bot": flag, "verified": flag})

    assert (user.bot, user.verified) == (expected, expected)


@pytest.mark.parametrize("body", [CONVERSATION, {"data": CONVERSATION}])
def test_conversation_from_api_accepts_both_envelopes(body: dict) -> None:
    conversation = Conversation.from_api(body)

    assert conversation == Conversation(
        id=464032472,
        inbox_id=116983,
        contact_id=1261122150,
        status="open",
        participants=(228224,),
        created_at=1548700064840,
    )


@pytest.mark.parametrize(
    "body",
    [
        {**CONVERSATION, "id": None},
        {key: value for key, value in CONVERSATION.items() if key != "inboxId"},
        {"data": {"id": 1}},
        {"data": []},
        [CONVERSATION],
        "ok",
    ],
)
def test_conversation_missing_ids_is_an_ambiguous_protocol_error(body: object) -> None:
    with pytest.raises(DriftProtocolError) as caught:
        Conversation.from_api(body)

    assert caught.value.ambiguous is True


def test_conversation_keeps_only_numeric_participants() -> None:
    body = {"id": 1, "inboxId": 2, "participants": [3, "4", None, "x", True]}

    assert Conversation.from_api(body).participants == (3, 4)


@pytest.mark.parametrize("participants", [None, "228224", {"id": 1}])
def test_conversation_tolerates_odd_participants(participants: object) -> None:
    body = {"id": 1, "inboxId": 2, "participants": participants}

    assert Conversation.from_api(body).participants == ()


@pytest.mark.parametrize("base", ["https://app.drift.com", "https://app.drift.com/"])
def test_conversation_url(base: str) -> None:
    conversation = Conversation(id=464032472, inbox_id=116983)

    assert conversation.url(base) == "https://app.drift.com/inboxes/116983/conversations/464032472"


def test_token_info_from_documented_example() -> None:
    body = {
        "access_token": "irrelevant",
        "authenticated_userid": "orgId:123456",
        "credential_id": "abc",
        "token_type": "bearer",
        "expires_in": 0,
        "scope": "contact_read conversation_read conversation_write user_read",
    }

    info = TokenInfo.from_api(body)

    assert info.org_id == 123456
    assert info.scopes == {"contact_read", "conversation_read", "conversation_write", "user_read"}
    assert info.expires_in == 0
    assert info.missing({"user_read", "conversation_write", "user_write"}) == {"user_write"}


@pytest.mark.parametrize(
    ("body", "org_id", "scopes"),
    [
        ({}, None, frozenset()),
        ({"authenticated_userid": "user:5", "scope": ""}, None, frozenset()),
        ({"data": {"authenticated_userid": "orgId:9", "scope": " a  b "}}, 9, {"a", "b"}),
    ],
)
def test_token_info_tolerates_missing_fields(body: dict, org_id, scopes) -> None:
    info = TokenInfo.from_api(body)

    assert (info.org_id, info.scopes, info.expires_in) == (org_id, scopes, None)


def test_unwrap_returns_the_body_when_data_is_not_an_object() -> None:
    body = {"data": [1, 2]}

    assert unwrap(body) is body
