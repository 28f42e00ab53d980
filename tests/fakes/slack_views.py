"""Trigger ids and the modal lifecycle of the fake Slack: views.open, views.update, closing.

Triggers are single-use and expire 3 s after issue by the injected clock. Not thread-safe by
itself: FakeSlack calls it while holding its own lock.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes.block_kit import view_problems
from tests.fakes.slack_directory import SlackMethodError

TRIGGER_TTL_SECONDS = 3.0
MAX_VIEW_BYTES = 250_000


@dataclass
class _Trigger:
    issued_at: float
    user_id: str | None
    used: bool = False


class ModalRegistry:
    def __init__(
        self, *, clock: Callable[[], float], team_id: str, app_id: str, bot_id: str
    ) -> None:
        self._clock = clock
        self._team_id = team_id
        self._app_id = app_id
        self._bot_id = bot_id
        self._triggers: dict[str, _Trigger] = {}
        self._sequence = itertools.count(1)
        self.views: dict[str, dict[str, Any]] = {}
        self.open_ids: set[str] = set()

    def new_trigger_id(self, user_id: str | None = None) -> str:
        trigger_id = (
            f"{int(time.time() * 1000)}{next(self._sequence):04d}.1000001.{secrets.token_hex(16)}"
        )
        self._triggers[trigger_id] = _Trigger(issued_at=self._clock(), user_id=user_id)
        return trigger_id

    def open(self, trigger_id: Any, view: Any) -> dict[str, Any]:
        _require(trigger_id, "trigger_id")
        _check_view(view)
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise SlackMethodError("invalid_trigger_id")
        if trigger.used:
            raise SlackMethodError("exchanged_trigger_id")
        if self._clock() - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise SlackMethodError("expired_trigger_id")
        self._check_external_id(view, None)
        trigger.used = True
        view_id = f"V{next(self._sequence):08d}"
        self.views[view_id] = self._stored(view_id, view, root_view_id=view_id, previous=None)
        self.open_ids.add(view_id)
        return self.views[view_id]

    def update(self, view_id: Any, external_id: Any, view: Any, view_hash: Any) -> dict[str, Any]:
        if not view_id and not external_id:
            raise _invalid("view_id or external_id is required [json-pointer:/view_id]")
        _check_view(view)
        if not view_id:
            view_id = self._by_external_id(external_id)
        if view_id not in self.open_ids:
            raise SlackMethodError("not_found")
        current = self.views[view_id]
        if view_hash and view_hash != current["hash"]:
            raise SlackMethodError("hash_conflict")
        self._check_external_id(view, view_id)
        self.views[view_id] = self._stored(
            view_id, view, current["root_view_id"], current["previous_view_id"]
        )
        return self.views[view_id]

    def close(self, view_id: str) -> None:
        self.open_ids.discard(view_id)

    def settle_submission(self, view_id: str, ack: dict[str, Any] | None) -> dict[str, Any] | None:
        """Apply a view_submission ack as Slack would; return the view now shown, if any."""
        action = (ack or {}).get("response_action")
        new_view = (ack or {}).get("view")
        current = self.views[view_id]
        if action == "errors":
            return current
        if action not in ("update", "push"):
            self.close(view_id)
            return None
        _check_view(new_view)
        if action == "update":
            self.views[view_id] = self._stored(
                view_id, new_view, current["root_view_id"], current["previous_view_id"]
            )
            return self.views[view_id]
        pushed_id = f"V{next(self._sequence):08d}"
        self.views[pushed_id] = self._stored(pushed_id, new_view, current["root_view_id"], view_id)
        self.open_ids.add(pushed_id)
        return self.views[pushed_id]

    def _stored(
        self, view_id: str, view: dict[str, Any], root_view_id: str, previous: str | None
    ) -> dict[str, Any]:
        return {
            "id": view_id,
            "team_id": self._team_id,
            "type": view["type"],
            "title": view["title"],
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": view["blocks"],
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_urlsafe(6)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_view_id,
            "previous_view_id": previous,
            "app_id": self._app_id,
            "app_installed_team_id": self._team_id,
            "bot_id": self._bot_id,
        }

    def _by_external_id(self, external_id: str) -> str:
        for view_id, stored in self.views.items():
            if stored["external_id"] == external_id and view_id in self.open_ids:
                return view_id
        raise SlackMethodError("not_found")

    def _check_external_id(self, view: dict[str, Any], own_view_id: str | None) -> None:
        external_id = view.get("external_id")
        if not external_id:
            return
        for view_id, stored in self.views.items():
            if view_id != own_view_id and stored["external_id"] == external_id:
                raise SlackMethodError("duplicate_external_id")


def _require(value: Any, name: str) -> None:
    if not isinstance(value, str) or not value:
        raise _invalid(f"missing required field: {name} [json-pointer:/{name}]")


def _check_view(view: Any) -> None:
    if view is None:
        raise _invalid("missing required field: view [json-pointer:/view]")
    problems = view_problems(view)
    if problems:
        raise SlackMethodError("invalid_arguments", response_metadata={"messages": problems})
    if len(json.dumps(view)) > MAX_VIEW_BYTES:
        raise SlackMethodError("view_too_large")


def _invalid(message: str) -> SlackMethodError:
    return SlackMethodError(
        "invalid_arguments", response_metadata={"messages": [f"[ERROR] {message}"]}
    )
