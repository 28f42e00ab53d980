"""Unfurls against the real process: a conversation the rep created, its link pasted in a
channel of the company and in a Slack Connect channel."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.conftest import OUTCOME_TIMEOUT_SECONDS, SlackUser, unique_email
from tests.fakes import payloads
from tests.fakes.signing import SlackHttpClient
from tests.forms import form_values

pytestmark = pytest.mark.e2e

SHARED_CHANNEL_ID = "C0CONNECT"


def created_link(rep: SlackUser) -> tuple[str, str]:
    email = unique_email()
    rep.drift.add_contact(email, name="Jane Customer")
    _, response_url = rep.command()
    rep.submit(rep.form_opened_for(response_url), form_values(email, "Renewal <b>terms</b>"))
    answer = rep.answer_about(email)
    match = re.search(r"https://app\.drift\.com/inboxes/\d+/conversations/\d+", answer.text or "")
    assert match, answer.text
    return email, match.group(0)


def unfurl_of(rep: SlackUser, http: SlackHttpClient, channel: str, url: str) -> str:
    event = rep.slack.share_links(channel, [url])
    assert http.send(http.prepare_event(event)).status_code == 200
    unfurl = rep.slack.wait_for(
        lambda: next((u for u in rep.slack.unfurls if u.ts == event["message_ts"]), None),
        timeout=OUTCOME_TIMEOUT_SECONDS,
    )
    return json.dumps(unfurl.blocks, ensure_ascii=False)


def test_a_link_in_a_company_channel_shows_the_card(rep: SlackUser, http: SlackHttpClient) -> None:
    email, url = created_link(rep)
    card = unfurl_of(rep, http, payloads.CHANNEL_ID, url)
    assert f"Jane Customer ({email})" in card
    assert "Riley Rep" in card and "Renewal" in card


def test_a_link_in_a_slack_connect_channel_shows_only_its_number(
    rep: SlackUser, http: SlackHttpClient
) -> None:
    rep.slack.add_channel(SHARED_CHANNEL_ID, "acme-x-customer", is_ext_shared=True)
    email, url = created_link(rep)
    card = unfurl_of(rep, http, SHARED_CHANNEL_ID, url)
    assert "#" + url.rsplit("/", 1)[1] in card
    assert email not in card and "Jane Customer" not in card and "Renewal" not in card
