"""Tests for drift/client.py: transport setup, calls and their payloads, error mapping, the pool."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import responses

from drift.client import DriftClient
from drift.errors import (
    DriftAPIError,
    DriftAuthError,
    DriftNotFoundError,
    DriftProtocolError,
    DriftRateLimitError,
    DriftServerError,
    DriftValidationError,
)
from drift.models import DriftUser, TokenInfo
from tests.drift.conftest import (
    BASE_URL,
    CONVERSATION,
    EXPECTED_CONVERSATION,
    NEW_URL,
    SERVER_WAIT,
    TOKEN,
    USERS_URL,
    Reply,
    create,
)

CALLS = [
    ("GET", "/users/list", {"data": []}, lambda c: c.list_users()),
    ("GET", "/users/7", {"data": {"id": 7}}, lambda c: c.get_user(7)),
    ("POST", "/conversations/new", CONVERSATION, create),
    ("POST", "/conversations/5/messages", {"data": {}}, lambda c: c.post_message(5, "x")),
    ("POST", "/app/token_info", {"scope": "user_read"}, lambda c: c.token_info()),
]


@pytest.mark.parametrize(("method", "path", "body", "call"), CALLS)
def test_every_call_sends_the_headers_and_an_explicit_timeout(
    mocked, sleeps, method, path, body, call
) -> None:
    mocked.add(method, BASE_URL + path, json=body)
    with DriftClient(BASE_URL, TOKEN, timeout=(1.5, 4.0), sleep=sleeps) as client:
        call(client)

    request = mocked.calls[0].request
    assert request.req_kwargs["timeout"] == (1.5, 4.0)
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"] == "drift-open/0.1"
    assert request.headers["Accept"] == "application/json"


def test_user_agent_is_configurable(mocked, sleeps) -> None:
    mocked.get(USERS_URL, json={"data": []})
    with DriftClient(BASE_URL, TOKEN, user_agent="bench/2", sleep=sleeps) as client:
        client.list_users()

    assert mocked.calls[0].request.headers["User-Agent"] == "bench/2"


def test_netrc_credentials_never_replace_the_bearer_token(
    mocked, client, tmp_path, monkeypatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine driftapi.test login intruder password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    mocked.get(USERS_URL, json={"data": []})

    client.list_users()

    assert mocked.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_redirects_are_not_followed(mocked, client) -> None:
    mocked.get(USERS_URL, status=302, headers={"Location": "https://elsewhere.test/"})

    with pytest.raises(DriftAPIError) as caught:
        client.list_users()

    assert caught.value.status_code == 302
    assert len(mocked.calls) == 1


def test_list_users_parses_and_skips_entries_without_an_id(mocked, client, make_user) -> None:
    mocked.get(USERS_URL, json={"data": [make_user(1), {"name": "ghost"}, "junk", make_user(2)]})

    users = client.list_users()

    assert [user.id for user in users] == [1, 2]
    assert users[0] == DriftUser.from_api(make_user(1))


def test_a_thousand_malformed_users_log_one_summary_line(mocked, client, make_user, caplog) -> None:
    mocked.get(USERS_URL, json={"data": [make_user(1)] + [{"name": "ghost"}] * 1000})

    assert [user.id for user in client.list_users()] == [1]
    [line] = [r.getMessage() for r in caplog.records if r.name == "drift.client"]
    assert line == "Skipped 1000 of 1001 Drift users without a numeric id"


@pytest.mark.parametrize("body", [{"data": {"id": 1}}, {"users": []}, [1, 2]])
def test_list_users_without_a_data_list_is_a_protocol_error(mocked, client, body) -> None:
    mocked.get(USERS_URL, json=body)

    with pytest.raises(DriftProtocolError) as caught:
        client.list_users()

    assert caught.value.ambiguous is False


def test_get_user_unwraps_data(mocked, client, make_user) -> None:
    mocked.get(f"{BASE_URL}/users/21849", json={"data": make_user(21849)})

    assert client.get_user(21849) == DriftUser.from_api(make_user(21849))


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"error": {"type": "validation_error", "message": "bad"}}, DriftValidationError),
        (401, {"errors": [{"type": "CONTACT-2", "message": "Unauthorized"}]}, DriftAuthError),
        (403, {"error": {"type": "authentication_error", "message": "no"}}, DriftAuthError),
        (404, {"error": {"type": "not_found", "message": "gone"}}, DriftNotFoundError),
        (429, {"error": {"type": "rate_limit", "message": "slow"}}, DriftRateLimitError),
        (500, {"error": {"type": "internal_error", "message": "boom"}}, DriftServerError),
        (502, "<html><body>Bad Gateway</body></html>", DriftServerError),
        (503, "", DriftServerError),
    ],
)
def test_get_errors_map_by_status(mocked, sleeps, status, body, expected) -> None:
    if isinstance(body, dict):
        mocked.get(f"{BASE_URL}/users/7", json=body, status=status)
    else:
        mocked.get(f"{BASE_URL}/users/7", body=body, status=status)
    with (
        DriftClient(BASE_URL, TOKEN, retries=0, sleep=sleeps) as client,
        pytest.raises(expected) as caught,
    ):
        client.get_user(7)

    assert caught.value.status_code == status
    assert caught.value.ambiguous is False
    assert len(mocked.calls) == 1


def test_auth_errors_name_the_scope_of_the_call(mocked, client) -> None:
    mocked.get(USERS_URL, status=403)
    mocked.post(NEW_URL, status=403)

    with pytest.raises(DriftAuthError) as on_read:
        client.list_users()
    with pytest.raises(DriftAuthError) as on_write:
        create(client)

    assert (on_read.value.scope, on_write.value.scope) == ("user_read", "conversation_write")


@pytest.mark.parametrize(("assignee_id", "extra"), [(21849, {"autoAssigneeId": 21849}), (None, {})])
def test_create_conversation_sends_the_documented_body(mocked, client, assignee_id, extra) -> None:
    mocked.post(NEW_URL, json=CONVERSATION)

    create(client, assignee_id=assignee_id)

    assert json.loads(mocked.calls[0].request.body) == {
        "email": "lead@example.com",
        "message": {"body": "<p>Hello</p>", "attributes": {"integrationSource": "Slack", **extra}},
    }


@pytest.mark.parametrize("body", [CONVERSATION, {"data": CONVERSATION}])
def test_create_conversation_unwraps_either_envelope(mocked, client, body) -> None:
    mocked.post(NEW_URL, json=body)

    assert create(client) == EXPECTED_CONVERSATION


@pytest.mark.parametrize(("type_", "sent"), [(None, "private_note"), ("chat", "chat")])
def test_post_message(mocked, client, type_, sent) -> None:
    mocked.post(
        f"{BASE_URL}/conversations/46/messages",
        json={"data": {"messages": []}},
        match=[responses.matchers.json_params_matcher({"type": sent, "body": "<p>n</p>"})],
    )

    if type_ is None:
        client.post_message(46, "<p>n</p>")
    else:
        client.post_message(46, "<p>n</p>", type_=type_)

    assert len(mocked.calls) == 1


def test_token_info_sends_the_token_in_the_documented_key(mocked, client) -> None:
    mocked.post(
        f"{BASE_URL}/app/token_info",
        json={"authenticated_userid": "orgId:77", "scope": "user_read conversation_write"},
        match=[responses.matchers.json_params_matcher({"access_token": TOKEN})],
    )

    assert client.token_info() == TokenInfo(77, frozenset({"user_read", "conversation_write"}))


def test_repr_hides_the_token() -> None:
    with DriftClient(BASE_URL, TOKEN) as client:
        assert TOKEN not in repr(client)


def test_context_manager_closes_the_session_it_created(monkeypatch) -> None:
    closed: list[requests.Session] = []
    monkeypatch.setattr(requests.Session, "close", lambda self: closed.append(self))

    with DriftClient(BASE_URL, TOKEN):
        assert closed == []

    assert len(closed) == 1


def test_an_injected_session_is_used_and_left_open(mocked) -> None:
    class RecordingSession(requests.Session):
        closed = False

        def close(self) -> None:
            self.closed = True
            super().close()

    session = RecordingSession()
    mocked.get(USERS_URL, json={"data": []})
    with DriftClient(BASE_URL, TOKEN, session=session) as client:
        client.list_users()

    assert mocked.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert session.closed is False
    session.close()


def test_one_client_serves_32_threads_without_exhausting_its_pool(loopback, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="urllib3.connectionpool")
    all_in_flight = threading.Barrier(32)
    loopback.default = Reply(body={"data": []}, before=lambda: all_in_flight.wait(SERVER_WAIT))
    with DriftClient(loopback.base_url, TOKEN) as client, ThreadPoolExecutor(32) as pool:
        results = list(pool.map(lambda _: client.list_users(), range(32)))

    assert results == [[]] * 32
    assert "pool is full" not in caplog.text


def test_post_message_as_a_user_returns_what_drift_created(mocked, client) -> None:
    created = {"id": 77, "conversationId": 46, "type": "private_note", "body": "<p>n</p>"}
    created["attributes"] = {"developer_app_id": 4242}
    mocked.post(
        f"{BASE_URL}/conversations/46/messages",
        json={"data": {"messages": [created, {"id": "not a number"}]}},
        match=[
            responses.matchers.json_params_matcher(
                {"type": "private_note", "body": "<p>n</p>", "userId": 21}
            )
        ],
    )

    [message] = client.post_message(46, "<p>n</p>", user_id=21)

    assert (message.id, message.conversation_id, message.app_id) == (77, 46, 4242)
