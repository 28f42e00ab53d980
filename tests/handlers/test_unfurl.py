"""Drift links pasted in Slack unfurl into a card; in Slack Connect channels only the number."""

from __future__ import annotations

import json
import logging

import pytest

from drift.client import DriftClient
from tests.conftest import DRIFT_TOKEN, REP_DRIFT_ID, Harness
from tests.fakes import payloads

SHARED_CHANNEL = "C0SHARED"


def conversation_url(harness: Harness, email: str = "jane@acme.com") -> tuple[int, str]:
    harness.drift.add_contact(email, name="Jane Doe")
    client = DriftClient(harness.drift.base_url, DRIFT_TOKEN)
    created = client.create_conversation(
        email=email,
        body_html="<p>Pricing question</p>",
        integration_source="test",
        assignee_id=REP_DRIFT_ID,
    )
    return created.id, created.url(harness.services.settings.drift_app_base_url)


def unfurled(harness: Harness, channel: str, urls: list[str]) -> str:
    harness.event(harness.slack.share_links(channel, urls))
    harness.settle_listeners()
    return json.dumps([unfurl.blocks for unfurl in harness.slack.unfurls])


def test_a_drift_link_unfurls_into_a_full_card(harness: Harness) -> None:
    conversation_id, url = conversation_url(harness)
    text = unfurled(harness, payloads.CHANNEL_ID, [url, "https://example.com/other"])
    [unfurl] = harness.slack.unfurls
    assert unfurl.url == url
    assert f"#{conversation_id}" in text
    assert "Jane Doe (jane@acme.com)" in text and "Riley Rep" in text
    assert "Pricing question" in text


def test_in_a_slack_connect_channel_only_the_number_is_shown(harness: Harness) -> None:
    harness.slack.add_channel(SHARED_CHANNEL, "acme-shared", is_ext_shared=True)
    conversation_id, url = conversation_url(harness)
    text = unfurled(harness, SHARED_CHANNEL, [url])
    assert f"#{conversation_id}" in text
    assert "jane@acme.com" not in text and "Jane Doe" not in text
    assert "Pricing question" not in text
    assert harness.drift.calls_to("GET", f"/conversations/{conversation_id}") == []


def test_an_unknown_conversation_unfurls_to_its_number(harness: Harness) -> None:
    url = "https://app.drift.com/inboxes/1/conversations/777"
    text = unfurled(harness, payloads.CHANNEL_ID, [url])
    assert "#777" in text and "did not say more" in text


def test_other_links_are_left_alone(harness: Harness) -> None:
    harness.event(harness.slack.share_links(payloads.CHANNEL_ID, ["https://example.com/x"]))
    harness.settle_listeners()
    assert harness.slack.calls_to("chat.unfurl") == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [("DRIFT_OPEN_ALLOWED_USERS", "U0SOMEONEELSE"), ("DRIFT_OPEN_ALLOWED_CHANNELS", "C0ELSEWHERE")],
)
def test_nothing_unfurls_for_someone_not_allowed(make_harness, setting: str, value: str) -> None:
    harness = make_harness(**{setting: value})
    _, url = conversation_url(harness)
    harness.event(harness.slack.share_links(payloads.CHANNEL_ID, [url]))
    harness.settle_listeners()
    assert harness.slack.calls_to("chat.unfurl") == []


def test_a_refused_unfurl_is_logged_not_raised(harness: Harness, caplog) -> None:
    caplog.set_level(logging.INFO, logger="handlers.unfurl")
    _, url = conversation_url(harness)
    event = harness.slack.share_links(payloads.CHANNEL_ID, [url])
    event["unfurl_id"] = "unknown-unfurl-id"
    harness.event(event)
    harness.settle_listeners()
    [call] = harness.slack.calls_to("chat.unfurl")
    assert call.error == "invalid_unfurl_id"
    assert "Could not unfurl a Drift link (invalid_unfurl_id)" in caplog.text
