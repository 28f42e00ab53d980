"""Start-up failures: one line on stderr naming the setting and `make doctor`, no traceback."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

import app
from tests.conftest import app_environment
from tests.e2e.app_process import free_port
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack
from tests.postgres_server import PostgresServer

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


@pytest.mark.parametrize("problem", ["unreachable", "wrong password"])
def test_a_database_that_refuses_is_one_line_without_the_password(
    fake_slack: FakeSlack, fake_drift: FakeDrift, postgres: PostgresServer, problem: str, capsys
) -> None:
    url = postgres.new_database()
    if problem == "unreachable":
        url = url.replace(f":{urlsplit(url).port}/", f":{free_port()}/")
    else:
        url = url.replace(f":{urlsplit(url).password}@", ":hunter2-wrong@")
    environ = app_environment(fake_slack, fake_drift, Path("unused"), DRIFT_OPEN_DB=url)

    assert app.main([], environ=environ) == 1

    line = one_line(capsys)
    assert line.startswith("drift-open: DRIFT_OPEN_DB: cannot open 'postgresql://drift:***@")
    assert ("password authentication failed" if problem != "unreachable" else "refused") in line
    assert "hunter2" not in line
    assert urlsplit(postgres.url).password not in line
