"""Where `DRIFT_OPEN_DB` points: a SQLite file, or a PostgreSQL URL (shown without password)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from psycopg import ProgrammingError
from psycopg.conninfo import conninfo_to_dict

POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(location: str) -> bool:
    return location.split("://", 1)[0].lower() in POSTGRES_SCHEMES and "://" in location


def redacted(location: str) -> str:
    """`location` safe for a log line: a URL's password becomes `***`."""
    if not is_postgres_url(location):
        return location
    try:
        parts = urlsplit(location)
        password = parts.password
    except ValueError:
        return location.split("://", 1)[0] + "://***"
    if password is None:
        return location
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def without_password(text: str, location: str) -> str:
    """`text` (an error message about `location`) with the URL's password masked."""
    try:
        password = urlsplit(location).password if is_postgres_url(location) else None
    except ValueError:
        password = None
    return text.replace(password, "***") if password else text


def postgres_url_problem(location: str) -> str:
    """Why `location` is not a usable PostgreSQL URL ("" when it is); never echoes a password."""
    try:
        parts = urlsplit(location)
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError as exc:
        return f"not a valid PostgreSQL URL ({exc})"
    if not parts.hostname and "host=" not in parts.query:
        return (
            "a PostgreSQL URL needs a host, as in postgresql://user:password@host:5432/drift_open"
        )
    if parts.path.strip("/") == "" and "dbname=" not in parts.query:
        return "a PostgreSQL URL needs a database name, as in postgresql://user@host/drift_open"
    try:
        conninfo_to_dict(location)
    except ProgrammingError as exc:
        reason = " ".join(str(exc).split())
        return f"not a valid PostgreSQL URL ({without_password(reason, location)})"
    return ""
