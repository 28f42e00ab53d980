"""Start-up failures: one line on stderr naming the setting and `make doctor`, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

import app
from tests.conftest import app_environment
from tests.e2e.app_process import free_port
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack

pytestmark = pytest.mark.usefixtures("restore_root_logging")


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    # Threads left by other tests in this worker may log through the handler main() installs.
    lines = [line for line in err.splitlines() if line.startswith("drift-open: ")]
    assert len(lines) == 1, err
    line = lines[0]
    assert "run `make doctor`" in line
    return line


def test_unopenable_db(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path, capsys
) -> None:
    environ = app_environment(fake_slack, fake_drift, tmp_path / "missing" / "dir" / "db.sqlite3")
    assert app.main([], environ=environ) == 1
    assert one_line(capsys).startswith("drift-open: DRIFT_OPEN_DB: cannot open ")


def test_wrong_bot_token(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path, capsys
) -> None:
    environ = app_environment(
        fake_slack, fake_drift, tmp_path / "db.sqlite3", SLACK_BOT_TOKEN="xoxb-not-the-token"
    )
    assert app.main([], environ=environ) == 1
    line = one_line(capsys)
    assert line.startswith("drift-open: SLACK_BOT_TOKEN: Slack refused it (invalid_auth)")
    assert "xoxb-not-the-token" not in line


def test_wrong_app_token(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path, capsys
) -> None:
    environ = app_environment(
        fake_slack, fake_drift, tmp_path / "db.sqlite3", SLACK_APP_TOKEN="xapp-wrong-token"
    )
    assert app.main([], environ=environ) == 1
    assert one_line(capsys).startswith("drift-open: SLACK_APP_TOKEN: apps.connections.open failed")


def test_slack_unreachable(fake_drift: FakeDrift, tmp_path: Path, capsys) -> None:
    environ = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "DRIFT_ACCESS_TOKEN": "drift",
        "SLACK_API_BASE_URL": f"http://127.0.0.1:{free_port()}/api/",
        "DRIFT_API_BASE_URL": fake_drift.base_url,
        "DRIFT_OPEN_DB": str(tmp_path / "db.sqlite3"),
    }
    assert app.main([], environ=environ) == 1
    assert one_line(capsys).startswith("drift-open: SLACK_API_BASE_URL: Slack could not be reached")
