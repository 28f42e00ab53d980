"""Per-channel defaults: the last assignee chosen in a channel, and the label set from App Home."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.ui import ids
from storage.protocol import ChannelDefaults
from tests.conftest import Harness
from tests.fakes import payloads
from tests.forms import form_values, inputs
from tests.handlers.test_home import open_home

TEAMMATE = "U0TEAMMATE"
OTHER_CHANNEL = "C0OTHER"


def open_command_form(harness: Harness, channel_id: str = payloads.CHANNEL_ID) -> dict[str, Any]:
    before = len(harness.slack.calls_to("views.open"))
    harness.command(channel_id=channel_id, channel_name="somewhere")
    harness.slack.wait_for(lambda: len(harness.slack.calls_to("views.open")) > before)
    return harness.opened_view()


def preselected(view: dict[str, Any]) -> str | None:
    return inputs(view)[ids.ASSIGNEE_BLOCK].get("initial_user")


def test_the_last_assignee_chosen_in_a_channel_is_preselected_there(harness: Harness) -> None:
    harness.slack.add_user(TEAMMATE, name="mate", email="mate@example.com")
    harness.slack.add_channel(OTHER_CHANNEL, "other")
    view = open_command_form(harness)
    assert preselected(view) == payloads.USER_ID  # nobody chose yet: the rep
    harness.submit(view, form_values("jane@acme.com", "Hi", assignee=TEAMMATE))
    harness.slack.wait_for(lambda: harness.drift.conversations)
    harness.drain()
    assert preselected(open_command_form(harness)) == TEAMMATE
    assert preselected(open_command_form(harness, OTHER_CHANNEL)) == payloads.USER_ID
    message = payloads.user_message("from the channel")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    harness.shortcut(message)
    harness.slack.wait_for(lambda: len(harness.slack.calls_to("views.open")) == 4)
    assert preselected(harness.opened_view()) == TEAMMATE


def label_form(harness: Harness, user_id: str = payloads.USER_ID) -> dict[str, Any]:
    home = open_home(harness, user_id)
    button = payloads.button_action(ids.HOME_LABEL_ACTION, "label")
    trigger = harness.slack.new_trigger_id(user_id)
    harness.interactive(
        payloads.block_actions([button], view=home, trigger_id=trigger, user_id=user_id)
    )
    return harness.opened_view()


def submit_label(
    harness: Harness, view: dict[str, Any], label: str, user_id: str = payloads.USER_ID
) -> dict[str, Any]:
    values = {
        ids.LABEL_CHANNEL_BLOCK: {
            ids.LABEL_CHANNEL_ACTION: {
                "type": "conversations_select",
                "selected_conversation": payloads.CHANNEL_ID,
            }
        },
        ids.LABEL_TEXT_BLOCK: {ids.LABEL_TEXT_ACTION: payloads.plain_text_value(label)},
    }
    response = harness.submit(view, values, user_id=user_id)
    return dict(json.loads(response.body))


@pytest.mark.parametrize("who", ["admin", "creator"])
def test_an_admin_or_the_channel_creator_labels_its_conversations(make_harness, who: str) -> None:
    harness = make_harness()
    harness.slack.add_user("U0ADMIN", name="admin", is_admin=(who == "admin"))
    if who == "creator":
        harness.slack.add_channel(payloads.CHANNEL_ID, payloads.CHANNEL_NAME, creator="U0ADMIN")
    ack = submit_label(harness, label_form(harness, "U0ADMIN"), " Enterprise  support ", "U0ADMIN")
    assert ack["response_action"] == "update"
    assert "Enterprise support" in json.dumps(ack["view"])
    defaults = harness.services.store.channel_defaults(payloads.TEAM_ID, payloads.CHANNEL_ID)
    assert defaults == ChannelDefaults("", "Enterprise support")

    view = open_command_form(harness)
    harness.submit(view, form_values("jane@acme.com", "Hi"))
    [created] = harness.slack.wait_for(lambda: harness.drift.conversations)
    source = created.request["message"]["attributes"]["integrationSource"]
    assert source == "Slack · #somewhere · Enterprise support · by riley"


def test_anyone_else_is_refused_and_nothing_is_kept(harness: Harness) -> None:
    ack = submit_label(harness, label_form(harness), "VIP")
    assert ack["response_action"] == "errors"
    assert "workspace admin" in ack["errors"][ids.LABEL_CHANNEL_BLOCK]
    defaults = harness.services.store.channel_defaults(payloads.TEAM_ID, payloads.CHANNEL_ID)
    assert defaults == ChannelDefaults()


def test_an_empty_label_removes_it(harness: Harness) -> None:
    harness.slack.add_user("U0ADMIN", name="admin", is_admin=True)
    store = harness.services.store
    store.set_channel_defaults(payloads.TEAM_ID, payloads.CHANNEL_ID, source_label="VIP")
    ack = submit_label(harness, label_form(harness, "U0ADMIN"), "", "U0ADMIN")
    assert "no longer carry a label" in json.dumps(ack["view"])
    assert store.channel_defaults(payloads.TEAM_ID, payloads.CHANNEL_ID).source_label == ""
