"""FakeDrift answers like the documented Drift API and injects faults on demand."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import pytest
import requests

from tests.fakes.drift_api import FakeDrift, drift_user

AUTH = {"Authorization": "Bearer drift-test-token"}
NEW = "/conversations/new"


def create_body(email: str = "lead@example.com", **attributes: Any) -> dict[str, Any]:
    message = {"body": "<p>hi</p>", "attributes": {"integrationSource": "Slack", **attributes}}
    return {"email": email, "message": message}


def create(drift: FakeDrift, session: requests.Session, **kwargs: Any) -> requests.Response:
    kwargs.setdefault("json", create_body())
    kwargs.setdefault("timeout", 5)
    return session.post(drift.base_url + NEW, headers=AUTH, **kwargs)


# auth and reads ------------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "x"}])
def test_bad_or_missing_bearer_token_is_403(
    drift: FakeDrift, session: requests.Session, headers: dict[str, str]
) -> None:
    answer = session.get(drift.base_url + "/users/list", headers=headers, timeout=5)
    assert answer.status_code == 403
    assert answer.json()["error"]["type"] == "authentication_error"


def test_users_list_and_user_by_id(drift: FakeDrift, session: requests.Session) -> None:
    users = session.get(drift.base_url + "/users/list", headers=AUTH, timeout=5).json()["data"]
    assert {user["id"] for user in users} == {21849, 21850, 30001}
    assert set(users[0]) >= {"id", "orgId", "name", "email", "availability", "role", "bot"}
    one = session.get(drift.base_url + "/users/21849", headers=AUTH, timeout=5).json()
    assert one["data"]["email"] == "chris@example.com"
    missing = session.get(drift.base_url + "/users/1", headers=AUTH, timeout=5)
    assert (missing.status_code, missing.json()["error"]["type"]) == (404, "not_found")


def test_missing_scope_is_an_authentication_error(session: requests.Session) -> None:
    with FakeDrift(scopes=frozenset({"conversation_write"})) as narrow:
        answer = session.get(narrow.base_url + "/users/list", headers=AUTH, timeout=5)
    assert (answer.status_code, answer.json()["error"]["type"]) == (403, "authentication_error")


def test_token_info(drift: FakeDrift, session: requests.Session) -> None:
    info = session.post(
        drift.base_url + "/app/token_info", json={"access_token": "drift-test-token"}, timeout=5
    ).json()
    assert info["authenticated_userid"] == "orgId:8675309"
    assert "conversation_write" in info["scope"].split()
    wrong = session.post(drift.base_url + "/app/token_info", json={"access_token": "x"}, timeout=5)
    assert wrong.status_code == 403


# conversations -------------------------------------------------------------------------------
def test_create_conversation_answers_the_seed_shape(
    drift: FakeDrift, session: requests.Session
) -> None:
    answer = create(drift, session)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"status", "participants", "contactId", "createdAt", "id", "inboxId"}
    assert (body["status"], body["participants"], body["inboxId"]) == ("open", [], 116983)
    assert drift.created_count == 1
    assert drift.conversations[0].request == create_body()
    assert drift.conversations[0].response == body


def test_contact_is_stable_per_email_and_ids_are_new(
    drift: FakeDrift, session: requests.Session
) -> None:
    first = create(drift, session, json=create_body("Lead@Example.com")).json()
    second = create(drift, session, json=create_body("lead@example.com")).json()
    other = create(drift, session, json=create_body("someone@example.com")).json()
    assert first["contactId"] == second["contactId"] != other["contactId"]
    assert len({first["id"], second["id"], other["id"]}) == 3


@pytest.mark.parametrize(("assignee", "participants"), [(21849, [21849]), (99999, []), (30001, [])])
def test_auto_assignee_joins_when_the_user_exists(
    drift: FakeDrift, session: requests.Session, assignee: int, participants: list[int]
) -> None:
    body = create(drift, session, json=create_body(autoAssigneeId=assignee)).json()
    assert body["participants"] == participants


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"json": {"message": {"body": "hi"}}},
        {"json": create_body("not-an-email")},
        {"json": create_body("two@@example.com")},
        {"json": {"email": "a@b.co"}},
        {"json": {"email": "a@b.co", "message": {"body": ""}}},
        {"json": {"email": "a@b.co", "message": {"body": 5}}},
        {"json": create_body(autoAssigneeId="21849")},
        {"json": create_body(autoAssigneeId=True)},
        {"json": ["a@b.co"]},
        {"data": "email=a@b.co"},
        {"data": "{not json", "headers": {**AUTH, "Content-Type": "application/json"}},
    ],
)
def test_invalid_create_requests_are_400_and_create_nothing(
    drift: FakeDrift, session: requests.Session, request_kwargs: dict[str, Any]
) -> None:
    headers = request_kwargs.pop("headers", AUTH)
    answer = session.post(drift.base_url + NEW, headers=headers, timeout=5, **request_kwargs)
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "validation_error"
    assert drift.created_count == 0


def test_post_message_to_a_conversation(drift: FakeDrift, session: requests.Session) -> None:
    conversation_id = create(drift, session).json()["id"]
    url = f"{drift.base_url}/conversations/{conversation_id}/messages"
    note = {"type": "private_note", "body": "from Slack", "userId": 21849}
    answer = session.post(url, json=note, headers=AUTH, timeout=5).json()
    message = answer["data"]["messages"][0]
    assert (message["type"], message["conversationId"]) == ("private_note", conversation_id)
    assert drift.messages == [{**note, "conversationId": conversation_id}]
    bad_type = session.post(url, json={"type": "shout"}, headers=AUTH, timeout=5)
    assert bad_type.status_code == 400


@pytest.mark.parametrize(
    "message",
    [
        {"body": "no type"},
        {"type": "chat", "body": 5},
        {"type": "chat", "body": "x", "userId": "21849"},
        {"type": "chat", "body": "x", "userId": True},
        {"type": "chat", "body": "x", "buttons": {"label": "yes", "value": "yes"}},
        {"type": "chat", "body": "x", "buttons": [{"label": "yes"}]},
        {"type": "chat", "body": "x", "buttons": [{"label": "yes", "value": 1, "type": "reply"}]},
    ],
)
def test_invalid_messages_are_400_and_post_nothing(
    drift: FakeDrift, session: requests.Session, message: dict[str, Any]
) -> None:
    url = f"{drift.base_url}/conversations/{create(drift, session).json()['id']}/messages"
    answer = session.post(url, json=message, headers=AUTH, timeout=5)
    assert (answer.status_code, answer.json()["error"]["type"]) == (400, "validation_error")
    assert drift.messages == []


def test_message_with_documented_buttons_is_accepted(
    drift: FakeDrift, session: requests.Session
) -> None:
    url = f"{drift.base_url}/conversations/{create(drift, session).json()['id']}/messages"
    buttons = [{"value": "yes please", "label": "yes please", "type": "reply"}]
    message = {"type": "chat", "body": "x", "buttons": buttons, "userId": 21849}
    assert session.post(url, json=message, headers=AUTH, timeout=5).status_code == 200


def test_post_message_to_an_unknown_conversation(
    drift: FakeDrift, session: requests.Session
) -> None:
    url = drift.base_url + "/conversations/1/messages"
    answer = session.post(url, json={"type": "chat", "body": "x"}, headers=AUTH, timeout=5)
    assert (answer.status_code, answer.json()["error"]["type"]) == (404, "not_found")


def test_added_users_are_listed(drift: FakeDrift, session: requests.Session) -> None:
    drift.add_user(drift_user(5, "Eve", "eve@example.com"))
    users = session.get(drift.base_url + "/users/list", headers=AUTH, timeout=5).json()["data"]
    assert users[-1]["id"] == 5


# faults --------------------------------------------------------------------------------------
def test_fail_next_answers_the_status_for_n_calls_then_recovers(
    drift: FakeDrift, session: requests.Session
) -> None:
    drift.fail_next(503, times=2, path=NEW)
    statuses = [create(drift, session).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert drift.created_count == 1
    assert [call.fault for call in drift.calls] == ["status", "status", None]


def test_fail_next_only_hits_its_path(drift: FakeDrift, session: requests.Session) -> None:
    drift.fail_next(500, path="/users/list")
    assert create(drift, session).status_code == 200
    assert session.get(drift.base_url + "/users/list", headers=AUTH, timeout=5).status_code == 500


@pytest.mark.parametrize(("retry_after", "header"), [(None, None), (2, "2"), (1.5, "1.5")])
def test_rate_limit_with_and_without_retry_after(
    drift: FakeDrift,
    session: requests.Session,
    retry_after: float | None,
    header: str | None,
) -> None:
    drift.fail_next(429, retry_after=retry_after)
    answer = create(drift, session)
    assert answer.status_code == 429
    assert answer.json()["error"]["type"] == "rate_limit"
    assert answer.headers.get("Retry-After") == header


def test_fail_next_with_a_gateway_page(drift: FakeDrift, session: requests.Session) -> None:
    drift.fail_next(502, body="<html>Bad Gateway</html>")
    answer = create(drift, session)
    assert (answer.status_code, answer.text) == (502, "<html>Bad Gateway</html>")
    assert answer.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(("after_processing", "created"), [(False, 0), (True, 1)])
def test_dropped_connection_before_or_after_creating(
    drift: FakeDrift, session: requests.Session, after_processing: bool, created: int
) -> None:
    drift.drop_next(path=NEW, after_processing=after_processing)
    with pytest.raises(requests.ConnectionError):
        create(drift, session)
    assert drift.created_count == created
    assert drift.calls[-1].status is None
    assert create(drift, session).status_code == 200


def test_late_response_arrives_after_the_client_gave_up(
    drift: FakeDrift, session: requests.Session
) -> None:
    drift.delay_response_next(30)
    with pytest.raises(requests.ReadTimeout):
        create(drift, session, timeout=(2, 0.2))
    assert drift.created_count == 1
    drift.release()


def test_latency_holds_the_call_before_processing_until_released(
    drift: FakeDrift, session: requests.Session
) -> None:
    drift.set_latency(30, path=NEW)
    with pytest.raises(requests.ReadTimeout):
        create(drift, session, timeout=(2, 0.2))
    assert drift.created_count == 0
    drift.set_latency(0, path=NEW)
    drift.release()
    assert drift.wait_for(lambda: drift.created_count == 1)


def test_stop_cuts_server_side_delays_short(session: requests.Session) -> None:
    drift = FakeDrift().start()
    drift.delay_response_next(60)
    caller = threading.Thread(target=lambda: _ignore_errors(lambda: create(drift, session)))
    caller.start()
    drift.wait_for(lambda: drift.created_count == 1)
    started = time.monotonic()
    drift.stop()
    caller.join(timeout=10)
    assert not caller.is_alive()
    assert time.monotonic() - started < 10


def _ignore_errors(call: Any) -> None:
    with contextlib.suppress(requests.RequestException):
        call()
