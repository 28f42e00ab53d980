"""load_settings: defaults, parsing, and one clear line for every bad value."""

from __future__ import annotations

import pytest

from runtime.settings import SettingsError, load_settings

BASE = {
    "SLACK_BOT_TOKEN": "xoxb-test-bot",
    "SLACK_SIGNING_SECRET": "test-signing-secret",
    "DRIFT_ACCESS_TOKEN": "drift-test-token",
}


def test_defaults() -> None:
    settings = load_settings(BASE)
    assert settings.socket_mode is False
    assert settings.port == 3000
    assert settings.drift_users_cache_ttl == 600.0
    assert settings.slack_api_base_url == "https://slack.com/api/"
    assert settings.drift_api_base_url == "https://driftapi.com"
    assert settings.drift_app_base_url == "https://app.drift.com"
    assert settings.db_path == "./drift-open.sqlite3"
    assert settings.log_level == "INFO"
    assert settings.drift_user_map == {}


def test_socket_mode_needs_no_signing_secret() -> None:
    env = {**BASE, "SLACK_APP_TOKEN": "xapp-test-app"}
    del env["SLACK_SIGNING_SECRET"]
    assert load_settings(env).socket_mode is True


def test_values_are_parsed() -> None:
    settings = load_settings(
        {
            **BASE,
            "DRIFT_USER_MAP": "U123=21849, U456=998",
            "DRIFT_USERS_CACHE_TTL": "30",
            "DRIFT_TIMEOUT_SECONDS": "2.5",
            "LOG_LEVEL": "debug",
            "SLACK_API_BASE_URL": "http://127.0.0.1:9/api",
            "DRIFT_API_BASE_URL": "http://127.0.0.1:8/",
            "PORT": "8080",
            "DRIFT_OPEN_ALLOWED_USERS": "U1,U2",
            "DRIFT_OPEN_ALLOWED_CHANNELS": "C1",
        }
    )
    assert settings.drift_user_map == {"U123": 21849, "U456": 998}
    assert settings.drift_users_cache_ttl == 30.0
    assert settings.drift_timeout == 2.5
    assert settings.log_level == "DEBUG"
    assert settings.slack_api_base_url == "http://127.0.0.1:9/api/"
    assert settings.drift_api_base_url == "http://127.0.0.1:8"
    assert settings.port == 8080
    assert settings.allowed_users == {"U1", "U2"}
    assert settings.allowed_channels == {"C1"}


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"SLACK_BOT_TOKEN": ""}, ("SLACK_BOT_TOKEN", "OAuth & Permissions")),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, ("SLACK_BOT_TOKEN", "xoxb-")),
        ({"SLACK_SIGNING_SECRET": ""}, ("SLACK_SIGNING_SECRET", "Signing Secret")),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, ("SLACK_APP_TOKEN", "xapp-")),
        ({"DRIFT_ACCESS_TOKEN": "  "}, ("DRIFT_ACCESS_TOKEN", "dev.drift.com")),
        ({"DRIFT_USER_MAP": "U123:21849"}, ("DRIFT_USER_MAP", "U123=21849")),
        ({"DRIFT_USER_MAP": "U123=abc"}, ("DRIFT_USER_MAP",)),
        ({"DRIFT_USERS_CACHE_TTL": "-5"}, ("DRIFT_USERS_CACHE_TTL", "positive")),
        ({"DRIFT_USERS_CACHE_TTL": "ten"}, ("DRIFT_USERS_CACHE_TTL",)),
        ({"DRIFT_TIMEOUT_SECONDS": "0"}, ("DRIFT_TIMEOUT_SECONDS",)),
        ({"DRIFT_TIMEOUT_SECONDS": "3600"}, ("DRIFT_TIMEOUT_SECONDS", "at most 60")),
        ({"LOG_LEVEL": "LOUD"}, ("LOG_LEVEL", "DEBUG")),
        ({"LOG_FORMAT": "xml"}, ("LOG_FORMAT", "json")),
        ({"SLACK_API_BASE_URL": "slack.com/api"}, ("SLACK_API_BASE_URL", "http")),
        ({"DRIFT_API_BASE_URL": "ftp://driftapi.com"}, ("DRIFT_API_BASE_URL",)),
        ({"DRIFT_APP_BASE_URL": "https://"}, ("DRIFT_APP_BASE_URL",)),
        ({"PORT": "70000"}, ("PORT", "65535")),
        ({"PORT": "http"}, ("PORT",)),
        ({"DRIFT_OPEN_ALLOWED_USERS": "U1,jane"}, ("DRIFT_OPEN_ALLOWED_USERS", "'jane'")),
        ({"DRIFT_OPEN_ALLOWED_CHANNELS": "#general"}, ("DRIFT_OPEN_ALLOWED_CHANNELS",)),
        ({"DRIFT_OPEN_REACTION": "drift open"}, ("DRIFT_OPEN_REACTION", "emoji name")),
    ],
)
def test_bad_values_stop_start_up_with_one_line_naming_them(
    change: dict[str, str], names: tuple[str, ...]
) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({**BASE, **change})
    message = str(raised.value)
    assert "\n" not in message
    for name in names:
        assert name in message


