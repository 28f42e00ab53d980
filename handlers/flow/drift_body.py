"""What Drift receives for a draft: the body HTML and the integrationSource line.

The body is the message as HTML with its context: the channel, the author, a back-link to the
Slack message and the rep who sent it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient

from handlers.flow.names import SlackNames
from rendering.html import conversation_body, integration_source
from rendering.richtext import rich_text_to_html
from runtime.slack_errors import SLACK_FAILURES
from storage.records import Draft

logger = logging.getLogger(__name__)

UNNAMED_CHANNELS = ("privategroup", "directmessage")


@dataclass(frozen=True)
class DriftBody:
    """The two strings `create_conversation` sends besides the email and the assignee."""

    html: str
    integration_source: str


def drift_body(
    names: SlackNames, client: WebClient, draft: Draft, *, extra_html: str = "", label: str = ""
) -> DriftBody:
    """Render the draft for Drift, looking up the names and the permalink it mentions;
    `extra_html` (the imported thread) follows the rep's message, `label` (the channel's, set
    from the App Home) joins the integrationSource."""
    origin = draft.origin
    rep = names.user(origin.user_id)
    rep_name = rep.best_name if rep else ""
    author = names.user(origin.author_id) if origin.author_id else None
    channel = channel_name(names, draft)
    html = conversation_body(
        rich_text_to_html(draft.message, names) + extra_html,
        channel_name=channel,
        author_name=author.best_name if author else "",
        permalink=permalink(client, draft),
        rep_name=rep_name,
    )
    return DriftBody(html, integration_source(channel, rep_name, label=label))


def channel_name(names: SlackNames, draft: Draft) -> str:
    """The channel's name: from the payload, else `conversations.info`; "" for DMs."""
    origin = draft.origin
    if origin.channel_name and origin.channel_name not in UNNAMED_CHANNELS:
        return origin.channel_name
    if origin.channel_id:
        return names.channel_name(origin.channel_id) or origin.channel_name
    return origin.channel_name


def permalink(client: WebClient, draft: Draft) -> str | None:
    """A link back to the Slack message, or None (no message, or Slack would not say)."""
    origin = draft.origin
    if not (origin.channel_id and origin.message_ts):
        return None
    try:
        response = client.chat_getPermalink(channel=origin.channel_id, message_ts=origin.message_ts)
    except SLACK_FAILURES:
        logger.info("chat.getPermalink failed; the Drift message goes without a back-link")
        return None
    link = response.get("permalink")
    return link if isinstance(link, str) else None
