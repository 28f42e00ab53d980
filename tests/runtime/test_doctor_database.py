"""The doctor's database line: SQLite or PostgreSQL, its schema version, and shared replicas."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from runtime.doctor_database import check_database
from runtime.settings import Settings
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore
from storage.sqlite_schema import SCHEMA_VERSION
from tests.e2e.app_process import free_port
from tests.postgres_server import PostgresServer


def settings_with(db: str, *, socket_mode: bool = False) -> Settings:
    app_token = "xapp-1-test" if socket_mode else ""
    return Settings(
        slack_bot_token="xoxb-t", drift_access_token="d", slack_app_token=app_token, db_path=db
    )


def test_a_sqlite_file_not_created_yet_is_fine_when_its_directory_exists(tmp_path: Path) -> None:
    ok, detail, fix, warning = check_database(settings_with(str(tmp_path / "new.sqlite3")))
    assert (ok, fix, warning) == (True, "", "")
    assert "created at the first start" in detail


def test_a_sqlite_file_in_a_missing_directory_fails(tmp_path: Path) -> None:
    ok, _, fix, _ = check_database(settings_with(str(tmp_path / "nope" / "db.sqlite3")))
    assert not ok
    assert "Create the directory" in fix


def test_a_current_sqlite_file_shows_its_version(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    SqliteStore(path).close()
    ok, detail, _, _ = check_database(settings_with(str(path)))
    assert ok
    assert detail.endswith(f"schema version {SCHEMA_VERSION} (current)")


def test_a_newer_sqlite_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(path)) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    ok, detail, fix, _ = check_database(settings_with(str(path)))
    assert not ok
    assert "newer than this drift-open" in detail
    assert fix == "Upgrade drift-open."


def test_socket_mode_on_sqlite_warns_that_replicas_share_nothing(tmp_path: Path) -> None:
    *_, warning = check_database(settings_with(str(tmp_path / "db.sqlite3"), socket_mode=True))
    assert "one replica only" in warning
    assert "postgresql://" in warning


def test_postgres_before_and_after_the_first_start(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    settings = settings_with(url, socket_mode=True)

    ok, detail, _, warning = check_database(settings)
    assert ok
    assert "schema version 0, migrated to" in detail
    assert warning == ""

    PostgresStore(url, pool_size=1).close()
    ok, detail, _, _ = check_database(settings)
    assert ok
    assert detail.endswith("(current)")
    assert urlsplit(url).password not in detail


@pytest.mark.parametrize("problem", ["unreachable", "wrong password"])
def test_postgres_that_refuses_names_the_cause_not_the_password(
    postgres: PostgresServer, problem: str
) -> None:
    url = postgres.new_database()
    password = urlsplit(url).password or ""
    if problem == "unreachable":
        url = url.replace(f":{urlsplit(url).port}/", f":{free_port()}/")
    else:
        url = url.replace(f":{password}@", ":hunter2@")
    ok, detail, fix, _ = check_database(settings_with(url))
    assert not ok
    assert "cannot be used" in detail
    assert "hunter2" not in detail and password not in detail
    assert "DRIFT_OPEN_DB" in fix


def test_a_newer_postgres_schema_fails(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    PostgresStore(url, pool_size=1).close()
    with psycopg.connect(url) as connection:
        connection.execute("UPDATE schema_version SET version = version + 1")
    ok, detail, _, _ = check_database(settings_with(url))
    assert not ok
    assert "newer than this drift-open" in detail
