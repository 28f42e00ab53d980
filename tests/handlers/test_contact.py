"""Contact context in the form: who the email is in Drift and the conversations known with them,
shown under the field when the email is entered or prefilled; never in the way of the form."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.ui import ids
from storage.protocol import ConversationRecord
from tests.conftest import Harness
from tests.fakes import payloads
from tests.forms import form_values, inputs

EMAIL = "jane@acme.com"


def enter_email(harness: Harness, view: dict[str, Any], email: str, text: str) -> dict[str, Any]:
    """Type `email` (and `text` in the message) and press Enter; the form Slack now shows."""
    action = {
        "type": "email_text_input",
        "action_id": ids.EMAIL_ACTION,
        "block_id": ids.EMAIL_BLOCK,
        "value": email,
        "action_ts": "1700000000.000001",
    }
    current = harness.slack.views[view["id"]]
    values = form_values(email, text)
    payload = payloads.block_actions([action], view={**current, "state": {"values": values}})
    calls = len(harness.slack.calls_to("views.update"))
    assert harness.interactive(payload).status == 200
    harness.settle_listeners()
    [call] = harness.slack.calls_to("views.update")[calls:]
    assert call.error is None, call.error
    assert call.params["hash"] == current["hash"]
    return harness.slack.views[view["id"]]


def context_text(view: dict[str, Any]) -> str:
    blocks = [b for b in view["blocks"] if b.get("block_id") == ids.CONTACT_CONTEXT_BLOCK]
    return json.dumps(blocks, ensure_ascii=False)


def known(harness: Harness, conversation_id: int, email: str = EMAIL) -> ConversationRecord:
    record = ConversationRecord(
        team_id=payloads.TEAM_ID,
        channel_id=payloads.CHANNEL_ID,
        message_ts="",
        source="command",
        user_id=payloads.USER_ID,
        assignee_slack_id=payloads.USER_ID,
        assignee_drift_id=21849,
        contact_email=email,
        conversation_id=conversation_id,
        inbox_id=5,
        url=f"https://app.drift.com/inboxes/5/conversations/{conversation_id}",
        created_at=1_700_000_000.0,
        submission_key=f"key-{conversation_id}",
    )
    harness.services.store.complete(record.submission_key, record)
    return record


def test_a_prefilled_email_shows_the_contact_and_known_conversations(harness: Harness) -> None:
    harness.drift.add_contact(EMAIL, name="Jane Doe", company="Acme & Co")
    known(harness, 4242)
    harness.drift.endpoints.records.conversations[4242] = {"id": 4242, "inboxId": 5}
    harness.drift.endpoints.records.conversations[4242]["status"] = "pending"
    harness.command(text=f"{EMAIL} Hello")
    harness.settle_listeners()
    view = harness.slack.views[harness.opened_view()["id"]]
    shown = context_text(view)
    assert "*Jane Doe* · Acme &amp; Co" in shown
    assert "<https://app.drift.com/inboxes/5/conversations/4242|#4242>" in shown
    assert f"<@{payloads.USER_ID}>" in shown and "d ago" in shown
    assert "· pending ·" in shown
    [target] = [b for b in view["blocks"] if b.get("block_id") == ids.TARGET_BLOCK]
    values = [option["value"] for option in target["element"]["options"]]
    assert values == [ids.NEW_CONVERSATION, f"{ids.ADD_PREFIX}4242"]
    assert target["element"]["initial_option"]["value"] == ids.NEW_CONVERSATION


def test_entering_an_unknown_email_says_drift_will_create_it(harness: Harness) -> None:
    harness.command()
    view = enter_email(harness, harness.opened_view(), "new.person@acme.com", "Typed *text*")
    assert "New contact — Drift will create it" in context_text(view)
    fields = inputs(view)
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == "new.person@acme.com"
    assert "Typed" in json.dumps(fields[ids.MESSAGE_BLOCK]["initial_value"])
    assert not [b for b in view["blocks"] if b.get("block_id") == ids.TARGET_BLOCK]


def test_an_email_shared_by_several_contacts_says_so(harness: Harness) -> None:
    harness.drift.add_contact(EMAIL)
    harness.drift.add_contact(EMAIL, name="Jane Doe")
    harness.command()
    view = enter_email(harness, harness.opened_view(), EMAIL, "Hi")
    assert "*Jane Doe* · 2 Drift contacts share this email" in context_text(view)


def test_without_contact_read_the_context_is_unavailable_and_says_why(harness: Harness) -> None:
    harness.drift.endpoints.scopes = frozenset({"conversation_write", "user_read"})
    known(harness, 77)
    harness.command()
    view = enter_email(harness, harness.opened_view(), EMAIL, "Hi")
    shown = context_text(view)
    assert "Contact context unavailable (the Drift token lacks the contact_read scope)" in shown
    assert "#77" in shown  # what drift-open itself knows is still shown


def test_a_slow_drift_leaves_the_context_unavailable_within_the_timeout(make_harness) -> None:
    harness: Harness = make_harness(CONTACT_LOOKUP_TIMEOUT_SECONDS="0.3")
    harness.drift.set_latency(5.0, path="/contacts")
    harness.command()
    view = enter_email(harness, harness.opened_view(), EMAIL, "Hi")
    harness.drift.release()
    assert "Contact context unavailable (Drift did not answer in time)" in context_text(view)


def test_an_invalid_email_shows_no_context(harness: Harness) -> None:
    harness.command()
    view = enter_email(harness, harness.opened_view(), "jane@", "Hi")
    assert context_text(view) == "[]"
    assert not harness.drift.calls_to("GET", "/contacts")


def test_someone_outside_the_allowlist_is_told_nothing(make_harness) -> None:
    harness: Harness = make_harness(DRIFT_OPEN_ALLOWED_USERS=payloads.USER_ID)
    harness.command()
    view = harness.opened_view()
    action = {"type": "email_text_input", "action_id": ids.EMAIL_ACTION, "value": EMAIL}
    values = form_values(EMAIL, "Hi")
    payload = payloads.block_actions(
        [action], view={**view, "state": {"values": values}}, user_id="U0STRANGER"
    )
    assert harness.interactive(payload).status == 200
    harness.settle_listeners()
    assert not harness.slack.calls_to("views.update")
    assert not harness.drift.calls_to("GET", "/contacts")


@pytest.mark.parametrize("failure", [400, 404])
def test_a_failing_drift_keeps_the_form_usable(harness: Harness, failure: int) -> None:
    harness.drift.fail_next(failure, times=4, path="/contacts")
    harness.command()
    view = enter_email(harness, harness.opened_view(), EMAIL, "Hi")
    assert "Contact context unavailable (Drift could not be asked)" in context_text(view)
    harness.submit(view, form_values(EMAIL, "Hi"))
    harness.drain()
    assert harness.drift.created_count == 1


def test_a_slow_status_leaves_it_out_but_shows_the_rest(make_harness) -> None:
    harness: Harness = make_harness(CONTACT_LOOKUP_TIMEOUT_SECONDS="0.3")
    harness.drift.add_contact(EMAIL, name="Jane Doe")
    known(harness, 77)
    harness.drift.set_latency(5.0, path="/conversations/77")
    harness.command()
    view = enter_email(harness, harness.opened_view(), EMAIL, "Hi")
    harness.drift.release()
    shown = context_text(view)
    assert "*Jane Doe*" in shown
    assert "|#77> · started" in shown and "pending" not in shown
