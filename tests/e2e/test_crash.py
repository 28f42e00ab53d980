"""kill -9 with submissions in flight and queued behind a slow Drift: after a restart every rep
is told, once, within seconds."""

from __future__ import annotations

import json
import os
import signal
import time
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

CREATE = "/conversations/new"
SUBMISSIONS = 34  # two more than the app's 32 workers: two wait in the queue
REPORT_DEADLINE_SECONDS = 12.0


def told_about(slack: FakeSlack, email: str) -> int:
    return sum(email in json.dumps(note.blocks or []) for note in slack.ephemerals)


def test_kill_9_with_queued_submissions_reports_each_after_restart(
    slack: FakeSlack, drift: FakeDrift, tmp_path: Path
) -> None:
    environ = app_environment(slack, drift, tmp_path / "crash.sqlite3")
    victim = AppProcess(environ).start()
    victim.wait_until_healthy()
    emails = [unique_email() for _ in range(SUBMISSIONS)]
    drift.set_latency(30.0, path=CREATE)
    try:
        with SlackHttpClient(victim.url, SlackSigner(SIGNING_SECRET)) as client:
            rep = SlackUser(slack, drift, http_transport(client))
            for email in emails:
                _, response_url = rep.command(email)
                acked = rep.submit(rep.form_opened_for(response_url), form_values(email, "Hi"))
                assert acked.body["response_action"] == "update"
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.stop() == -signal.SIGKILL
    finally:
        drift.set_latency(0.0, path=CREATE)
        drift.release()

    restarted = AppProcess(environ).start()
    try:
        restarted.wait_until_healthy()
        deadline = time.monotonic() + REPORT_DEADLINE_SECONDS
        slack.wait_for(
            lambda: all(told_about(slack, email) for email in emails) or None,
            max(0.1, deadline - time.monotonic()),
        )
        assert [told_about(slack, email) for email in emails] == [1] * SUBMISSIONS
        assert "may or may not" in json.dumps(slack.ephemerals[-1].blocks)
    finally:
        assert restarted.stop() == 0, restarted.output
