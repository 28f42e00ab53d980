"""Slack names for IDs, cached: `SlackNames` is the NameResolver the converters use.

Lookups go through `users.info` (scope `users:read`; `users:read.email` for `email`),
`conversations.info` (`channels:read`, `groups:read`, `im:read`, `mpim:read` per channel type)
and `usergroups.list` (`usergroups:read`; without it group mentions show their ID).
Answers are kept in a bounded cachetools `TLRUCache` behind `caching.LoadingCache` (locked,
single flight: a burst of submissions by one rep makes one `users.info`). A found answer lives
`ttl` seconds; a failed lookup returns None, is logged at WARNING with the Slack error code only,
and is remembered for `negative_ttl` seconds, so one message with ten mentions makes one failing
call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from cachetools import TLRUCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from caching.loading import LoadingCache
from runtime.slack_errors import slack_error_code

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class SlackUser:
    """The parts of a Slack user profile this app uses."""

    id: str
    team_id: str = ""
    enterprise_id: str = ""
    name: str = ""
    real_name: str = ""
    display_name: str = ""
    email: str = ""
    is_bot: bool = False
    deleted: bool = False
    is_restricted: bool = False
    is_admin: bool = False  # a workspace admin or owner

    @property
    def best_name(self) -> str:
        """What Slack shows: the display name, else the real name, else the handle, else the ID."""
        return self.display_name or self.real_name or self.name or self.id

    def is_external_to(self, team_id: str, enterprise_id: str = "") -> bool:
        """True for a Slack Connect user: another team, and not the same Enterprise Grid org."""
        if enterprise_id and self.enterprise_id == enterprise_id:
            return False
        return bool(self.team_id and team_id and self.team_id != team_id)

    @classmethod
    def from_api(cls, user: Mapping[str, Any]) -> SlackUser:
        """Build from a `users.info` `user` object; every field may be missing."""
        profile = _mapping(user.get("profile"))
        enterprise = _mapping(user.get("enterprise_user"))
        return cls(
            id=_text(user.get("id")),
            team_id=_text(user.get("team_id")) or _text(profile.get("team")),
            enterprise_id=_text(enterprise.get("enterprise_id")),
            name=_text(user.get("name")),
            real_name=_text(user.get("real_name")) or _text(profile.get("real_name")),
            display_name=_text(profile.get("display_name")),
            email=_text(profile.get("email")),
            is_bot=user.get("is_bot") is True or user.get("id") == "USLACKBOT",
            deleted=user.get("deleted") is True,
            is_restricted=user.get("is_restricted") is True,
            is_admin=any(user.get(flag) is True for flag in ("is_admin", "is_owner")),
        )


@dataclass(frozen=True)
class SlackChannel:
    """The parts of `conversations.info` this app uses."""

    id: str
    name: str = ""
    is_ext_shared: bool = False  # Slack Connect: other organisations read it too
    creator: str = ""


class SlackNames:
    """Cached Slack lookups by ID; implements `rendering.html.NameResolver`."""

    def __init__(
        self,
        client: WebClient,
        *,
        ttl: float = 300,
        maxsize: int = 1000,
        negative_ttl: float = 30,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client

        def expires(_key: tuple[str, str], value: Any, now: float) -> float:
            return now + (ttl if value is not None else negative_ttl)

        self._cache: LoadingCache[tuple[str, str], Any] = LoadingCache(
            TLRUCache(maxsize, expires, timer=timer)
        )

    def user(self, user_id: str) -> SlackUser | None:
        """The user's profile via `users.info`, or None if Slack would not say."""
        return self._cached(("user", user_id), self._fetch_user) if user_id else None

    def user_name(self, user_id: str) -> str | None:
        user = self.user(user_id)
        return user.best_name if user else None

    def channel(self, channel_id: str) -> SlackChannel | None:
        """The channel via `conversations.info`, or None if Slack would not say."""
        return self._cached(("channel", channel_id), self._fetch_channel) if channel_id else None

    def channel_name(self, channel_id: str) -> str | None:
        """The channel's name; None for DMs and failures."""
        channel = self.channel(channel_id)
        return (channel.name or None) if channel else None

    def usergroup_name(self, group_id: str) -> str | None:
        """The group's handle (without "@"), from one `usergroups.list` per TTL."""
        if not group_id:
            return None
        handles = self._cached(("usergroups", ""), self._fetch_usergroup_handles)
        return handles.get(group_id) if handles else None

    def _cached(self, key: tuple[str, str], fetch: Callable[[str], T | None]) -> T | None:
        return self._cache.get(key, lambda: fetch(key[1]))  # type: ignore[no-any-return]

    def _fetch_user(self, user_id: str) -> SlackUser | None:
        data = self._call("users.info", lambda: self._client.users_info(user=user_id))
        user = data.get("user") if data else None
        return SlackUser.from_api(user) if isinstance(user, Mapping) else None

    def _fetch_channel(self, channel_id: str) -> SlackChannel | None:
        data = self._call(
            "conversations.info", lambda: self._client.conversations_info(channel=channel_id)
        )
        if data is None:
            return None
        channel = _mapping(data.get("channel"))
        shared = (
            channel.get("is_ext_shared") is True or channel.get("is_pending_ext_shared") is True
        )
        return SlackChannel(
            channel_id,
            _text(channel.get("name")),
            is_ext_shared=shared,
            creator=_text(channel.get("creator")),
        )

    def _fetch_usergroup_handles(self, _: str) -> Mapping[str, str] | None:
        data = self._call(
            "usergroups.list", lambda: self._client.usergroups_list(include_disabled=True)
        )
        if data is None:
            return None
        groups = data.get("usergroups")
        handles = {
            _text(group.get("id")): _text(group.get("handle")) or _text(group.get("name"))
            for group in (groups if isinstance(groups, list) else [])
            if isinstance(group, Mapping)
        }
        return MappingProxyType(handles)

    def _call(self, method: str, call: Callable[[], Any]) -> Mapping[str, Any] | None:
        try:
            data = call().data
        except (SlackClientError, OSError, ValueError) as exc:
            logger.warning(
                "Slack %s failed (%s); showing the ID instead", method, slack_error_code(exc)
            )
            return None
        return data if isinstance(data, Mapping) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
