""" "Try again": the kept draft comes back as the form, under a new submission key."""

from __future__ import annotations

import json
from typing import Any

from handlers.reopen import DRAFT_GONE
from handlers.ui import ids, views
from tests.conftest import Harness
from tests.fakes import payloads
from tests.forms import form_values, inputs

NEW = "/conversations/new"


def failed_form(harness: Harness) -> tuple[dict[str, Any], str]:
    """Submit a form that Drift refuses; return the failure view and its Try again draft id."""
    harness.command()
    view = harness.opened_view()
    harness.drift.fail_next(400, path=NEW)
    harness.submit(view, form_values("jane@acme.com", "Hi Jane"))
    shown = harness.slack.wait_for(
        lambda: (
            "was not created" in json.dumps(harness.slack.views[view["id"]])
            and harness.slack.views[view["id"]]
        )
    )
    [button] = [
        element
        for block in shown["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == ids.RETRY_ACTION
    ]
    return shown, str(button["value"])


def click(harness: Harness, draft_id: str, **where: Any) -> None:
    button = payloads.button_action(ids.RETRY_ACTION, draft_id)
    trigger = harness.slack.new_trigger_id()
    payload = payloads.block_actions([button], trigger_id=trigger, **where)
    assert harness.interactive(payload).status == 200


def test_try_again_in_the_modal_reopens_the_form_under_a_new_key(harness: Harness) -> None:
    shown, draft_id = failed_form(harness)
    first_form = harness.slack.calls_to("views.open")[0].params["view"]
    _, old_nonce = views.decode_metadata(first_form["private_metadata"])
    click(harness, draft_id, view=shown)
    form = harness.slack.wait_for(
        lambda: (
            harness.slack.views[shown["id"]]["callback_id"] == ids.FORM_CALLBACK_ID
            and harness.slack.views[shown["id"]]
        )
    )
    fields = inputs(form)
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"
    assert "Hi Jane" in json.dumps(fields[ids.MESSAGE_BLOCK]["initial_value"])
    assert fields[ids.ASSIGNEE_BLOCK]["initial_user"] == payloads.USER_ID
    _, new_nonce = views.decode_metadata(form["private_metadata"])
    assert new_nonce and new_nonce != old_nonce

    harness.submit(form, form_values("jane@acme.com", "Hi Jane"))
    harness.slack.wait_for(lambda: harness.slack.messages)
    assert len(harness.drift.calls_to("POST", NEW)) == 2
    assert harness.drift.created_count == 1


def test_try_again_from_a_message_opens_a_new_modal(harness: Harness) -> None:
    _, draft_id = failed_form(harness)
    opened = len(harness.slack.calls_to("views.open"))
    click(harness, draft_id, message=payloads.user_message("failure note"))
    harness.slack.wait_for(lambda: len(harness.slack.calls_to("views.open")) > opened)
    form = harness.opened_view()
    assert form["callback_id"] == ids.FORM_CALLBACK_ID
    assert inputs(form)[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"


def test_unknown_draft_in_a_modal_says_so_politely(harness: Harness) -> None:
    shown, _ = failed_form(harness)
    click(harness, "no-such-draft", view=shown)
    gone = harness.slack.wait_for(
        lambda: "no longer kept" in json.dumps(harness.slack.views[shown["id"]])
    )
    assert gone
    assert harness.slack.views[shown["id"]]["callback_id"] == ids.STATUS_CALLBACK_ID


def test_unknown_draft_from_a_message_answers_through_response_url(harness: Harness) -> None:
    url = harness.slack.response_url()
    click(harness, "no-such-draft", message=payloads.user_message("old note"), response_url=url)
    post = harness.slack.wait_for(lambda: (harness.slack.response_posts or [None])[0])
    assert post.body["text"] == DRAFT_GONE
    assert not post.in_channel
    assert harness.slack.calls_to("views.open") == []
