"""Shared by the sync tests: a Drift conversation linked to a Slack thread, and the sender."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.flow.sync_sender import MirrorSender
from storage.protocol import ThreadLink
from tests.conftest import Harness
from tests.fakes import payloads

ROOT = "1700000000.000100"
SHARED_CHANNEL = "C0SHARED"


@dataclass(frozen=True)
class Linked:
    harness: Harness
    link: ThreadLink
    sender: MirrorSender

    @property
    def conversation_id(self) -> int:
        return self.link.conversation_id

    def reply(self, text: str, **fields: object) -> dict[str, object]:
        """A person's reply in the linked thread, delivered as a `message` event."""
        event = payloads.user_message(text, thread_ts=self.link.thread_ts, **fields)
        event["channel"] = self.link.channel_id
        self.harness.event(event)
        self.harness.settle_listeners()
        return event

    def thread_posts(self) -> list[str]:
        return [
            message.text or ""
            for message in self.harness.slack.messages
            if message.thread_ts == self.link.thread_ts and message.channel == self.link.channel_id
        ]


def link_conversation(harness: Harness, channel_id: str = payloads.CHANNEL_ID) -> Linked:
    services = harness.services
    conversation = services.drift.create_conversation(
        email="jane@acme.com", body_html="<p>Hi</p>", integration_source="test"
    )
    link = ThreadLink(
        payloads.TEAM_ID, channel_id, ROOT, conversation.id, conversation.inbox_id, cursor=0
    )
    services.store.link_thread(link)
    stored = services.store.conversation_link(conversation.id)
    assert stored is not None
    sender = MirrorSender(
        services.store, services.drift, services.users, services.names, harness.app.client
    )
    own = [message["id"] for message in harness.drift.endpoints.records.messages[conversation.id]]
    for message_id in own:  # the first message came with the conversation: never mirrored
        services.store.enqueue_mirror(f"drift:{message_id}", "")
    return Linked(harness, stored, sender)
