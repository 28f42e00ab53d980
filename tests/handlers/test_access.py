"""Access control at every entry point: both allowlists, drafts only for their owner, and
tampered private_metadata refused."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from handlers.reopen import NOT_YOURS
from handlers.ui import ids, views
from handlers.ui.messages import build_refusal_message
from storage.records import Draft, Origin
from tests.conftest import Harness
from tests.fakes import payloads
from tests.forms import form_values

REFUSAL = build_refusal_message()
NOT_ALLOWED = {
    "user not allowed": {"DRIFT_OPEN_ALLOWED_USERS": "U0SOMEONEELSE"},
    "channel not allowed": {"DRIFT_OPEN_ALLOWED_CHANNELS": "C0ELSEWHERE"},
}
USER_ONLY = {"user not allowed": NOT_ALLOWED["user not allowed"]}


def rep_origin(source: str = "shortcut") -> Origin:
    return Origin(
        team_id=payloads.TEAM_ID,
        user_id=payloads.USER_ID,
        channel_id=payloads.CHANNEL_ID,
        source=source,  # type: ignore[arg-type]
    )


def saved_draft(harness: Harness, user_id: str = payloads.USER_ID) -> str:
    origin = rep_origin()
    origin = Origin(**{**origin.to_dict(), "user_id": user_id, "source": "shortcut"})
    return harness.services.store.save_draft(Draft(origin, email="jane@acme.com"))


def click_from_message(harness: Harness, action_id: str, draft_id: str, user_id: str) -> str:
    url = harness.slack.response_url()
    button = payloads.button_action(action_id, draft_id)
    payload = payloads.block_actions(
        [button],
        message=payloads.user_message("old note"),
        trigger_id=harness.slack.new_trigger_id(),
        response_url=url,
        user_id=user_id,
    )
    assert harness.interactive(payload).status == 200
    harness.settle_listeners()
    return harness.slack.wait_for(lambda: (harness.slack.response_posts or [None])[-1]).body["text"]


def global_shortcut(harness: Harness) -> dict[str, Any]:
    return payloads.global_shortcut(ids.GLOBAL_SHORTCUT_CALLBACK_ID, harness.slack.new_trigger_id())


def home_button(harness: Harness) -> dict[str, Any]:
    button = payloads.button_action(ids.HOME_OPEN_ACTION, "home")
    home = {"id": "V0HOMETAB", "type": "home", "blocks": [], "private_metadata": ""}
    return payloads.block_actions([button], view=home, trigger_id=harness.slack.new_trigger_id())


@pytest.mark.parametrize("payload", [global_shortcut, home_button], ids=["global", "home"])
@pytest.mark.parametrize("setting", USER_ONLY.values(), ids=USER_ONLY.keys())
def test_forms_opened_outside_a_channel_check_the_user(
    make_harness, payload: Any, setting: dict[str, str]
) -> None:
    harness = make_harness(**setting)
    assert harness.interactive(payload(harness)).status == 200
    shown = harness.opened_view()
    assert shown["callback_id"] == ids.STATUS_CALLBACK_ID
    assert REFUSAL in json.dumps(shown)


@pytest.mark.parametrize("action", [ids.RETRY_ACTION, ids.CREATE_ANOTHER_ACTION])
@pytest.mark.parametrize("setting", NOT_ALLOWED.values(), ids=NOT_ALLOWED.keys())
def test_try_again_and_create_another_check_both_allowlists(
    make_harness, action: str, setting: dict[str, str]
) -> None:
    harness = make_harness(**setting)
    told = click_from_message(harness, action, saved_draft(harness), payloads.USER_ID)
    assert told == REFUSAL
    assert harness.slack.calls_to("views.open") == []


@pytest.mark.parametrize("action", [ids.RETRY_ACTION, ids.CREATE_ANOTHER_ACTION])
def test_a_draft_reopens_only_for_its_owner(harness: Harness, action: str) -> None:
    harness.slack.add_user("U0OTHER", name="other", real_name="Other Person")
    told = click_from_message(harness, action, saved_draft(harness), "U0OTHER")
    assert told == NOT_YOURS
    assert harness.slack.calls_to("views.open") == []


@pytest.mark.parametrize("setting", NOT_ALLOWED.values(), ids=NOT_ALLOWED.keys())
def test_the_assignee_preview_shows_nothing_to_someone_not_allowed(
    make_harness, setting: dict[str, str]
) -> None:
    opener = make_harness()
    opener.command()
    form = opener.opened_view()
    harness = make_harness(**setting)
    values = form_values("", "")
    change = {
        "type": "users_select",
        "action_id": ids.ASSIGNEE_ACTION,
        "block_id": ids.ASSIGNEE_BLOCK,
        "selected_user": payloads.USER_ID,
        "action_ts": f"{time.time():.6f}",
    }
    payload = payloads.block_actions([change], view={**form, "state": {"values": values}})
    assert harness.interactive(payload).status == 200
    harness.settle_listeners()
    updated = json.dumps(harness.slack.views[form["id"]])
    assert "not enabled for you" in updated
    assert "Riley Rep" not in updated
    assert harness.drift.calls_to("GET", "/users/list") == []


def tampered(form: dict[str, Any], **origin: str) -> dict[str, Any]:
    decoded, nonce = views.decode_metadata(form["private_metadata"])
    forged = Origin(**{**decoded.to_dict(), **origin})
    return {**form, "private_metadata": views.encode_metadata(forged, nonce)}


@pytest.mark.parametrize(
    "origin",
    [{"channel_id": ""}, {"source": "no-such-source"}],
    ids=["empty channel", "unknown source"],
)
def test_tampered_private_metadata_is_refused(make_harness, origin: dict[str, str]) -> None:
    harness = make_harness(DRIFT_OPEN_ALLOWED_CHANNELS=payloads.CHANNEL_ID)
    harness.command()
    form = harness.opened_view()
    response = harness.submit(tampered(form, **origin), form_values("jane@acme.com", "Hi"))
    ack = json.loads(response.body)
    assert ack["response_action"] == "errors"
    harness.drain()
    assert harness.drift.created_count == 0
