"""`python app.py doctor`: every check against the loopback fakes, green and red."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient

import app
from drift.client import DriftClient
from runtime.doctor import Check, print_checklist, run_checks, run_doctor
from runtime.scopes import REQUIRED_BOT_SCOPES
from runtime.settings import Settings, load_settings
from tests.conftest import DRIFT_TOKEN, DRIFT_USERS, app_environment
from tests.e2e.app_process import free_port
from tests.fakes.drift_api import FakeDrift, drift_user
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def settings_for(tmp_path: Path):
    def build(slack: FakeSlack, drift: FakeDrift, **extra: str) -> Settings:
        return load_settings(app_environment(slack, drift, tmp_path / "db.sqlite3", **extra))

    return build


@pytest.fixture
def narrow_drift() -> Iterator[FakeDrift]:
    """A Drift whose token may create conversations but not read users."""
    users = [dict(user) for user in DRIFT_USERS]
    with FakeDrift(
        access_token=DRIFT_TOKEN, users=users, scopes=frozenset({"conversation_write"})
    ) as drift:
        yield drift


def doctor(settings: Settings) -> tuple[int, str]:
    out = io.StringIO()
    code = run_doctor(settings, out)
    return code, out.getvalue()


def checks_of(settings: Settings) -> dict[str, Check]:
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_base_url)
    with DriftClient(settings.drift_api_base_url, settings.drift_access_token) as drift:
        return {check.name: check for check in run_checks(settings, client, drift)}


def failed_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("✗")]


def test_all_green_against_the_fakes(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for
) -> None:
    code, text = doctor(settings_for(fake_slack, fake_drift))
    assert code == 0
    assert failed_lines(text) == []
    assert "fix:" not in text
    granted = len(REQUIRED_BOT_SCOPES)
    assert f"✓ Slack bot token and scopes: drift-open in Acme; {granted} scopes granted" in text
    assert "✓ HTTP mode: requests to /slack/events are verified with SLACK_SIGNING_SECRET" in text
    assert "Socket Mode" not in text
    assert "✓ Drift token and scopes: org 8675309; " in text
    assert "✓ Slack → Drift user mapping: 1 of 1 Slack members map to Drift users" in text
    assert "✓ Database (DRIFT_OPEN_DB): SQLite file " in text
    assert text.splitlines()[-1] == "doctor: 7 of 7 checks passed"
    assert len(fake_slack.calls_to("auth.test")) == 1
    assert len(fake_drift.calls_to("POST", "/app/token_info")) == 1


@pytest.mark.parametrize("missing", ["users:read.email", "chat:write.public", "usergroups:read"])
def test_missing_slack_scope_fails_with_the_fix(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for, missing: str
) -> None:
    fake_slack.scopes = fake_slack.scopes - {missing}
    code, text = doctor(settings_for(fake_slack, fake_drift))
    assert code == 1
    assert failed_lines(text) == [f"✗ Slack bot scopes: drift-open in Acme: missing {missing}"]
    fix = text.splitlines()[text.splitlines().index(failed_lines(text)[0]) + 1]
    assert fix.startswith("    fix: Update the app from manifest.yml, then ")
    assert "Reinstall to Workspace" in fix
    assert text.splitlines()[-1] == "doctor: 6 of 7 checks passed"


def test_bad_bot_token_fails_slack_checks(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for
) -> None:
    settings = settings_for(fake_slack, fake_drift, SLACK_BOT_TOKEN="xoxb-not-the-token")
    checks = checks_of(settings)
    token = checks["Slack bot token"]
    assert (token.ok, token.detail) == (False, "Slack answered invalid_auth")
    assert token.fix.startswith("Copy the bot token from api.slack.com/apps")
    mapping = checks["Slack → Drift user mapping"]
    assert (mapping.ok, mapping.detail) == (False, "Slack answered invalid_auth")
    code, text = doctor(settings)
    assert code == 1
    assert "xoxb-not-the-token" not in text


@pytest.mark.parametrize(
    ("app_token", "ok", "detail"),
    [
        ("xapp-test-app", True, "apps.connections.open succeeded"),
        ("xapp-wrong-token", False, "Slack answered invalid_auth"),
    ],
)
def test_socket_mode_app_token(
    fake_slack: FakeSlack,
    fake_drift: FakeDrift,
    settings_for,
    app_token: str,
    ok: bool,
    detail: str,
) -> None:
    settings = settings_for(fake_slack, fake_drift, SLACK_APP_TOKEN=app_token)
    check = checks_of(settings)["Socket Mode app token"]
    assert (check.ok, check.detail) == (ok, detail)
    assert ("connections:write" in check.fix) is not ok
    assert doctor(settings)[0] == (0 if ok else 1)


def test_drift_token_without_user_read(
    fake_slack: FakeSlack, narrow_drift: FakeDrift, settings_for
) -> None:
    code, text = doctor(settings_for(fake_slack, narrow_drift))
    assert code == 1
    lines = failed_lines(text)
    assert lines[0] == "✗ Drift token scopes: org 8675309: missing user_read"
    assert "use the NEW token" in text
    assert lines[1].startswith("✗ Slack → Drift user mapping: ")
    assert "Check the Drift token's user_read scope." in text


def test_bad_drift_token(fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for) -> None:
    settings = settings_for(fake_slack, fake_drift, DRIFT_ACCESS_TOKEN="drift-wrong-token-123")
    check = checks_of(settings)["Drift token"]
    assert not check.ok
    assert "403" in check.detail
    assert "dev.drift.com" in check.fix
    code, text = doctor(settings)
    assert code == 1
    assert "drift-wrong-token-123" not in text


def test_mapping_counts_matches_misses_and_overrides(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for
) -> None:
    fake_drift.add_user(drift_user(700, "Jane Doe", "jane@example.com"))
    fake_slack.add_user("U0JANE", name="jane", email="JANE@example.com")
    fake_slack.add_user("U0NOMATCH", name="nomatch", email="nomatch@example.com")
    fake_slack.add_user("U0NOMAIL", name="nomail", email=None)
    fake_slack.add_user("U0MAPPED", name="mapped", email=None)
    fake_slack.add_user("U0GONE", name="gone", email="gone@example.com", deleted=True)
    fake_slack.add_user("U0ROBOT", name="robot", email="rep@example.com", is_bot=True)
    settings = settings_for(fake_slack, fake_drift, DRIFT_USER_MAP="U0MAPPED=700")
    check = checks_of(settings)["Slack → Drift user mapping"]
    assert check.ok
    assert check.detail == (
        "3 of 5 Slack members map to Drift users (not mapped: nomatch@example.com, nomail; "
        "their conversations are created unassigned)"
    )


def test_mapping_lists_at_most_ten_unmapped(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for
) -> None:
    for n in range(12):
        fake_slack.add_user(f"U0X{n:02d}", name=f"x{n}", email=f"x{n}@example.com")
    check = checks_of(settings_for(fake_slack, fake_drift))["Slack → Drift user mapping"]
    assert check.detail.startswith("1 of 13 Slack members map to Drift users")
    assert "x9@example.com and 2 more;" in check.detail
    assert "x10@example.com" not in check.detail


def test_mapping_reads_every_page_of_users_list(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for
) -> None:
    for n in range(201):
        fake_slack.add_user(f"U0P{n:03d}", name=f"p{n}", email=None)
    check = checks_of(settings_for(fake_slack, fake_drift))["Slack → Drift user mapping"]
    assert check.detail.startswith("1 of 202 Slack members map")
    assert len(fake_slack.calls_to("users.list")) == 2


def test_an_unreachable_slack_is_a_network_problem_not_a_token_one(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    settings = settings_for(fake_slack, fake_drift, SLACK_API_BASE_URL=nowhere)
    token = checks_of(settings)["Slack bot token"]
    assert token.detail.startswith("Slack could not be reached (")
    assert "DNS, connection refused or timeout" in token.detail
    assert token.fix == "Check the network (DNS, proxy, firewall) or SLACK_API_BASE_URL."


def test_an_unreachable_drift_is_a_network_problem(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = settings_for(fake_slack, fake_drift, DRIFT_API_BASE_URL=nowhere)
    drift = checks_of(settings)["Drift"]
    assert drift.detail.startswith("Drift could not be reached (")
    assert drift.fix == "Check the network (DNS, proxy, firewall) or DRIFT_API_BASE_URL."


def test_missing_settings_still_run_the_whole_checklist_quietly(
    fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path, capsys, restore_root_logging
) -> None:
    environ = app_environment(fake_slack, fake_drift, tmp_path / "db.sqlite3")
    del environ["SLACK_BOT_TOKEN"]
    assert app.main(["doctor"], environ=environ) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("✗ Settings: SLACK_BOT_TOKEN")
    assert "✗ Slack bot token: not checked: its setting is missing" in lines
    assert any(line.startswith("✓ Drift token and scopes") for line in lines)
    assert lines[-1].startswith("doctor: ")
    assert captured.err == ""


def test_print_checklist_marks_and_fixes() -> None:
    out = io.StringIO()
    print_checklist([Check("A", True, "fine"), Check("B", False, "broken", "do this")], out)
    assert out.getvalue().splitlines() == [
        "✓ A: fine",
        "✗ B: broken",
        "    fix: do this",
        "doctor: 1 of 2 checks passed",
    ]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "polling every 30 s over conversations linked in the last 14 days"),
        (
            {"DRIFT_VERIFICATION_TOKEN": "v"},
            "https://<host>/drift/events with the event new_message",
        ),
        ({"SLACK_APP_TOKEN": "xapp-test-app"}, "(Socket Mode has no public URL)"),
        ({"DRIFT_SYNC": "to-drift"}, "Slack → Drift only"),
        ({"DRIFT_SYNC": "off"}, "off (DRIFT_SYNC=off)"),
    ],
    ids=["http polling", "http webhooks", "socket mode", "to drift", "off"],
)
def test_the_sync_mode_is_reported(
    fake_slack: FakeSlack, fake_drift: FakeDrift, settings_for, extra: dict[str, str], expected: str
) -> None:
    check = checks_of(settings_for(fake_slack, fake_drift, **extra))["Thread sync"]
    assert check.ok
    assert expected in check.detail


def test_sync_without_conversation_read_fails_with_the_fix(
    fake_slack: FakeSlack, settings_for
) -> None:
    scopes = frozenset({"conversation_write", "user_read"})
    users = [dict(user) for user in DRIFT_USERS]
    with FakeDrift(access_token=DRIFT_TOKEN, users=users, scopes=scopes) as drift:
        check = checks_of(settings_for(fake_slack, drift))["Thread sync"]
    assert not check.ok
    assert "lacks conversation_read" in check.detail
    assert "DRIFT_SYNC=to-drift" in check.fix


def test_drift_token_without_contact_read_names_what_the_form_loses(
    fake_slack: FakeSlack, settings_for
) -> None:
    scopes = frozenset({"conversation_write", "conversation_read", "user_read"})
    with FakeDrift(access_token=DRIFT_TOKEN, scopes=scopes) as drift:
        check = checks_of(settings_for(fake_slack, drift))["Drift token and scopes"]
    assert check.ok
    assert "without contact_read, the form says the contact context is unavailable" in check.detail
