"""Open the `Store` that `DRIFT_OPEN_DB` names: PostgreSQL for a URL, else a SQLite file."""

from __future__ import annotations

import sqlite3

import psycopg

from storage.location import is_postgres_url
from storage.migrations import SchemaTooNewError
from storage.postgres import PostgresStore
from storage.protocol import Store
from storage.sqlite import SqliteStore

# What opening a store can raise when the location, server or credentials are wrong.
OPEN_FAILURES = (sqlite3.Error, psycopg.Error, OSError, SchemaTooNewError)


def open_store(location: str, *, pool_size: int) -> Store:
    """The store at `location`, migrated; `pool_size` bounds PostgreSQL connections."""
    if is_postgres_url(location):
        return PostgresStore(location, pool_size=pool_size)
    return SqliteStore(location)
