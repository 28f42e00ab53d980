"""Versioned schema migrations shared by both backends: what to apply, and when to refuse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """The statements that take a database from `version - 1` to `version`."""

    version: int
    statements: tuple[str, ...]


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer drift-open than this one."""


def latest_version(migrations: Sequence[Migration]) -> int:
    return migrations[-1].version if migrations else 0


def migrations_after(current: int, migrations: Sequence[Migration]) -> list[Migration]:
    """The migrations a database at `current` still needs, in order; refuses a newer database."""
    latest = latest_version(migrations)
    if current > latest:
        raise SchemaTooNewError(
            f"the database schema is at version {current}, newer than this drift-open"
            f" supports ({latest}); upgrade drift-open on this replica"
        )
    return [migration for migration in migrations if migration.version > current]
