"""NoNames: a NameResolver that knows no names, for tests where the converters show the IDs."""

from __future__ import annotations


class NoNames:
    """A NameResolver that knows no names: converters show the IDs."""

    def user_name(self, user_id: str) -> str | None:
        return None

    def channel_name(self, channel_id: str) -> str | None:
        return None

    def usergroup_name(self, group_id: str) -> str | None:
        return None
