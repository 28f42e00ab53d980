"""Per-channel defaults: the assignee last chosen in a channel, and its integration-source label.

Both live in the store (several replicas share them). A store that cannot answer never stops a
form: the rep's own user and no label are used instead.
"""

from __future__ import annotations

import logging

from handlers.ui.label_view import MAX_LABEL_CHARS
from storage.protocol import ChannelDefaults, Store
from storage.records import Origin

logger = logging.getLogger(__name__)


def defaults_for(store: Store, origin: Origin) -> ChannelDefaults:
    """The channel's defaults; empty without a channel or when the store fails."""
    if not origin.channel_id:
        return ChannelDefaults()
    try:
        return store.channel_defaults(origin.team_id, origin.channel_id)
    except Exception:
        logger.warning("The store could not read the channel's defaults; using none")
        return ChannelDefaults()


def starting_assignee(store: Store, origin: Origin) -> str:
    """Who the form pre-selects: the channel's last choice, else the rep."""
    return defaults_for(store, origin).assignee_id or origin.user_id


def remember_assignee(store: Store, origin: Origin, assignee_id: str) -> None:
    """Keep `assignee_id` as the channel's next pre-selection (a rep's choice in a form)."""
    if not (origin.channel_id and assignee_id) or origin.source == "workflow":
        return
    try:
        store.set_channel_defaults(origin.team_id, origin.channel_id, assignee_id=assignee_id)
    except Exception:
        logger.warning("The store could not keep the channel's assignee")


def clean_label(text: str) -> str:
    """A label as kept: one line, trimmed, at most MAX_LABEL_CHARS characters."""
    return " ".join(text.split())[:MAX_LABEL_CHARS]
