"""Drift conversation links pasted in Slack (`link_shared`) unfold into a card (`chat.unfurl`).

In channels shared with other organisations, and where the channel cannot be looked up, the
card shows only the conversation's number and link: customer details never leave the company.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from handlers.flow.cards import conversation_id_in
from handlers.flow.services import Services
from handlers.ui.blocks import Blocks
from handlers.ui.cards import UNKNOWN_NOTE, build_private_unfurl_blocks, build_unfurl_blocks
from runtime.slack_errors import SLACK_FAILURES, slack_error_code

logger = logging.getLogger(__name__)

MAX_LINKS = 5  # Slack unfurls at most five links of one message


def build_unfurls(event: dict[str, Any], services: Services) -> dict[str, dict[str, Blocks]]:
    """`{url: {"blocks": [...]}}` for each Drift conversation link in the event."""
    links = [link for link in event.get("links") or [] if isinstance(link, dict)]
    base = services.settings.drift_app_base_url
    found = [
        (url, conversation_id)
        for url in (str(link.get("url") or "") for link in links[:MAX_LINKS])
        if (conversation_id := conversation_id_in(url, base)) is not None
    ]
    if not found:
        return {}
    channel = services.names.channel(str(event.get("channel") or ""))
    private = channel is None or channel.is_ext_shared
    unfurls: dict[str, dict[str, Blocks]] = {}
    for url, conversation_id in found:
        card = None if private else services.cards.card(conversation_id, url)
        if card is not None:
            blocks = build_unfurl_blocks(card)
        elif private:
            blocks = build_private_unfurl_blocks(conversation_id, url)
        else:
            blocks = build_private_unfurl_blocks(conversation_id, url, UNKNOWN_NOTE)
        unfurls[url] = {"blocks": blocks}
    return unfurls


def handle_link_shared(event: dict[str, Any], client: WebClient, services: Services) -> None:
    """Unfurl the Drift links of a message (Bolt acks events itself)."""
    user_id, channel_id = str(event.get("user") or ""), str(event.get("channel") or "")
    if not services.allowed(user_id, channel_id):
        return
    unfurls = build_unfurls(event, services)
    if not unfurls:
        return
    target: dict[str, Any]
    if event.get("unfurl_id") and event.get("source"):
        target = {"unfurl_id": event["unfurl_id"], "source": event["source"]}
    else:
        target = {"channel": channel_id, "ts": str(event.get("message_ts") or "")}
    try:
        client.chat_unfurl(unfurls=unfurls, **target)
    except SLACK_FAILURES as exc:
        logger.info("Could not unfurl a Drift link (%s)", slack_error_code(exc))


def register(app: App) -> None:
    app.event("link_shared")(handle_link_shared)
