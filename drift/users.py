"""UserDirectory: Slack user -> Drift user, from a locked TTL cache of one /users/list snapshot.

Also `parse_user_map`, which reads the manual override setting "U123=21849,U456=998".

Caching rules:
- The cache holds ONE immutable snapshot (email -> DriftUser, id -> DriftUser) built from one
  `list_users()` call, kept for `ttl` seconds of the injected `timer` (a cachetools TTLCache).
- A miss ("no Drift user has this email") is answered from the snapshot, so it is effectively
  cached until the snapshot expires; a user added in Drift shows up after at most `ttl`.
- Single flight (`caching.LoadingCache`): when the cache is cold, the first caller loads and
  every concurrent caller waits for that same load. If it fails, all of its waiters get the same
  exception; nothing is cached, so the next call after the failure starts a fresh load.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from cachetools import TTLCache

from caching.loading import LoadingCache
from drift.errors import DriftNotFoundError
from drift.models import DriftUser

_SNAPSHOT = "users"
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]+")


class UserSource(Protocol):
    """The part of DriftClient the directory needs."""

    def list_users(self) -> list[DriftUser]: ...

    def get_user(self, user_id: int) -> DriftUser: ...


@dataclass(frozen=True)
class _Snapshot:
    by_email: Mapping[str, DriftUser]
    by_id: Mapping[int, DriftUser]

    @classmethod
    def build(cls, users: Iterable[DriftUser]) -> _Snapshot:
        by_email: dict[str, DriftUser] = {}
        by_id: dict[int, DriftUser] = {}
        for user in users:
            by_id[user.id] = user
            email = _normalise(user.email)
            if user.bot or not email:
                continue
            known = by_email.get(email)
            if known is None or (user.verified and not known.verified):
                by_email[email] = user
        return cls(MappingProxyType(by_email), MappingProxyType(by_id))


class UserDirectory:
    """Finds the Drift user for a Slack user: manual override first, then email match."""

    def __init__(
        self,
        client: UserSource,
        *,
        ttl: float = 600.0,
        timer: Callable[[], float] = time.monotonic,
        overrides: Mapping[str, int] | None = None,
    ) -> None:
        self._client = client
        self._cache: LoadingCache[str, _Snapshot] = LoadingCache(
            TTLCache(maxsize=1, ttl=ttl, timer=timer)
        )
        self._overrides: Mapping[str, int] = MappingProxyType(dict(overrides or {}))

    def find_by_email(self, email: str) -> DriftUser | None:
        """The non-bot Drift user with this email (case-insensitive), preferring verified ones."""
        key = _normalise(email)
        return self._snapshot().by_email.get(key) if key else None

    def override_for(self, slack_user_id: str) -> int | None:
        """The Drift user id an admin mapped this Slack user to, if any."""
        return self._overrides.get(slack_user_id)

    def get_user(self, drift_user_id: int) -> DriftUser | None:
        """The user with this id: from the snapshot, else asked of Drift; None if unknown."""
        cached = self._snapshot().by_id.get(drift_user_id)
        if cached is not None:
            return cached
        try:
            return self._client.get_user(drift_user_id)
        except DriftNotFoundError:
            return None

    def _snapshot(self) -> _Snapshot:
        return self._cache.get(_SNAPSHOT, lambda: _Snapshot.build(self._client.list_users()))


def parse_user_map(text: str) -> dict[str, int]:
    """Parse "U123=21849, U456=998" (commas or newlines) into {slack_user_id: drift_user_id}."""
    mapping: dict[str, int] = {}
    for raw_entry in re.split(r"[,\n]", text):
        entry = raw_entry.strip()
        if not entry:
            continue
        slack_id, equals, drift_id = (part.strip() for part in entry.partition("="))
        if not equals:
            raise ValueError(f"user map entry {entry!r} has no '=': expected SLACK_ID=DRIFT_ID")
        if not _SLACK_USER_ID.fullmatch(slack_id):
            raise ValueError(
                f"user map entry {entry!r}: {slack_id!r} is not a Slack user id like U0123ABCD"
            )
        if not drift_id.isascii() or not drift_id.isdigit() or int(drift_id) == 0:
            raise ValueError(
                f"user map entry {entry!r}: {drift_id!r} is not a positive Drift user id"
            )
        if slack_id in mapping:
            raise ValueError(f"user map entry {entry!r}: {slack_id} is mapped more than once")
        mapping[slack_id] = int(drift_id)
    return mapping


def _normalise(email: str) -> str:
    return email.strip().lower()
