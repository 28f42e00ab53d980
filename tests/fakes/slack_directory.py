"""The fake Slack workspace: users, conversations, message history and who may post where.

Not thread-safe by itself: FakeSlack calls it while holding its own lock.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

PUBLIC_POSTING_SCOPE = "chat:write.public"


class SlackMethodError(Exception):
    """Answered as HTTP 200 `{"ok": false, "error": error, **extra}`, as Slack does."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass(frozen=True)
class Channel:
    id: str
    name: str | None
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    is_archived: bool = False
    bot_is_member: bool = True
    user: str | None = None  # the other party of an IM
    members: frozenset[str] | None = None  # None: every known user counts as a member
    is_ext_shared: bool = False  # Slack Connect: shared with another organisation
    creator: str = ""  # the user who created the channel

    @property
    def visible_to_bot(self) -> bool:
        return self.bot_is_member or not (self.is_private or self.is_im or self.is_mpim)


@dataclass(frozen=True)
class PostedMessage:
    channel: str
    ts: str
    text: str | None
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None
    dm_user: str | None  # set when the app posted to a user ID (its App Home DM)
    reply_broadcast: bool = False


@dataclass(frozen=True)
class EphemeralMessage:
    channel: str
    user: str
    message_ts: str
    text: str | None
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None


class SlackDirectory:
    def __init__(self, *, team_id: str, team_domain: str, messages_tab_enabled: bool) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.messages_tab_enabled = messages_tab_enabled
        self.users: dict[str, dict[str, Any]] = {}
        self.hidden_users: set[str] = set()
        """Users that exist but are not visible to the app (users.info: `user_not_visible`)."""
        self.channels: dict[str, Channel] = {}
        self.history: dict[str, dict[str, dict[str, Any]]] = {}
        self._first_ts_micros = int(time.time() * 1_000_000)
        self._sequence = itertools.count(1)

    def new_ts(self) -> str:
        micros = self._first_ts_micros + next(self._sequence)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str = "",
        display_name: str = "",
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        bot_id: str | None = None,
        visible: bool = True,
        is_admin: bool = False,
    ) -> dict[str, Any]:
        user_team = team_id or self.team_id
        profile: dict[str, Any] = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": display_name,
            "display_name_normalized": display_name,
            "team": user_team,
        }
        if email is not None:
            profile["email"] = email
        if bot_id is not None:
            profile["bot_id"] = bot_id
        user = {
            "id": user_id,
            "team_id": user_team,
            "name": name,
            "deleted": deleted,
            "real_name": real_name,
            "is_bot": is_bot,
            "is_app_user": False,
            "is_admin": is_admin,
            "is_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "tz": "Europe/London",
            "updated": int(time.time()),
            "profile": profile,
        }
        self.users[user_id] = user
        if not visible:
            self.hidden_users.add(user_id)
        return user

    def add_channel(self, channel: Channel) -> Channel:
        self.channels[channel.id] = channel
        self.history.setdefault(channel.id, {})
        return channel

    def add_message(self, channel_id: str, message: dict[str, Any]) -> None:
        self.history.setdefault(channel_id, {})[message["ts"]] = message

    def user_info(self, user_id: str, *, include_email: bool) -> dict[str, Any]:
        user = self.users.get(user_id)
        if user is None:
            raise SlackMethodError("user_not_found")
        if user_id in self.hidden_users:
            raise SlackMethodError("user_not_visible")
        if include_email:
            return user
        profile = {key: value for key, value in user["profile"].items() if key != "email"}
        return {**user, "profile": profile}

    def visible_user_ids(self) -> list[str]:
        return [user_id for user_id in self.users if user_id not in self.hidden_users]

    def visible_channel(self, channel_id: str) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None or not channel.visible_to_bot:
            raise SlackMethodError("channel_not_found")
        return channel

    def channel_info(self, channel_id: str) -> dict[str, Any]:
        channel = self.visible_channel(channel_id)
        info: dict[str, Any] = {
            "id": channel.id,
            "created": self._first_ts_micros // 1_000_000,
            "is_im": channel.is_im,
            "is_mpim": channel.is_mpim,
            "is_private": channel.is_private or channel.is_im or channel.is_mpim,
            "is_archived": channel.is_archived,
            "is_org_shared": False,
        }
        if channel.is_im:
            return {**info, "user": channel.user, "is_user_deleted": False}
        return {
            **info,
            "name": channel.name,
            "name_normalized": channel.name,
            "is_channel": not channel.is_private and not channel.is_mpim,
            "is_group": channel.is_private and not channel.is_mpim,
            "is_general": False,
            "is_shared": channel.is_ext_shared,
            "is_ext_shared": channel.is_ext_shared,
            "is_member": channel.bot_is_member,
            "creator": channel.creator,
        }

    def postable_channel(self, target: str, scopes: frozenset[str]) -> tuple[Channel, str | None]:
        """The conversation a post to `target` lands in, and the user when it is the app's DM."""
        if target[:1] in ("U", "W"):
            if target not in self.users:
                raise SlackMethodError("channel_not_found")
            if not self.messages_tab_enabled:
                raise SlackMethodError("messages_tab_disabled")
            return self._app_dm(target), target
        channel = self.visible_channel(target)
        if channel.is_archived:
            raise SlackMethodError("is_archived")
        if not channel.bot_is_member and PUBLIC_POSTING_SCOPE not in scopes:
            raise SlackMethodError("not_in_channel")
        return channel, None

    def is_member(self, channel: Channel, user_id: str) -> bool:
        if channel.is_im:
            return user_id == channel.user
        if channel.members is None:
            return user_id in self.users
        return user_id in channel.members

    def permalink(self, channel_id: str, message_ts: str) -> str:
        self.visible_channel(channel_id)
        message = self.history.get(channel_id, {}).get(message_ts)
        if message is None:
            raise SlackMethodError("message_not_found")
        archive = f"https://{self.team_domain}.slack.com/archives/{channel_id}"
        link = f"{archive}/p{message_ts.replace('.', '')}"
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message_ts:
            link += f"?thread_ts={thread_ts}&cid={channel_id}"
        return link

    def _app_dm(self, user_id: str) -> Channel:
        for channel in self.channels.values():
            if channel.is_im and channel.user == user_id and channel.bot_is_member:
                return channel
        return self.add_channel(Channel(id="D" + user_id[1:], name=None, is_im=True, user=user_id))
