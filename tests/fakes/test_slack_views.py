"""FakeSlack's views beyond open and update: views.push and its stack limit, `clear`, plain-text
titles, and views.publish's hash, size and Home-tab rules."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_builders import home_view, modal, plain, section, slack_error
from tests.fakes.slack_directory import SlackMethodError


def open_modal(slack: FakeSlack, web: WebClient) -> dict[str, Any]:
    return dict(web.views_open(trigger_id=slack.new_trigger_id(), view=modal())["view"])


def push(slack: FakeSlack, web: WebClient, onto: str) -> dict[str, Any]:
    trigger_id = slack.new_trigger_id(view_id=onto)
    return dict(web.views_push(trigger_id=trigger_id, view=modal(title=plain("More")))["view"])


def test_modal_title_must_be_plain_text(slack: FakeSlack, web: WebClient) -> None:
    view = modal(title={"type": "mrkdwn", "text": "*Open*"})
    failure = slack_error(lambda: web.views_open(trigger_id=slack.new_trigger_id(), view=view))
    assert failure.response["error"] == "invalid_arguments"
    assert any("/view/title" in line for line in failure.response["response_metadata"]["messages"])


# views.push ----------------------------------------------------------------------------------
def test_push_stacks_onto_the_modal_the_trigger_came_from(slack: FakeSlack, web: WebClient) -> None:
    root = open_modal(slack, web)
    pushed = push(slack, web, onto=root["id"])
    assert (pushed["root_view_id"], pushed["previous_view_id"]) == (root["id"], root["id"])
    assert slack.is_view_open(pushed["id"]) and slack.is_view_open(root["id"])


def test_a_stack_holds_three_views(slack: FakeSlack, web: WebClient) -> None:
    root = open_modal(slack, web)
    second = push(slack, web, onto=root["id"])
    third = push(slack, web, onto=second["id"])
    failure = slack_error(lambda: push(slack, web, onto=third["id"]))
    assert failure.response["error"] == "push_limit_reached"


@pytest.mark.parametrize("closed", [False, True])
def test_push_without_an_open_modal_is_not_found(
    slack: FakeSlack, web: WebClient, closed: bool
) -> None:
    root = open_modal(slack, web)
    if closed:
        slack.close_view(root["id"])
    trigger_id = slack.new_trigger_id(view_id=root["id"] if closed else None)
    failure = slack_error(lambda: web.views_push(trigger_id=trigger_id, view=modal()))
    assert failure.response["error"] == "not_found"


def test_push_trigger_is_single_use(slack: FakeSlack, web: WebClient) -> None:
    trigger_id = slack.new_trigger_id(view_id=open_modal(slack, web)["id"])
    web.views_push(trigger_id=trigger_id, view=modal())
    failure = slack_error(lambda: web.views_push(trigger_id=trigger_id, view=modal()))
    assert failure.response["error"] == "exchanged_trigger_id"


def test_submission_push_past_the_stack_limit_is_refused(slack: FakeSlack, web: WebClient) -> None:
    root = open_modal(slack, web)
    top = push(slack, web, onto=push(slack, web, onto=root["id"])["id"])
    with pytest.raises(SlackMethodError) as refused:
        slack.settle_submission(top["id"], {"response_action": "push", "view": modal()})
    assert refused.value.error == "push_limit_reached"


def test_submission_clear_closes_the_whole_stack(slack: FakeSlack, web: WebClient) -> None:
    root = open_modal(slack, web)
    pushed = push(slack, web, onto=root["id"])
    slack.settle_submission(pushed["id"], {"response_action": "clear"})
    assert not slack.is_view_open(root["id"])
    assert not slack.is_view_open(pushed["id"])


# views.publish -------------------------------------------------------------------------------
def test_published_home_tab_keeps_its_id_and_changes_its_hash(web: WebClient) -> None:
    first = web.views_publish(user_id=payloads.USER_ID, view=home_view())["view"]
    second = web.views_publish(user_id=payloads.USER_ID, view=home_view())["view"]
    assert first["id"] == second["id"]
    assert first["hash"] != second["hash"]
    assert "title" not in second
    assert second["type"] == "home"


def test_publish_with_a_stale_hash_is_a_conflict(slack: FakeSlack, web: WebClient) -> None:
    stale = web.views_publish(user_id=payloads.USER_ID, view=home_view())["view"]["hash"]
    fresh = web.views_publish(user_id=payloads.USER_ID, view=home_view(), hash=stale)["view"]
    failure = slack_error(
        lambda: web.views_publish(user_id=payloads.USER_ID, view=home_view(), hash=stale)
    )
    assert failure.response["error"] == "hash_conflict"
    assert slack.home_views[payloads.USER_ID]["hash"] == fresh["hash"]


@pytest.mark.parametrize(
    "view",
    [
        home_view(callback_id="c" * 256),
        home_view(external_id="e" * 256),
        home_view([section("s" * 3001)]),
    ],
)
def test_publish_checks_the_view_strings(slack: FakeSlack, web: WebClient, view: Any) -> None:
    failure = slack_error(lambda: web.views_publish(user_id=payloads.USER_ID, view=view))
    assert failure.response["error"] == "invalid_arguments"
    assert slack.home_views == {}


def test_publish_past_250_kb_is_too_large(slack: FakeSlack, web: WebClient) -> None:
    view = home_view([section("x" * 3000) for _ in range(90)])
    failure = slack_error(lambda: web.views_publish(user_id=payloads.USER_ID, view=view))
    assert failure.response["error"] == "view_too_large"


def test_publish_without_a_home_tab_is_not_enabled() -> None:
    with FakeSlack(home_tab_enabled=False) as slack:
        web = WebClient(token=slack.bot_token, base_url=slack.base_url)
        failure = slack_error(lambda: web.views_publish(user_id=payloads.USER_ID, view=home_view()))
    assert failure.response["error"] == "not_enabled"
