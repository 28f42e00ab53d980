"""kill -9 after Drift created the conversation but before Slack took the answer: the next
process delivers the link from the outbox, once."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.conftest import SIGNING_SECRET, app_environment
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import SlackUser, http_transport, unique_email
from tests.fakes.drift_api import FakeDrift
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.forms import form_values

pytestmark = pytest.mark.e2e

DELIVERY_DEADLINE_SECONDS = 15.0  # the owner's heartbeat lapses after 6 s, upkeep runs every 2 s


def answers_with(slack: FakeSlack, email: str) -> list[str]:
    return [m.text or "" for m in slack.messages if email in (m.text or "")]


def test_kill_9_between_drift_and_slack_delivers_the_link_after_restart(
    slack: FakeSlack, drift: FakeDrift, tmp_path: Path
) -> None:
    environ = app_environment(slack, drift, tmp_path / "outbox.sqlite3")
    victim = AppProcess(environ).start()
    victim.wait_until_healthy()
    email = unique_email()
    slack.rate_limit("chat.postMessage", times=1, retry_after=9)
    with SlackHttpClient(victim.url, SlackSigner(SIGNING_SECRET)) as client:
        rep = SlackUser(slack, drift, http_transport(client))
        _, response_url = rep.command(email)
        rep.submit(rep.form_opened_for(response_url), form_values(email, "Hi"))
        slack.wait_for(
            lambda: [c for c in slack.calls_to("chat.postMessage") if c.error == "ratelimited"]
        )
    assert len(rep.conversations_with(email)) == 1
    os.kill(victim.pid, signal.SIGKILL)
    assert victim.stop() == -signal.SIGKILL
    assert answers_with(slack, email) == []

    restarted = AppProcess(environ).start()
    try:
        restarted.wait_until_healthy()
        [answer] = slack.wait_for(lambda: answers_with(slack, email), DELIVERY_DEADLINE_SECONDS)
        assert "/conversations/" in answer
        assert len(rep.conversations_with(email)) == 1
        assert restarted.wait_for_output("Delivered 1 outcomes a stopped process had not told")
        assert len(answers_with(slack, email)) == 1
    finally:
        assert restarted.stop() == 0, restarted.output
