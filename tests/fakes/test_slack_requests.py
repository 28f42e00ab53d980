"""FakeSlack reads request bodies as Slack does (Content-Type, charset) and checks the app-level
token's scope on apps.connections.open."""

from __future__ import annotations

import pytest
import requests
from slack_sdk import WebClient

from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_builders import slack_error

FORM = b"channel=C0FAKEGEN&text=hello"


@pytest.mark.parametrize(
    ("content_type", "error"),
    [
        (None, "missing_post_type"),
        ("application/xml", "invalid_post_type"),
        ("application/x-www-form-urlencoded; charset=utf-16", "invalid_charset"),
        ("application/x-www-form-urlencoded; charset=iso-8859-1", None),
        ("application/x-www-form-urlencoded", None),
    ],
)
def test_post_body_content_type_is_checked(
    slack: FakeSlack, session: requests.Session, content_type: str | None, error: str | None
) -> None:
    headers = {"Authorization": f"Bearer {slack.bot_token}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    url = slack.base_url + "chat.postMessage"
    answer = session.post(url, data=FORM, headers=headers, timeout=5).json()
    if error is None:
        assert answer["ok"] is True
        assert slack.messages[0].text == "hello"
    else:
        assert answer == {"ok": False, "error": error}
        assert slack.messages == []


def test_connections_open_needs_connections_write_on_the_app_token() -> None:
    with FakeSlack(app_scopes=frozenset()) as slack:
        web = WebClient(token=slack.app_token, base_url=slack.base_url)
        failure = slack_error(lambda: web.apps_connections_open(app_token=slack.app_token))
    assert failure.response["error"] == "missing_scope"
    assert (failure.response["needed"], failure.response["provided"]) == ("connections:write", "")


def test_scope_header_lists_the_scopes_of_the_token_used(slack: FakeSlack) -> None:
    app = WebClient(token=slack.app_token, base_url=slack.base_url)
    opened = app.apps_connections_open(app_token=slack.app_token)
    assert opened.headers["x-oauth-scopes"] == "connections:write"
    bot = WebClient(token=slack.bot_token, base_url=slack.base_url)
    assert "chat:write" in bot.users_info(user=payloads.USER_ID).headers["x-oauth-scopes"]
