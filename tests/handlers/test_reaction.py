"""The `drift` reaction: an ephemeral offer whose button opens the prefilled form, or the link."""

from __future__ import annotations

from typing import Any

from handlers.ui import ids
from storage.protocol import ConversationRecord
from storage.records import Draft, Origin
from tests.conftest import Harness
from tests.fakes import payloads
from tests.handlers.test_home import send_event


def react(harness: Harness, message: dict[str, Any], **fields: Any) -> None:
    assert send_event(harness, payloads.reaction_added(message, **fields)).status == 200


def offer_button(harness: Harness) -> dict[str, Any]:
    ephemeral = harness.slack.wait_for(lambda: (harness.slack.ephemerals or [None])[-1])
    [button] = [
        element
        for block in ephemeral.blocks or []
        for element in block.get("elements") or []
        if element.get("action_id") == ids.REACTION_OPEN_ACTION
    ]
    return button


def test_reaction_offers_the_prefilled_form_and_the_button_opens_it(harness: Harness) -> None:
    message = payloads.user_message("Customer jane@acme.com cannot log in")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    react(harness, message)
    button = offer_button(harness)
    [ephemeral] = harness.slack.ephemerals
    assert ephemeral.user == payloads.USER_ID and ephemeral.thread_ts is None
    assert "jane@acme.com" in str(ephemeral.blocks)
    click = payloads.button_action(ids.REACTION_OPEN_ACTION, button["value"])
    trigger = harness.slack.new_trigger_id()
    harness.interactive(payloads.block_actions([click], trigger_id=trigger, message={"ts": "1"}))
    form = harness.opened_view()
    assert "jane@acme.com" in str(form["blocks"])
    assert "cannot log in" in str(form["blocks"])


def test_reaction_on_a_thread_reply_answers_in_the_thread(harness: Harness) -> None:
    parent = payloads.user_message("parent")
    reply = payloads.thread_reply(parent, "reply from bob@acme.com")
    harness.slack.add_message(payloads.CHANNEL_ID, parent)
    harness.slack.add_message(payloads.CHANNEL_ID, reply)
    react(harness, reply)
    offer_button(harness)
    assert harness.slack.ephemerals[-1].thread_ts == parent["ts"]
    assert "bob@acme.com" in str(harness.slack.ephemerals[-1].blocks)


def test_reaction_on_a_message_already_in_drift_gives_the_link(harness: Harness) -> None:
    message = payloads.user_message("already sent")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    origin = Origin(
        team_id=payloads.TEAM_ID,
        user_id=payloads.USER_ID,
        channel_id=payloads.CHANNEL_ID,
        source="shortcut",
        message_ts=message["ts"],
    )
    store = harness.services.store
    assert store.claim("k1", Draft(origin, email="a@acme.com")).state == "new"
    url = "https://app.drift.com/conversations/77"
    record = ConversationRecord(
        team_id=payloads.TEAM_ID,
        channel_id=payloads.CHANNEL_ID,
        message_ts=message["ts"],
        source="shortcut",
        user_id=payloads.USER_ID,
        assignee_slack_id=payloads.USER_ID,
        assignee_drift_id=None,
        contact_email="a@acme.com",
        conversation_id=77,
        inbox_id=7,
        url=url,
        created_at=1_700_000_000.0,
        submission_key="k1",
    )
    store.complete("k1", record)
    react(harness, message)
    ephemeral = harness.slack.wait_for(lambda: (harness.slack.ephemerals or [None])[-1])
    assert url in (ephemeral.text or "")
    assert ids.REACTION_OPEN_ACTION not in str(ephemeral.blocks)


def test_other_reactions_bots_own_messages_and_repeats_are_ignored(harness: Harness) -> None:
    message = payloads.user_message("hello")
    own = payloads.user_message("answer", user=payloads.BOT_USER_ID, bot_id=payloads.BOT_ID)
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    harness.slack.add_message(payloads.CHANNEL_ID, own)
    react(harness, message, reaction="thumbsup")
    react(harness, own)
    react(harness, message, user=payloads.BOT_USER_ID)
    react(harness, message)
    offer_button(harness)
    react(harness, message)
    marker = payloads.user_message("marker")
    harness.slack.add_message(payloads.CHANNEL_ID, marker)
    react(harness, marker)
    harness.slack.wait_for(lambda: len(harness.slack.ephemerals) == 2)
    assert [e.text for e in harness.slack.ephemerals].count("Open this message in Drift?") == 2


def test_allowlist_applies_to_reactions(make_harness) -> None:
    harness = make_harness(DRIFT_OPEN_ALLOWED_USERS="U0SOMEONE")
    message = payloads.user_message("hello")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    react(harness, message)
    ephemeral = harness.slack.wait_for(lambda: (harness.slack.ephemerals or [None])[-1])
    assert ids.REACTION_OPEN_ACTION not in str(ephemeral.blocks)


def test_a_repeat_reaching_another_replica_is_ignored_too(make_harness) -> None:
    first, second = make_harness(), make_harness()  # one database, two processes
    message = payloads.user_message("hello from jane@acme.com")
    first.slack.add_message(payloads.CHANNEL_ID, message)
    react(first, message)
    offer_button(first)
    react(second, message)
    second.settle_listeners()
    assert len(first.slack.ephemerals) == 1


def test_people_of_other_organisations_are_ignored(harness: Harness) -> None:
    harness.slack.add_user("U0GUEST", name="guest", team_id="T0OTHER", email="g@other.com")
    message = payloads.user_message("hello")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    react(harness, message, user="U0GUEST")
    harness.settle_listeners()
    assert harness.slack.ephemerals == []


def test_an_unreadable_message_still_offers_the_form(harness: Harness) -> None:
    message = payloads.user_message("Customer jane@acme.com cannot log in")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    harness.slack.rate_limit("conversations.history", retry_after=60)
    react(harness, message)
    button = offer_button(harness)
    assert "could not read this message" in str(harness.slack.ephemerals[-1].blocks)
    click = payloads.button_action(ids.REACTION_OPEN_ACTION, button["value"])
    trigger = harness.slack.new_trigger_id()
    harness.interactive(payloads.block_actions([click], trigger_id=trigger, message={"ts": "1"}))
    form = harness.opened_view()
    assert "The answer goes in its thread" in str(form["blocks"])


def test_only_the_person_who_reacted_may_open_the_offer(harness: Harness) -> None:
    message = payloads.user_message("hello")
    harness.slack.add_message(payloads.CHANNEL_ID, message)
    react(harness, message)
    button = offer_button(harness)
    harness.slack.add_user("U0OTHER", name="other")
    click = payloads.button_action(ids.REACTION_OPEN_ACTION, button["value"])
    trigger = harness.slack.new_trigger_id("U0OTHER")
    harness.interactive(
        payloads.block_actions([click], trigger_id=trigger, message={"ts": "1"}, user_id="U0OTHER")
    )
    harness.settle_listeners()
    assert harness.slack.calls_to("views.open") == []


def test_in_a_slack_connect_channel_the_offer_names_no_contact(harness: Harness) -> None:
    harness.slack.add_channel("C0CONNECT", "shared", is_ext_shared=True)
    message = payloads.user_message("Customer jane@acme.com cannot log in")
    harness.slack.add_message("C0CONNECT", message)
    react(harness, message, channel="C0CONNECT")
    offer_button(harness)
    assert "jane@acme.com" not in str(harness.slack.ephemerals[-1].blocks[1])
