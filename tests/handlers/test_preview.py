"""Live assignee preview: choosing "Assign to" updates the form with who gets it in Drift."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.ui import ids, views
from tests.conftest import Harness
from tests.fakes import payloads
from tests.fakes.drift_api import drift_user
from tests.forms import form_values, inputs


def choose_assignee(harness: Harness, view: dict[str, Any], user_id: str) -> dict[str, Any]:
    """Send the users_select change from the open form; return the form Slack now shows."""
    values = form_values("jane@acme.com", "Hi *Jane*", assignee=user_id)
    action = {
        "type": "users_select",
        "action_id": ids.ASSIGNEE_ACTION,
        "block_id": ids.ASSIGNEE_BLOCK,
        "selected_user": user_id,
        "action_ts": "1700000000.000001",
    }
    current = harness.slack.views[view["id"]]
    payload = payloads.block_actions([action], view={**current, "state": {"values": values}})
    calls = len(harness.slack.calls_to("views.update"))
    assert harness.interactive(payload).status == 200
    harness.slack.wait_for(lambda: len(harness.slack.calls_to("views.update")) > calls)
    [call] = harness.slack.calls_to("views.update")[calls:]
    assert call.error is None, call.error
    assert call.params["hash"] == current["hash"]
    return harness.slack.views[view["id"]]


def preview_line(view: dict[str, Any]) -> str:
    [block] = [b for b in view["blocks"] if b.get("block_id") == ids.ASSIGNEE_PREVIEW_BLOCK]
    return str(block["elements"][0]["text"])


@pytest.fixture
def form(harness: Harness) -> dict[str, Any]:
    harness.drift.add_user(drift_user(700, "Jane Doe", "jane.doe@acme.com"))
    harness.slack.add_user("U0JANE", name="jane", real_name="Jane D", email="jane.doe@acme.com")
    harness.slack.add_user("U0NOMATCH", name="nm", real_name="No Match", email="nm@elsewhere.io")
    harness.command()
    return harness.opened_view()


@pytest.mark.parametrize(
    ("user_id", "line"),
    [
        ("U0JANE", ":bust_in_silhouette: Will be assigned to *Jane Doe* in Drift (available)."),
        (
            "U0NOMATCH",
            ":warning: No Drift user with the email nm@elsewhere.io — will be unassigned; "
            "set DRIFT_USER_MAP to map them.",
        ),
        (payloads.BOT_USER_ID, ":warning: Drift Open is a bot: choose a person to assign."),
    ],
)
def test_preview_line(harness: Harness, form: dict[str, Any], user_id: str, line: str) -> None:
    updated = choose_assignee(harness, form, user_id)
    assert preview_line(updated) == line
    assert harness.drift.calls_to("POST", "/conversations/new") == []


def test_preview_keeps_the_values_and_the_nonce(harness: Harness, form: dict[str, Any]) -> None:
    updated = choose_assignee(harness, form, "U0JANE")
    fields = inputs(updated)
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == "jane@acme.com"
    assert "Hi *Jane*" in json.dumps(fields[ids.MESSAGE_BLOCK]["initial_value"])
    assert fields[ids.ASSIGNEE_BLOCK]["initial_user"] == "U0JANE"
    assert updated["private_metadata"] == form["private_metadata"]
    assert views.decode_metadata(updated["private_metadata"])[0].source == "command"


def test_preview_then_submit_assigns_the_previewed_user(
    harness: Harness, form: dict[str, Any]
) -> None:
    updated = choose_assignee(harness, form, "U0JANE")
    harness.submit(updated, form_values("jane@acme.com", "Hi", assignee="U0JANE"))
    harness.slack.wait_for(lambda: harness.slack.messages)
    [created] = harness.drift.conversations
    assert created.request["message"]["attributes"]["autoAssigneeId"] == 700


def test_preview_on_a_closed_form_is_quiet(harness: Harness, form: dict[str, Any]) -> None:
    harness.slack.close_view(form["id"])
    action = {"type": "users_select", "action_id": ids.ASSIGNEE_ACTION, "selected_user": "U0JANE"}
    current = harness.slack.views[form["id"]]
    values = form_values("jane@acme.com", "Hi", assignee="U0JANE")
    payload = payloads.block_actions([action], view={**current, "state": {"values": values}})
    assert harness.interactive(payload).status == 200
    harness.slack.wait_for(lambda: harness.slack.calls_to("views.update"))
    assert harness.slack.calls_to("views.update")[0].error == "not_found"
