"""App Home tab, its "New Drift conversation" button and the global shortcut's form."""

from __future__ import annotations

import json
import time
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from handlers.ui import ids
from storage.protocol import ConversationRecord
from storage.records import Draft, Origin
from tests.conftest import Harness
from tests.fakes import payloads
from tests.forms import form_values, inputs

CHANNEL_VALUES = {
    ids.CHANNEL_BLOCK: {
        ids.CHANNEL_ACTION: {
            "type": "conversations_select",
            "selected_conversation": payloads.CHANNEL_ID,
        }
    }
}


def send_event(harness: Harness, event: dict[str, Any]) -> BoltResponse:
    body = json.dumps(
        {
            "token": payloads.VERIFICATION_TOKEN,
            "team_id": payloads.TEAM_ID,
            "api_app_id": payloads.API_APP_ID,
            "type": "event_callback",
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "event": event,
        }
    )
    headers = {k.lower(): [v] for k, v in harness.signer.sign(body).items()}
    headers["content-type"] = ["application/json"]
    return harness.app.dispatch(BoltRequest(body=body, headers=headers))


def open_home(harness: Harness, user_id: str = payloads.USER_ID) -> dict[str, Any]:
    calls = len(harness.slack.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": "home"}
    assert send_event(harness, event).status == 200
    harness.slack.wait_for(lambda: len(harness.slack.calls_to("views.publish")) > calls)
    [call] = harness.slack.calls_to("views.publish")[calls:]
    assert call.error is None, call.error
    return harness.slack.home_views[user_id]


def store_conversation(harness: Harness, n: int, user_id: str = payloads.USER_ID) -> None:
    key = f"{payloads.TEAM_ID}:V{user_id}{n}:nonce"
    origin = Origin(team_id=payloads.TEAM_ID, user_id=user_id, channel_id=payloads.CHANNEL_ID)
    store = harness.services.store
    assert store.claim(key, Draft(origin, email=f"c{n}@acme.com")).state == "new"
    store.complete(
        key,
        ConversationRecord(
            team_id=payloads.TEAM_ID,
            channel_id=payloads.CHANNEL_ID,
            message_ts="",
            source="command",
            user_id=user_id,
            assignee_slack_id=user_id,
            assignee_drift_id=None,
            contact_email=f"c{n}@acme.com",
            conversation_id=1000 + n,
            inbox_id=7,
            url=f"https://app.drift.com/inboxes/7/conversations/{1000 + n}",
            created_at=1_700_000_000.0 + n * 60,
            submission_key=key,
        ),
    )


def row_emails(view: dict[str, Any]) -> list[str]:
    return [
        block["accessory"]["url"].rsplit("/", 1)[1]
        for block in view["blocks"]
        if block.get("accessory", {}).get("action_id") == ids.OPEN_LINK_ACTION
    ]


def test_home_shows_mapping_and_none_yet(harness: Harness) -> None:
    view = open_home(harness)
    text = json.dumps(view)
    assert "Conversations assigned to you go to *Riley Rep* in Drift (available)." in text
    assert "None yet" in text
    assert row_emails(view) == []


def test_home_lists_the_last_twenty_newest_first(harness: Harness) -> None:
    for n in range(22):
        store_conversation(harness, n)
    store_conversation(harness, 99, user_id="U0SOMEONE")
    view = open_home(harness)
    assert row_emails(view) == [str(1000 + n) for n in range(21, 1, -1)]
    text = json.dumps(view)
    assert "c21@acme.com" in text
    assert "c99@acme.com" not in text
    assert "None yet" not in text
    assert "<!date^1700001260^" in text


def test_home_after_a_real_conversation(harness: Harness) -> None:
    harness.command()
    view = harness.opened_view()
    harness.submit(view, form_values("jane@acme.com", "Hi"))
    harness.slack.wait_for(lambda: harness.slack.messages)
    harness.drain()
    home = json.dumps(open_home(harness))
    assert "jane@acme.com" in home
    assert harness.drift.conversations[0].response["id"] and "conversations/" in home


def test_home_of_an_unmapped_user_says_so(harness: Harness) -> None:
    harness.slack.add_user("U0NOMATCH", name="nm", real_name="No Match", email="nm@elsewhere.io")
    text = json.dumps(open_home(harness, "U0NOMATCH"))
    assert "conversations assigned to you will be unassigned" in text
    assert "nm@elsewhere.io" in text


def test_other_tabs_publish_nothing(harness: Harness) -> None:
    event = {"type": "app_home_opened", "user": payloads.USER_ID, "tab": "messages"}
    assert send_event(harness, event).status == 200
    harness.drain()
    assert harness.slack.calls_to("views.publish") == []


def assert_channel_form(view: dict[str, Any]) -> None:
    assert view["callback_id"] == ids.FORM_CALLBACK_ID
    element = inputs(view)[ids.CHANNEL_BLOCK]
    assert element["type"] == "conversations_select"
    assert element["response_url_enabled"] is True
    assert inputs(view)[ids.ASSIGNEE_BLOCK]["initial_user"] == payloads.USER_ID


def test_home_button_opens_the_form_with_a_channel_picker(harness: Harness) -> None:
    home = open_home(harness)
    button = payloads.button_action(ids.HOME_OPEN_ACTION, "home")
    payload = payloads.block_actions([button], view=home, trigger_id=harness.slack.new_trigger_id())
    assert harness.interactive(payload).status == 200
    assert_channel_form(harness.opened_view())


def global_shortcut(harness: Harness) -> dict[str, Any]:
    return payloads.global_shortcut(ids.GLOBAL_SHORTCUT_CALLBACK_ID, harness.slack.new_trigger_id())


def test_global_shortcut_form_answers_in_the_chosen_channel(harness: Harness) -> None:
    assert harness.interactive(global_shortcut(harness)).status == 200
    view = harness.opened_view()
    assert_channel_form(view)
    url = harness.slack.response_url()
    response_urls = [
        {
            "block_id": ids.CHANNEL_BLOCK,
            "action_id": ids.CHANNEL_ACTION,
            "channel_id": payloads.CHANNEL_ID,
            "response_url": url,
        }
    ]
    values = {**form_values("jane@acme.com", "Hi"), **CHANNEL_VALUES}
    ack = json.loads(harness.submit(view, values, response_urls=response_urls).body)
    assert ack["response_action"] == "update"
    answer = harness.slack.wait_for(lambda: (harness.slack.messages or [None])[-1])
    assert answer.channel == payloads.CHANNEL_ID
    assert answer.thread_ts is None
    [created] = harness.drift.conversations
    assert created.request["email"] == "jane@acme.com"


def test_global_shortcut_form_needs_a_channel(harness: Harness) -> None:
    harness.interactive(global_shortcut(harness))
    view = harness.opened_view()
    ack = json.loads(harness.submit(view, form_values("jane@acme.com", "Hi")).body)
    assert ack["response_action"] == "errors"
    assert ids.CHANNEL_BLOCK in ack["errors"]
    assert harness.drift.calls_to("POST", "/conversations/new") == []
