"""The collaborators the handlers share, built once per process and injected through Bolt's context.

A Bolt middleware puts `Services` into `context["services"]`, so a handler just declares a
`services: Services` parameter. Tests build their own `Services` around loopback fakes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from drift.client import DriftClient
from drift.users import UserDirectory
from handlers.flow.cards import ConversationCards
from handlers.flow.delivery import Delivery
from handlers.flow.in_flight import InFlight
from handlers.flow.names import SlackNames
from runtime.settings import Settings
from storage.protocol import Store


@dataclass(frozen=True)
class Services:
    """What handlers and the creation workflow need besides the request itself."""

    settings: Settings
    drift: DriftClient
    users: UserDirectory
    store: Store
    names: SlackNames
    delivery: Delivery
    executor: Executor
    cards: ConversationCards
    clock: Callable[[], float] = field(default=time.monotonic)
    in_flight: InFlight = field(default_factory=InFlight)

    def allowed(self, user_id: str, channel_id: str) -> bool:
        """Access control: DRIFT_OPEN_ALLOWED_USERS / _CHANNELS, when set."""
        users = self.settings.allowed_users
        channels = self.settings.allowed_channels
        if users and user_id not in users:
            return False
        return not (channels and channel_id and channel_id not in channels)
