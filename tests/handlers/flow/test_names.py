"""Tests for handlers/names.py against a loopback Slack Web API on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_sdk import WebClient

from handlers.flow.names import SlackNames, SlackUser
from rendering.richtext import rich_text_to_html
from tests.clock import FakeClock
from tests.waiting import wait_until

TOKEN = "xoxb-test-token"
Reply = tuple[int, Any]


class FakeSlackApi:
    """Answers `/api/<method>` from `replies` (default: `{"ok": false, "error": "unknown_method"}`)
    and records every call as (method, params, authorization header)."""

    def __init__(self) -> None:
        self.replies: dict[str, Callable[[dict[str, str]], Reply]] = {}
        self.calls: list[tuple[str, dict[str, str], str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer(urlsplit(self.path).query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(self.rfile.read(length).decode())

            def _answer(self, query: str) -> None:
                method = urlsplit(self.path).path.rsplit("/", 1)[-1]
                params = {key: values[0] for key, values in parse_qs(query).items()}
                fake.calls.append((method, params, self.headers.get("Authorization", "")))
                reply = fake.replies.get(method)
                status, body = (
                    reply(params) if reply else (200, {"ok": False, "error": "unknown_method"})
                )
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json" if isinstance(body, dict) else "text/html"
                )
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def methods_called(self) -> list[str]:
        return [method for method, _, _ in self.calls]


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi()
    thread = threading.Thread(target=fake.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        thread.join()


@pytest.fixture
def make_names(slack: FakeSlackApi, clock: FakeClock) -> Callable[..., SlackNames]:
    def make(**options: Any) -> SlackNames:
        client = WebClient(token=TOKEN, base_url=slack.base_url, timeout=5, retry_handlers=[])
        return SlackNames(client, timer=clock, **options)

    return make


def user_payload(user_id: str, **overrides: Any) -> dict[str, Any]:
    user = {
        "id": user_id,
        "team_id": "T0G9PQBBK",
        "name": "jdoe",
        "real_name": "Jane Doe",
        "deleted": False,
        "is_bot": False,
        "is_restricted": False,
        "profile": {
            "display_name": "Jane",
            "real_name": "Jane Doe",
            "email": "jane@acme.com",
            "team": "T0G9PQBBK",
        },
    }
    user.update(overrides)
    return user


def answer_users(users: dict[str, dict[str, Any]]) -> Callable[[dict[str, str]], Reply]:
    def reply(params: dict[str, str]) -> Reply:
        user = users.get(params.get("user", ""))
        return (
            (200, {"ok": True, "user": user})
            if user
            else (200, {"ok": False, "error": "user_not_found"})
        )

    return reply


def test_user_is_read_once_and_mapped(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames]
) -> None:
    slack.replies["users.info"] = answer_users({"U1": user_payload("U1")})
    names = make_names()
    first = names.user("U1")
    assert first == SlackUser(
        id="U1",
        team_id="T0G9PQBBK",
        name="jdoe",
        real_name="Jane Doe",
        display_name="Jane",
        email="jane@acme.com",
    )
    assert names.user("U1") is first
    assert names.user_name("U1") == "Jane"
    assert slack.calls == [("users.info", {"user": "U1"}, f"Bearer {TOKEN}")]


def test_cached_user_expires_after_the_ttl(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames], clock: FakeClock
) -> None:
    slack.replies["users.info"] = answer_users({"U1": user_payload("U1")})
    names = make_names(ttl=300)
    names.user("U1")
    clock.advance(299)
    names.user("U1")
    assert slack.methods_called() == ["users.info"]
    clock.advance(2)
    names.user("U1")
    assert slack.methods_called() == ["users.info", "users.info"]


def test_cache_is_bounded(slack: FakeSlackApi, make_names: Callable[..., SlackNames]) -> None:
    slack.replies["users.info"] = answer_users(
        {uid: user_payload(uid) for uid in ("U1", "U2", "U3")}
    )
    names = make_names(maxsize=2)
    for user_id in ("U1", "U2", "U3", "U1"):
        assert names.user(user_id) is not None
    assert [params["user"] for _, params, _ in slack.calls] == ["U1", "U2", "U3", "U1"]


def test_failure_gives_none_logs_the_code_and_is_retried_later(
    slack: FakeSlackApi,
    make_names: Callable[..., SlackNames],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack.replies["users.info"] = answer_users({})
    names = make_names(negative_ttl=30)
    with caplog.at_level(logging.WARNING, logger="handlers.flow.names"):
        assert names.user("U404") is None
        assert names.user_name("U404") is None
    assert slack.methods_called() == ["users.info"]
    assert "user_not_found" in caplog.text
    assert TOKEN not in caplog.text
    assert all(record.levelno == logging.WARNING for record in caplog.records)
    clock.advance(31)
    slack.replies["users.info"] = answer_users({"U404": user_payload("U404", profile={})})
    assert names.user_name("U404") == "Jane Doe"


@pytest.mark.parametrize(
    "reply",
    [
        (500, "<html>Internal error</html>"),
        (200, "not json"),
        (429, {"ok": False, "error": "ratelimited"}),
        (200, {"ok": False, "error": "missing_scope", "needed": "users:read"}),
        (200, {"ok": True, "user": "not an object"}),
    ],
)
def test_bad_answers_give_none(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames], reply: Reply
) -> None:
    slack.replies["users.info"] = lambda params: reply
    assert make_names().user("U1") is None


def test_unreachable_slack_gives_none(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client = WebClient(
        token=TOKEN, base_url=f"http://127.0.0.1:{closed_port}/api/", timeout=2, retry_handlers=[]
    )
    names = SlackNames(client)
    with caplog.at_level(logging.WARNING, logger="handlers.flow.names"):
        assert names.user_name("U1") is None
        assert names.channel_name("C1") is None
    assert "users.info" in caplog.text
    assert TOKEN not in caplog.text


def test_channel_names(slack: FakeSlackApi, make_names: Callable[..., SlackNames]) -> None:
    channels = {
        "C1": {"id": "C1", "name": "sales", "is_channel": True},
        "D1": {"id": "D1", "is_im": True, "user": "U1"},
    }
    slack.replies["conversations.info"] = lambda params: (
        200,
        {"ok": True, "channel": channels[params["channel"]]},
    )
    names = make_names()
    assert names.channel_name("C1") == "sales"
    assert names.channel_name("C1") == "sales"
    assert names.channel_name("D1") is None
    assert [params["channel"] for _, params, _ in slack.calls] == ["C1", "D1"]


def test_usergroups_are_listed_once(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames]
) -> None:
    groups = [
        {"id": "S1", "handle": "support-team", "name": "Support"},
        {"id": "S2", "handle": "", "name": "Sales Leads"},
        "garbage",
    ]
    slack.replies["usergroups.list"] = lambda params: (200, {"ok": True, "usergroups": groups})
    names = make_names()
    assert names.usergroup_name("S1") == "support-team"
    assert names.usergroup_name("S2") == "Sales Leads"
    assert names.usergroup_name("S9") is None
    assert slack.methods_called() == ["usergroups.list"]
    assert slack.calls[0][1] == {"include_disabled": "1"}


def test_usergroups_without_the_scope_fall_back(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames]
) -> None:
    slack.replies["usergroups.list"] = lambda params: (200, {"ok": False, "error": "missing_scope"})
    names = make_names()
    assert names.usergroup_name("S1") is None
    assert names.usergroup_name("S2") is None
    assert slack.methods_called() == ["usergroups.list"]


def test_empty_ids_make_no_calls(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames]
) -> None:
    names = make_names()
    assert (names.user(""), names.channel_name(""), names.usergroup_name("")) == (None, None, None)
    assert slack.calls == []


def test_names_feed_the_converter(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames]
) -> None:
    slack.replies["users.info"] = answer_users(
        {"U1": user_payload("U1", profile={"display_name": "Jane <3"})}
    )
    slack.replies["conversations.info"] = lambda params: (
        200,
        {"ok": True, "channel": {"name": "sales"}},
    )
    block = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "user", "user_id": "U1"},
                    {"type": "text", "text": " "},
                    {"type": "channel", "channel_id": "C1"},
                    {"type": "text", "text": " "},
                    {"type": "user", "user_id": "U404"},
                    {"type": "text", "text": " "},
                    {"type": "usergroup", "usergroup_id": "S1"},
                ],
            }
        ],
    }
    assert rich_text_to_html(block, make_names()) == "<p>@Jane &lt;3 #sales @U404 @S1</p>"


def test_concurrent_misses_share_one_call(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames]
) -> None:
    release = threading.Event()
    answer = answer_users({"U1": user_payload("U1")})

    def slow_answer(params: dict[str, str]) -> Reply:
        release.wait(timeout=10)
        return answer(params)

    slack.replies["users.info"] = slow_answer
    names = make_names()
    results: list[str | None] = []
    threads = [
        threading.Thread(target=lambda: results.append(names.user_name("U1"))) for _ in range(8)
    ]
    threads[0].start()
    wait_until(lambda: len(slack.calls) == 1)
    for thread in threads[1:]:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(timeout=10)
    assert results == ["Jane"] * 8
    assert slack.methods_called() == ["users.info"]


def test_an_unexpected_error_reaches_the_caller_and_is_not_remembered(
    slack: FakeSlackApi, make_names: Callable[..., SlackNames]
) -> None:
    slack.replies["users.info"] = lambda _params: (200, ["not", "an", "object"])
    names = make_names()
    with pytest.raises(AttributeError):
        names.user_name("U1")
    slack.replies["users.info"] = answer_users({"U1": user_payload("U1")})
    assert names.user_name("U1") == "Jane"


@pytest.mark.parametrize(
    ("payload", "best_name"),
    [
        (user_payload("U1"), "Jane"),
        (user_payload("U1", profile={"real_name": "Jane Doe"}, real_name=""), "Jane Doe"),
        (user_payload("U1", profile={}, real_name=""), "jdoe"),
        ({"id": "U1"}, "U1"),
        ({"id": "U1", "profile": "broken", "real_name": 5}, "U1"),
    ],
)
def test_best_name(payload: dict[str, Any], best_name: str) -> None:
    assert SlackUser.from_api(payload).best_name == best_name


@pytest.mark.parametrize(
    ("payload", "flags"),
    [
        ({"id": "U1", "is_bot": True}, (True, False, False)),
        ({"id": "USLACKBOT"}, (True, False, False)),
        ({"id": "U1", "deleted": True}, (False, True, False)),
        ({"id": "U1", "is_restricted": True}, (False, False, True)),
        ({"id": "U1", "is_bot": "yes"}, (False, False, False)),
    ],
)
def test_user_flags(payload: dict[str, Any], flags: tuple[bool, bool, bool]) -> None:
    user = SlackUser.from_api(payload)
    assert (user.is_bot, user.deleted, user.is_restricted) == flags


@pytest.mark.parametrize(
    ("user", "team_id", "enterprise_id", "external"),
    [
        (SlackUser("U1", team_id="T1"), "T1", "", False),
        (SlackUser("U1", team_id="T2"), "T1", "", True),
        (SlackUser("U1", team_id="T2", enterprise_id="E1"), "T1", "E1", False),
        (SlackUser("U1", team_id="T2", enterprise_id="E2"), "T1", "E1", True),
        (SlackUser("U1"), "T1", "", False),
    ],
)
def test_is_external_to(user: SlackUser, team_id: str, enterprise_id: str, external: bool) -> None:
    assert user.is_external_to(team_id, enterprise_id) is external


def test_users_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SlackUser("U1").email = "x@y.com"  # type: ignore[misc]


def test_enterprise_user_is_read() -> None:
    user = SlackUser.from_api(
        {"id": "W1", "enterprise_user": {"enterprise_id": "E1", "teams": ["T1"]}}
    )
    assert user.enterprise_id == "E1"
