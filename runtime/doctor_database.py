"""The doctor's database lines: can DRIFT_OPEN_DB be opened, at which schema version, and is it
shared by replicas that need to share it. Looks without changing anything (no migration)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import psycopg

from runtime.settings import Settings
from storage import postgres_schema, sqlite_schema
from storage.location import redacted, without_password

URL_FIX = "Check host, port, database name, user and password in DRIFT_OPEN_DB."
SHARED_FIX = (
    "Several Socket Mode replicas need one PostgreSQL: set DRIFT_OPEN_DB=postgresql://… on each"
    " (docs/deploy.md)."
)


def check_database(settings: Settings) -> tuple[bool, str, str, str]:
    """(ok, detail, fix, warning) for DRIFT_OPEN_DB."""
    if settings.shared_database:
        ok, detail, fix = _postgres(settings.db_path)
        return ok, detail, fix, ""
    ok, detail, fix = _sqlite(Path(settings.db_path))
    warning = (
        "Socket Mode on a SQLite file serves one replica only: Slack spreads events over every"
        " connection, and replicas on separate files would not see each other's submissions. "
        + SHARED_FIX
        if settings.socket_mode
        else ""
    )
    return ok, detail, fix, warning


def _version_line(version: int, latest: int) -> tuple[bool, str]:
    if version > latest:
        return False, f"schema version {version} is newer than this drift-open ({latest})"
    if version < latest:
        return True, f"schema version {version}, migrated to {latest} at the next start"
    return True, f"schema version {version} (current)"


def _sqlite(path: Path) -> tuple[bool, str, str]:
    if not path.exists():
        parent_ok = path.parent.is_dir()
        detail = f"SQLite file {path} does not exist yet; it is created at the first start"
        fix = "" if parent_ok else f"Create the directory {path.parent} or change DRIFT_OPEN_DB."
        return parent_ok, detail, fix
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            (version,) = db.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error as exc:
        return False, f"SQLite file {path} cannot be read ({exc})", "Check DRIFT_OPEN_DB."
    ok, line = _version_line(version, sqlite_schema.SCHEMA_VERSION)
    return ok, f"SQLite file {path}, {line}", "" if ok else "Upgrade drift-open."


def _postgres(url: str) -> tuple[bool, str, str]:
    where = redacted(url)
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            exists = connection.execute("SELECT to_regclass('schema_version')").fetchone()
            row = (
                connection.execute("SELECT max(version) FROM schema_version").fetchone()
                if exists and exists[0]
                else None
            )
    except psycopg.Error as exc:
        cause = without_password(" ".join(str(exc).split()), url)
        return False, f"PostgreSQL {where} cannot be used ({cause})", URL_FIX
    version = row[0] if row and row[0] is not None else 0
    ok, line = _version_line(version, postgres_schema.SCHEMA_VERSION)
    return ok, f"PostgreSQL {where}, {line}", "" if ok else "Upgrade drift-open."