def test_secrets_never_appear_in_repr() -> None:
    settings = load_settings(BASE)
    text = repr(settings)
    for secret in settings.secrets:
        if secret:
            assert secret not in text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {},
            ["SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "DRIFT_ACCESS_TOKEN"],
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-test-bot"},
            ["SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET", "DRIFT_ACCESS_TOKEN"],
        ),
        (
            {**BASE, "PORT": "http", "LOG_LEVEL": "LOUD", "DRIFT_TIMEOUT_SECONDS": "0"},
            ["DRIFT_TIMEOUT_SECONDS", "LOG_LEVEL", "PORT"],
        ),
    ],
)
def test_every_problem_is_reported_at_once_one_line_each(
    environ: dict[str, str], expected: list[str]
) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(environ)
    lines = str(raised.value).splitlines()
    assert raised.value.problems == lines
    assert len(lines) == len(expected)
    for line, name in zip(lines, expected, strict=True):
        assert name in line


def test_only_the_bot_token_says_how_to_choose_a_mode() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"SLACK_BOT_TOKEN": "xoxb-test-bot", "DRIFT_ACCESS_TOKEN": "d"})
    [line] = raised.value.problems
    assert "set SLACK_APP_TOKEN (Socket Mode, the default;" in line
    assert "or SLACK_SIGNING_SECRET (HTTP mode;" in line


@pytest.mark.parametrize(
    ("value", "shared"),
    [
        ("", False),
        ("./drift-open.sqlite3", False),
        ("/var/lib/drift-open/db.sqlite3", False),
        ("postgresql://drift:s3cret@db.internal:5432/drift_open", True),
        ("postgres://drift@db.internal/drift_open?sslmode=require", True),
    ],
)
def test_drift_open_db_is_a_file_or_a_postgres_url(value: str, shared: bool) -> None:
    settings = load_settings({**BASE, "DRIFT_OPEN_DB": value})
    assert settings.shared_database is shared
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("postgresql://drift:s3cret@db.internal:99999/drift_open", "not a valid PostgreSQL URL"),
        ("postgresql://drift:s3cret@db.internal:port/drift_open", "not a valid PostgreSQL URL"),
        ("postgresql://drift:s3cret@/drift_open", "needs a host"),
        ("postgresql://drift:s3cret@db.internal", "needs a database name"),
        ("postgresql://drift:s3cret@db.internal/d?no_such_option=1", "not a valid PostgreSQL URL"),
        ("POSTGRESQL://drift:s3cret@db.internal/drift_open", "not a valid PostgreSQL URL"),
    ],
)
def test_a_malformed_database_url_is_one_line_without_the_password(value: str, reason: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({**BASE, "DRIFT_OPEN_DB": value})
    [line] = raised.value.problems
    assert line.startswith("DRIFT_OPEN_DB: ")
    assert reason in line
    assert "s3cret" not in line


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_the_pool_size_is_a_positive_count(value: str) -> None:
    with pytest.raises(SettingsError, match="DRIFT_OPEN_DB_POOL_SIZE must be a whole number"):
        load_settings({**BASE, "DRIFT_OPEN_DB_POOL_SIZE": value})


@pytest.mark.parametrize(
    ("extra", "to_drift", "to_slack", "webhooks"),
    [
        ({}, True, True, False),
        ({"DRIFT_VERIFICATION_TOKEN": "v"}, True, True, True),
        ({"DRIFT_VERIFICATION_TOKEN": "v", "SLACK_APP_TOKEN": "xapp-a"}, True, True, False),
        ({"DRIFT_SYNC": "To-Drift"}, True, False, False),
        ({"DRIFT_SYNC": "to-slack"}, False, True, False),
        ({"DRIFT_SYNC": "off"}, False, False, False),
    ],
)
def test_sync_settings(
    extra: dict[str, str], to_drift: bool, to_slack: bool, webhooks: bool
) -> None:
    settings = load_settings({**BASE, **extra})
    assert (settings.sync_to_drift, settings.sync_to_slack) == (to_drift, to_slack)
    assert settings.drift_webhooks is webhooks
    assert (settings.drift_poll_seconds, settings.drift_sync_days) == (30.0, 14.0)


def test_the_verification_token_is_a_secret() -> None:
    settings = load_settings({**BASE, "DRIFT_VERIFICATION_TOKEN": "very-secret"})
    assert "very-secret" in settings.secrets
    assert "very-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("DRIFT_SYNC", "sideways", "DRIFT_SYNC must be one of both, to-drift, to-slack, off"),
        ("DRIFT_POLL_SECONDS", "0", "DRIFT_POLL_SECONDS must be a positive number of seconds"),
        ("DRIFT_SYNC_DAYS", "-1", "DRIFT_SYNC_DAYS must be a positive number of days"),
    ],
)
def test_bad_sync_settings(name: str, value: str, problem: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({**BASE, name: value})
    assert problem in str(error.value)
