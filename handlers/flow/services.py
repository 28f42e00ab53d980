"""The collaborators the handlers share, built once per process and injected through Bolt's context.

A Bolt middleware puts `Services` into `context["services"]`, so a handler just declares a
`services: Services` parameter. Tests build their own `Services` around loopback fakes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from drift.client import DriftClient
from drift.users import UserDirectory
from handlers.flow.cards import ConversationCards
from handlers.flow.contact_context import ContactLookups
from handlers.flow.delivery import Delivery
from handlers.flow.in_flight import InFlight
from handlers.flow.names import SlackNames
from handlers.flow.threads import ThreadCache
from runtime.settings import Settings
from storage.protocol import Store
from storage.records import Origin


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
    contacts: ContactLookups
    clock: Callable[[], float] = field(default=time.monotonic)
    in_flight: InFlight = field(default_factory=InFlight)
    sync_wake: threading.Event = field(default_factory=threading.Event)
    """Set when something was queued for mirroring: the sync loop sends it without waiting."""
    threads: ThreadCache = field(default_factory=ThreadCache)

    def allowed_user(self, user_id: str) -> bool:
        """DRIFT_OPEN_ALLOWED_USERS, when set: for forms whose channel is chosen later."""
        users = self.settings.allowed_users
        return not users or user_id in users

    def allowed(self, user_id: str, channel_id: str) -> bool:
        """Both allowlists, when set; with a channel allowlist an unknown channel is refused."""
        channels = self.settings.allowed_channels
        return self.allowed_user(user_id) and (not channels or channel_id in channels)

    def allowed_origin(self, user_id: str, origin: Origin) -> bool:
        """The allowlists for someone acting on a form or draft started at `origin`."""
        if origin.asks_for_channel and not origin.channel_id:
            return self.allowed_user(user_id)
        return self.allowed(user_id, origin.channel_id)
