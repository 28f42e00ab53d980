"""app.main(): the doctor command, settings errors, and a real process that stops gracefully."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

import app
from tests.conftest import SIGNING_SECRET, app_environment
from tests.e2e.app_process import AppProcess
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.signing import SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.forms import form_values

NEW = "/conversations/new"


pytestmark = pytest.mark.usefixtures("restore_root_logging")


def test_main_doctor_prints_the_checklist_and_returns_0(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environ = app_environment(fake_slack, fake_drift, tmp_path / "db.sqlite3")
    assert app.main(["doctor"], environ=environ) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "doctor: 7 of 7 checks passed"
    assert "✗" not in out


def test_main_doctor_returns_1_on_a_failed_check(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_slack.scopes = fake_slack.scopes - {"users:read.email"}
    environ = app_environment(fake_slack, fake_drift, tmp_path / "db.sqlite3")
    assert app.main(["doctor"], environ=environ) == 1
    out = capsys.readouterr().out
    assert "✗ Slack bot scopes: drift-open in Acme: missing users:read.email" in out
    assert fake_slack.bot_token not in out


def test_main_without_settings_names_the_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main([], environ={}) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == "drift-open: the settings have 3 problems:"
    assert lines[2].startswith("  SLACK_BOT_TOKEN is not set: get it from api.slack.com")
    assert len(lines) == 4
    assert captured.out == ""


def test_main_unknown_command_returns_2(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environ = app_environment(fake_slack, fake_drift, tmp_path / "db.sqlite3")
    assert app.main(["frobnicate"], environ=environ) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().out
    assert fake_slack.calls == []


class SignedPoster:
    """Posts signed Slack requests to the app process."""

    def __init__(self, process: AppProcess) -> None:
        self._url = f"{process.url}/slack/events"
        self._signer = SlackSigner(SIGNING_SECRET)
        self._http = requests.Session()

    def post(self, body: str) -> requests.Response:
        headers = self._signer.sign(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self._http.post(self._url, data=body.encode(), headers=headers, timeout=10)

    def interactive(self, payload: dict[str, Any]) -> requests.Response:
        return self.post(urlencode({"payload": json.dumps(payload)}))


def submit_then_sigterm(
    slack: FakeSlack, drift: FakeDrift, tmp_path: Path, latency: float = 1.0, **extra: str
) -> tuple[int, str]:
    """Open a form, submit it while Drift is slow, SIGTERM at once; the exit code and output."""
    drift.set_latency(latency, path=NEW)
    environ = app_environment(slack, drift, tmp_path / "db.sqlite3", **extra)
    with AppProcess(environ) as process:
        process.wait_until_healthy()
        poster = SignedPoster(process)
        command = payloads.command_form(
            trigger_id=slack.new_trigger_id(), response_url=slack.response_url()
        )
        assert poster.post(urlencode(command)).status_code == 200
        opened = slack.wait_for(lambda: slack.calls_to("views.open"), timeout=10)
        assert opened[0].error is None
        view = slack.views[next(iter(slack.views))]
        values = form_values("jane@acme.com", "Hi Jane")
        ack = poster.interactive(payloads.view_submission(view, values))
        assert ack.json()["response_action"] == "update"
        drift.wait_for(lambda: drift.calls_to("GET", "/users/list"), timeout=10)
        assert drift.created_count == 0
        code = process.stop()
        output = process.output
    return code, output


def test_sigterm_finishes_the_conversation_in_flight(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path
) -> None:
    code, output = submit_then_sigterm(fake_slack, fake_drift, tmp_path)
    assert code == 0, output
    assert fake_drift.created_count == 1
    [answer] = fake_slack.messages
    assert answer.channel == payloads.CHANNEL_ID
    assert "jane@acme.com" in json.dumps(answer.blocks)
    [outcome] = [line for line in output.splitlines() if "conversation outcome=" in line]
    assert "conversation outcome=created " in outcome
    assert "total_ms=" in outcome
    assert output.index("Signal 15 received") < output.index("conversation outcome=created")
    assert "drift-open stopped" in output
    assert fake_slack.bot_token not in output


def test_sigterm_has_one_overall_deadline_and_says_what_it_left(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path
) -> None:
    started = time.monotonic()
    code, output = submit_then_sigterm(
        fake_slack, fake_drift, tmp_path, latency=30.0, SHUTDOWN_TIMEOUT_SECONDS="1"
    )
    fake_drift.set_latency(0.0, path=NEW)
    fake_drift.release()
    assert code == 0, output
    assert time.monotonic() - started < 15
    assert "Stopping with 1 submissions unfinished after 1 s" in output
    assert "drift-open stopped" in output


def test_json_logs_are_one_object_per_line(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path
) -> None:
    code, output = submit_then_sigterm(fake_slack, fake_drift, tmp_path, LOG_FORMAT="json")
    assert code == 0, output
    entries = [json.loads(line) for line in output.splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    [outcome] = [e for e in entries if e["message"].startswith("conversation outcome=")]
    assert outcome["message"].startswith("conversation outcome=created ")
    assert entries[-1]["message"] == "drift-open stopped"
