"""Link unfurling in FakeSlack: the `link_shared` events it hands out and `chat.unfurl`.

Shapes from docs.slack.dev (events/link_shared, methods/chat.unfurl): the event carries
`channel`, `user`, `message_ts`, `unfurl_id`, `source`, `links: [{domain, url}]`; chat.unfurl
names the message by `channel` + `ts` or by `unfurl_id` + `source`, and maps each shared URL to
an attachment (here `{"blocks": [...]}`). Errors used: `missing_scope` (links:write),
`invalid_unfurls_format`, `cannot_unfurl_url` (a URL the message did not share),
`cannot_find_message`, `invalid_unfurl_id`, `missing_source` / `invalid_source`,
`missing_channel` / `missing_ts`, `invalid_blocks`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tests.fakes.block_kit import message_blocks_problems
from tests.fakes.slack_directory import SlackMethodError

if TYPE_CHECKING:
    from tests.fakes.slack_api import FakeSlack

SOURCES = frozenset({"composer", "conversations_history"})


@dataclass(frozen=True)
class SharedMessage:
    channel: str
    user: str
    ts: str
    unfurl_id: str
    urls: tuple[str, ...]


@dataclass(frozen=True)
class Unfurl:
    channel: str
    ts: str
    url: str
    blocks: list[dict[str, Any]]


@dataclass
class SharedLinks:
    shared: list[SharedMessage] = field(default_factory=list)
    unfurls: list[Unfurl] = field(default_factory=list)

    def share(self, channel: str, user: str, urls: list[str], *, ts: str) -> dict[str, Any]:
        digest = hashlib.sha256(f"{channel}{ts}".encode()).hexdigest()
        message = SharedMessage(channel, user, ts, f"{channel}.{ts}.{digest}", tuple(urls))
        self.shared.append(message)
        return {
            "type": "link_shared",
            "channel": channel,
            "is_bot_user_member": True,
            "user": user,
            "message_ts": ts,
            "unfurl_id": message.unfurl_id,
            "source": "conversations_history",
            "links": [{"domain": urlsplit(url).hostname or "", "url": url} for url in urls],
            "event_ts": ts,
        }

    def find(self, params: dict[str, Any]) -> SharedMessage:
        unfurl_id = params.get("unfurl_id")
        if unfurl_id:
            source = params.get("source")
            if not source:
                raise SlackMethodError("missing_source")
            if source not in SOURCES:
                raise SlackMethodError("invalid_source")
            for message in self.shared:
                if message.unfurl_id == unfurl_id:
                    return message
            raise SlackMethodError("invalid_unfurl_id")
        if not params.get("channel"):
            raise SlackMethodError("missing_channel")
        if not params.get("ts"):
            raise SlackMethodError("missing_ts")
        for message in self.shared:
            if (message.channel, message.ts) == (params["channel"], params["ts"]):
                return message
        raise SlackMethodError("cannot_find_message")


def chat_unfurl(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    fake.require_scope("links:write")
    unfurls = params.get("unfurls")
    if not isinstance(unfurls, dict) or not all(isinstance(v, dict) for v in unfurls.values()):
        raise SlackMethodError("invalid_unfurls_format")
    message = fake.links.find(params)
    for url, attachment in unfurls.items():
        if url not in message.urls:
            raise SlackMethodError("cannot_unfurl_url")
        blocks = attachment.get("blocks")
        if not isinstance(blocks, list):
            raise SlackMethodError("invalid_unfurls_format")
        problems = message_blocks_problems(blocks)
        if problems:
            raise SlackMethodError("invalid_blocks", response_metadata={"messages": problems})
    for url, attachment in unfurls.items():
        fake.links.unfurls.append(Unfurl(message.channel, message.ts, url, attachment["blocks"]))
    return {}
