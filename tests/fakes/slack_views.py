"""Trigger ids and the view lifecycle of the fake Slack: views.open/update/push, closing, and the
Home tabs of views.publish.

Triggers are single-use and expire 3 s after issue by the injected clock; a trigger issued from
inside a modal (`view_id`) is the one views.push stacks onto. A modal stack holds at most 3 views
(views.push: `push_limit_reached`, "Currently the limit is 3"). A view is too large above 250 kB
of JSON. Not thread-safe by itself: FakeSlack calls it while holding its own lock.
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
MAX_STACKED_VIEWS = 3


@dataclass
class _Trigger:
    issued_at: float
    user_id: str | None
    view_id: str | None = None  # the modal the interaction came from, if any
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
        self.home_views: dict[str, dict[str, Any]] = {}
        """user_id -> the Home tab last published for that user."""

    def new_trigger_id(self, user_id: str | None = None, view_id: str | None = None) -> str:
        trigger_id = (
            f"{int(time.time() * 1000)}{next(self._sequence):04d}.1000001.{secrets.token_hex(16)}"
        )
        self._triggers[trigger_id] = _Trigger(self._clock(), user_id, view_id)
        return trigger_id

    def open(self, trigger_id: Any, view: Any) -> dict[str, Any]:
        _require(trigger_id, "trigger_id")
        _check_view(view)
        trigger = self._usable_trigger(trigger_id)
        self._check_external_id(view, None)
        trigger.used = True
        view_id = f"V{next(self._sequence):08d}"
        self.views[view_id] = self._stored(view_id, view, root_view_id=view_id, previous=None)
        self.open_ids.add(view_id)
        return self.views[view_id]

    def push(self, trigger_id: Any, view: Any) -> dict[str, Any]:
        """views.push: stack `view` on the modal the trigger's interaction came from."""
        _require(trigger_id, "trigger_id")
        _check_view(view)
        trigger = self._usable_trigger(trigger_id)
        if trigger.view_id is None or trigger.view_id not in self.open_ids:
            raise SlackMethodError("not_found")
        self._check_external_id(view, None)
        trigger.used = True
        return self._push_onto(trigger.view_id, view)

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
        if action == "clear":
            for stacked_id, stacked in self.views.items():
                if stacked["root_view_id"] == current["root_view_id"]:
                    self.close(stacked_id)
            return None
        if action not in ("update", "push"):
            self.close(view_id)
            return None
        _check_view(new_view)
        if action == "update":
            self.views[view_id] = self._stored(
                view_id, new_view, current["root_view_id"], current["previous_view_id"]
            )
            return self.views[view_id]
        return self._push_onto(view_id, new_view)

    def publish(self, user_id: str, view: dict[str, Any], view_hash: Any) -> dict[str, Any]:
        """views.publish: replace the user's Home tab; a stale `hash` is a `hash_conflict`."""
        if len(_json_bytes(view)) > MAX_VIEW_BYTES:
            raise SlackMethodError("view_too_large")
        current = self.home_views.get(user_id)
        if view_hash and current is not None and view_hash != current["hash"]:
            raise SlackMethodError("hash_conflict")
        view_id = current["id"] if current is not None else f"V{next(self._sequence):08d}"
        published = self._stored(view_id, view, view_id, None)
        del published["title"]  # a Home tab has none (views.publish example)
        self.home_views[user_id] = published
        return published

    def _usable_trigger(self, trigger_id: str) -> _Trigger:
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise SlackMethodError("invalid_trigger_id")
        if trigger.used:
            raise SlackMethodError("exchanged_trigger_id")
        if self._clock() - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise SlackMethodError("expired_trigger_id")
        return trigger

    def _push_onto(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        root_view_id = self.views[view_id]["root_view_id"]
        stacked = [
            open_id
            for open_id in self.open_ids
            if self.views[open_id]["root_view_id"] == root_view_id
        ]
        if len(stacked) >= MAX_STACKED_VIEWS:
            raise SlackMethodError("push_limit_reached")
        pushed_id = f"V{next(self._sequence):08d}"
        self.views[pushed_id] = self._stored(pushed_id, view, root_view_id, view_id)
        self.open_ids.add(pushed_id)
        return self.views[pushed_id]

    def _stored(
        self, view_id: str, view: dict[str, Any], root_view_id: str, previous: str | None
    ) -> dict[str, Any]:
        return {
            "id": view_id,
            "team_id": self._team_id,
            "type": view["type"],
            "title": view.get("title"),
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
    if len(_json_bytes(view)) > MAX_VIEW_BYTES:
        raise SlackMethodError("view_too_large")


def _json_bytes(view: dict[str, Any]) -> bytes:
    """The view as slack_sdk sends it (`json.dumps` defaults)."""
    return json.dumps(view).encode("utf-8")


def _invalid(message: str) -> SlackMethodError:
    return SlackMethodError(
        "invalid_arguments", response_metadata={"messages": [f"[ERROR] {message}"]}
    )
