"""The crash run's counting can see silence, duplicates and contradictions."""

from __future__ import annotations

from slack_sdk import WebClient

from bench.crash_count import Submitted, count, told_about
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack

LINK = "https://app.drift.com/inboxes/1/conversations/7"


def post(slack: FakeSlack, text: str) -> None:
    web = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])
    web.chat_postMessage(
        channel=payloads.CHANNEL_ID,
        text=text,
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    )


def test_an_acked_submission_nobody_told_is_silent_and_lost() -> None:
    with FakeSlack() as slack, FakeDrift() as drift:
        item = Submitted("quiet@example.com", view_id="V1", acked=True)
        assert not told_about(slack, item).anything
        figures = count(slack, drift, [item])
    assert (figures.told_nothing, figures.lost, figures.silent) == (1, 1, ["quiet@example.com"])


def test_created_and_not_created_for_one_submission_is_contradictory() -> None:
    with FakeSlack() as slack, FakeDrift() as drift:
        post(slack, f"opened <{LINK}|a conversation> with both@example.com")
        post(slack, "The Drift conversation with both@example.com was not created.")
        item = Submitted("both@example.com", view_id="V1", acked=True)
        told = told_about(slack, item)
        figures = count(slack, drift, [item])
    assert told.created and told.not_created
    assert figures.contradictory == 1
