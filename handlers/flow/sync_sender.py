"""Sending the mirror queue, in order: Slack replies to Drift, Drift messages to the thread.

One sender at a time (the replica holding the sync lease) takes a batch from the store, sends
each item, and removes it once the other side accepted it. A busy side (Slack's ~1 message per
second per channel, Drift's 429, a network error) stops the batch so nothing overtakes; the
rest is taken again shortly. A refusal for good (conversation deleted, 403, channel archived)
is reported once in the thread and the item leaves the queue, never retried forever.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from drift.client import DriftClient
from drift.errors import DriftAPIError, DriftError, DriftRateLimitError, DriftServerError
from drift.models import DriftMessage
from drift.users import UserDirectory
from handlers.flow.mirrors import (
    Mirrored,
    ToDrift,
    ToSlack,
    drift_key,
    enqueue,
    from_json,
)
from handlers.flow.names import SlackNames
from handlers.flow.sync_render import DriftAuthors, drift_user_for, note_html, slack_text
from handlers.ui.drift_errors import drift_error_message
from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.protocol import Store

logger = logging.getLogger(__name__)

Outcome = Literal["sent", "refused", "later", "busy"]
"""later: failed in a way that may repeat forever (5xx, timeouts), given up after MAX_ATTEMPTS;
busy: rate limited or unreachable, retried for as long as it takes."""
MAX_ATTEMPTS = 5
MAX_RATE_LIMIT_WAIT_SECONDS = 30.0
SENT_TO_CUSTOMER = "<@{user}> sent this to the customer in Drift."
NOT_SENT_TO_CUSTOMER = "This was not sent to the customer: {reason}"
NOTE_REFUSED = "Drift refused a reply from this thread, so it is not in the conversation: {reason}"


@dataclass
class MirrorSender:
    """Sends what the store's mirror queue holds; `stop` cuts its waits short."""

    store: Store
    drift: DriftClient
    users: UserDirectory
    names: SlackNames
    client: WebClient
    stop: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], float] = time.monotonic
    own_app_ids: set[int] = field(default_factory=set)
    _attempts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._authors = DriftAuthors(self.drift, self.users)

    def send_pending(self, limit: int = 20, still_mine: Callable[[], bool] = lambda: True) -> int:
        """Send one batch in order, checking `still_mine()` (the lease) before each item; the
        number that left the queue."""
        done = 0
        if self.stop.is_set() or not still_mine():
            return 0
        for index, mirror in enumerate(self.store.take_mirrors(limit)):
            if index and (self.stop.is_set() or not still_mine()):
                break  # what is left is taken again once its hold runs out
            try:
                item = from_json(mirror.payload)
            except (ValueError, TypeError):
                logger.error("Dropping an unreadable mirrored message %s", mirror.key)
                self.store.finish_mirror(mirror.key)
                continue
            outcome = self._send(mirror.key, item)
            if outcome == "busy":
                break
            if outcome == "later":
                attempts = self._attempts.get(mirror.key, 0) + 1
                self._attempts[mirror.key] = attempts
                if attempts < MAX_ATTEMPTS:
                    break
                self._refused(mirror.key, item, "Drift or Slack kept failing")
            self._attempts.pop(mirror.key, None)
            self.store.finish_mirror(mirror.key)
            done += 1
        return done

    def _send(self, key: str, item: Mirrored) -> Outcome:
        if isinstance(item, ToDrift):
            return self._to_drift(key, item)
        return self._to_slack(item)

    def _to_drift(self, key: str, item: ToDrift) -> Outcome:
        if item.kind == "chat":
            user_id = item.drift_user_id
        else:
            user_id = drift_user_for(self.names, self.users, item.author_id)
        body = note_html(item, self.names, mapped=user_id is not None)
        chat = item.kind == "chat"
        try:
            created = self.drift.post_message(
                item.conversation_id,
                body,
                type_="chat" if chat else "private_note",
                user_id=user_id,
            )
        except DriftRateLimitError as exc:
            self.stop.wait(min(exc.retry_after or 2.0, MAX_RATE_LIMIT_WAIT_SECONDS))
            return "busy"
        except DriftError as exc:
            if not exc.ambiguous and not isinstance(exc, DriftAPIError):
                return "busy"  # never reached Drift: try again, however long it is down
            if chat and exc.ambiguous:
                return self._refused(key, item, "Drift did not confirm it; check the conversation")
            if isinstance(exc, DriftAPIError) and not isinstance(exc, DriftServerError):
                return self._refused(key, item, drift_error_message(exc))
            logger.info("Drift is unavailable for a mirrored note (%s)", type(exc).__name__)
            return "later"
        self._remember_own(created)
        if chat:
            notice = SENT_TO_CUSTOMER.format(user=item.author_id)
            self._notice(f"sent:{key}", item, notice)
        return "sent"

    def _remember_own(self, created: list[DriftMessage]) -> None:
        """Never mirror these back: mark their ids seen, and cancel an echo already queued."""
        for message in created:
            if message.app_id is not None:
                self.own_app_ids.add(message.app_id)
            if not self.store.enqueue_mirror(drift_key(message.id), ""):
                self.store.finish_mirror(drift_key(message.id))

    def _to_slack(self, item: ToSlack) -> Outcome:
        if item.notice:
            text = item.notice
        else:
            try:
                message = DriftMessage(**item.drift_message)
            except TypeError:
                return "refused"
            if message.app_id is not None and message.app_id in self.own_app_ids:
                return "sent"  # drift-open's own post, seen before its id was recorded
            channel = self.names.channel(item.channel_id)
            shared = channel is None or channel.is_ext_shared
            if message.type == "private_note" and shared:
                return "sent"  # internal notes never reach another organisation's Slack
            text = slack_text(message, self._authors.name(message, shared=shared))
        return self._post(item, text)

    def _post(self, item: ToSlack, text: str) -> Outcome:
        deadline = self.clock() + MAX_RATE_LIMIT_WAIT_SECONDS
        while True:
            try:
                self.client.chat_postMessage(
                    channel=item.channel_id,
                    thread_ts=item.thread_ts,
                    text=text,
                    unfurl_links=False,
                    unfurl_media=False,
                )
                return "sent"
            except SlackApiError as exc:
                if exc.response.status_code != 429:
                    logger.warning(
                        "Slack refused a mirrored message (%s); it is dropped",
                        slack_error_code(exc),
                    )
                    return "refused"
                wait = _retry_after(exc)
                if self.clock() + wait > deadline or self.stop.wait(wait):
                    return "busy"
            except SLACK_FAILURES as exc:
                logger.info("Slack is unreachable for a mirrored message (%s)", type(exc).__name__)
                return "busy"

    def _refused(self, key: str, item: Mirrored, reason: str) -> Outcome:
        logger.warning("A mirrored message was refused for good: %s", reason)
        if isinstance(item, ToDrift) and item.kind == "chat":
            text = NOT_SENT_TO_CUSTOMER.format(reason=reason)
            self._notice(f"problem:{key}", item, ":warning: " + text)
        elif isinstance(item, ToDrift):
            # Said once per conversation and reason, however many replies Drift refuses.
            text = NOTE_REFUSED.format(reason=reason)
            self._notice(f"problem:{item.conversation_id}:{reason}", item, ":warning: " + text)
        return "refused"

    def _notice(self, key: str, item: ToDrift, text: str) -> None:
        notice = ToSlack(item.channel_id, item.thread_ts, item.team_id, notice=text)
        enqueue(self.store, key, notice)


def _retry_after(exc: SlackApiError) -> float:
    headers = exc.response.headers or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return 1.0
