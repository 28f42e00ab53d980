"""The modal builders: shapes, ids, limits and metadata, with no mocks."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.ui import ids, messages, views
from handlers.ui.outcomes import Created, Failed
from storage.records import Draft, Origin

ORIGIN = Origin(
    team_id="T1",
    user_id="U1",
    channel_id="C1",
    channel_name="sales",
    source="shortcut",
    message_ts="1700000000.000100",
    thread_ts="1700000000.000001",
    response_url="https://hooks.slack.com/actions/T1/1/abc",
    author_id="U2",
)
MESSAGE = {
    "type": "rich_text",
    "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "Hi <b>"}]}],
}
DRAFT = Draft(ORIGIN, email="jane@acme.com", message=MESSAGE, assignee_id="U1")


def texts(view: dict[str, Any]) -> str:
    return repr(view)


def all_views() -> list[dict[str, Any]]:
    created = Created(
        "jane@acme.com", "https://app.drift.com/inboxes/1/conversations/2", "U1", "Jane"
    )
    failed = Failed("jane@acme.com", "Drift is down.", "draft123", ambiguous=True)
    return [
        views.build_form_view(DRAFT, nonce="n1"),
        views.build_form_view(DRAFT, nonce="n1", error="Bad assignee", assignee_preview="Jane"),
        views.build_form_view(Draft(ORIGIN), nonce="n1", ask_channel=True),
        views.build_creating_view("jane@acme.com"),
        views.build_created_view(created),
        views.build_failed_view(failed),
        views.build_already_view("https://app.drift.com/inboxes/1/conversations/2", "draft123"),
    ]


@pytest.mark.parametrize("view", all_views())
def test_every_modal_respects_slack_limits(view: dict[str, Any]) -> None:
    assert view["type"] == "modal"
    assert 1 <= len(view["title"]["text"]) <= 24
    for key in ("submit", "close"):
        if key in view:
            assert 1 <= len(view[key]["text"]) <= 24
    assert 1 <= len(view["blocks"]) <= 100
    assert len(view.get("private_metadata", "")) <= 3000
    for block in view["blocks"]:
        if block["type"] == "input":
            assert block["label"]["text"]
            assert "submit" in view


def test_form_has_the_three_inputs_prefilled() -> None:
    view = views.build_form_view(DRAFT, nonce="n1")
    assert view["callback_id"] == ids.FORM_CALLBACK_ID
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs[ids.EMAIL_BLOCK]["type"] == "email_text_input"
    assert inputs[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"
    assert inputs[ids.MESSAGE_BLOCK]["type"] == "rich_text_input"
    assert inputs[ids.MESSAGE_BLOCK]["initial_value"] == MESSAGE
    assert inputs[ids.ASSIGNEE_BLOCK]["type"] == "users_select"
    assert inputs[ids.ASSIGNEE_BLOCK]["initial_user"] == "U1"


def test_an_empty_draft_leaves_inputs_blank() -> None:
    view = views.build_form_view(Draft(ORIGIN), nonce="n1")
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert all("initial_value" not in element for element in inputs.values())
    assert "initial_user" not in inputs[ids.ASSIGNEE_BLOCK]


def test_metadata_round_trips_origin_and_nonce() -> None:
    view = views.build_form_view(DRAFT, nonce="n1")
    assert views.decode_metadata(view["private_metadata"]) == (ORIGIN, "n1")


@pytest.mark.parametrize("metadata", ["", "[]", '{"o": 1}', "not json"])
def test_foreign_metadata_is_rejected(metadata: str) -> None:
    with pytest.raises(ValueError):
        views.decode_metadata(metadata)


@pytest.mark.parametrize("ambiguous", [True, False])
def test_failures_offer_try_again_with_the_draft(ambiguous: bool) -> None:
    failed = Failed("jane@acme.com", "Drift is down.", "draft123", ambiguous=ambiguous)
    for blocks in (
        views.build_failed_view(failed)["blocks"],
        messages.build_failed_message(failed)[1],
    ):
        buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
        assert [(b["action_id"], b["value"]) for b in buttons] == [(ids.RETRY_ACTION, "draft123")]
        assert ("may or may not" in repr(blocks)) is ambiguous


def test_already_view_links_and_offers_another() -> None:
    view = views.build_already_view("https://x.test/1", "d1")
    assert "Already in Drift" in texts(view) or "already in Drift" in texts(view)
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["action_id"] == ids.CREATE_ANOTHER_ACTION
    assert buttons[0]["value"] == "d1"
