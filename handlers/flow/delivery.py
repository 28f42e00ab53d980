"""Getting an outcome to the rep, whatever Slack refuses: modal, then messages with fallbacks.

- `update_modal`: `views.update`; `not_found` (the rep closed it) is normal and returns False.
- `post_answer` (public answers): thread reply / channel message → `response_url` → DM.
- `tell_user` (private answers): ephemeral → `response_url` (ephemeral) → DM.
- `finish_step`: a Workflow Builder step's outcome (functions.completeSuccess / completeError),
  with the execution's own token when it is at hand, else the bot token.
Every fallback is logged; no Slack error escapes, so a worker never dies on one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from runtime.slack_errors import SLACK_FAILURES, slack_error_code
from storage.records import Origin

logger = logging.getLogger(__name__)

Blocks = list[dict[str, Any]]
STEP_ALREADY_FINISHED = ("execution_not_in_running_state", "function_execution_not_found")
WebhookFactory = Callable[[str], WebhookClient]


class Delivery:
    """Posts outcomes with the bot's `WebClient` and the interaction's `response_url`."""

    def __init__(self, client: WebClient, *, webhook_factory: WebhookFactory | None = None) -> None:
        self._client = client
        self._webhook_factory = webhook_factory or (lambda url: WebhookClient(url, timeout=10))

    def update_modal(self, view_id: str, view: dict[str, Any]) -> bool:
        """Show `view` in the open modal; False when the modal is gone or Slack refused."""
        if not view_id:
            return False
        try:
            self._client.views_update(view_id=view_id, view=view)
            return True
        except SLACK_FAILURES as exc:
            code = slack_error_code(exc)
            level = logging.INFO if code == "not_found" else logging.WARNING
            logger.log(level, "views.update failed (%s); falling back to a message", code)
            return False

    def post_answer(self, origin: Origin, text: str, blocks: Blocks) -> str:
        """Post the public answer where the work started; returns where it landed."""
        return self.post_answer_in_thread(origin, text, blocks)[0]

    def post_answer_in_thread(self, origin: Origin, text: str, blocks: Blocks) -> tuple[str, str]:
        """`post_answer`, and the thread the answer now lives in (the message's thread for a
        shortcut, the answer itself when posted in the channel; "" after a fallback)."""
        thread_ts = origin.reply_thread_ts or None
        if origin.channel_id:
            try:
                response = self._client.chat_postMessage(
                    channel=origin.channel_id,
                    thread_ts=thread_ts,
                    text=text,
                    blocks=blocks or None,
                    unfurl_links=False,
                )
                if thread_ts:
                    return "thread", thread_ts
                return "channel", str(response.get("ts") or "")
            except SLACK_FAILURES as exc:
                logger.info(
                    "chat.postMessage to the channel failed (%s); trying response_url",
                    slack_error_code(exc),
                )
        if self._respond(origin, text, blocks, response_type="in_channel", thread_ts=thread_ts):
            return "response_url", ""
        return self._direct_message(origin, text, blocks), ""

    def tell_user(
        self, origin: Origin, text: str, blocks: Blocks, *, in_thread: bool = False
    ) -> str:
        """Tell only the rep (in the origin's thread if `in_thread`); returns where it landed."""
        if origin.channel_id:
            try:
                self._client.chat_postEphemeral(
                    channel=origin.channel_id,
                    user=origin.user_id,
                    text=text,
                    blocks=blocks or None,
                    thread_ts=(origin.thread_ts or None) if in_thread else None,
                )
                return "ephemeral"
            except SLACK_FAILURES as exc:
                logger.info(
                    "chat.postEphemeral failed (%s); trying response_url", slack_error_code(exc)
                )
        if self._respond(origin, text, blocks, response_type="ephemeral", thread_ts=None):
            return "response_url"
        return self._direct_message(origin, text, blocks)

    def finish_step(
        self,
        execution_id: str,
        *,
        outputs: dict[str, Any] | None,
        error: str,
        client: WebClient | None = None,
    ) -> bool:
        """Complete the step with `outputs`, else fail it with `error`; False if Slack refused.
        A step already finished (a repeat after a crash) counts as done."""
        clients = [client, self._client] if client is not None else [self._client]
        for web in clients:
            try:
                if outputs is not None:
                    web.functions_completeSuccess(
                        function_execution_id=execution_id, outputs=outputs
                    )
                else:
                    web.functions_completeError(function_execution_id=execution_id, error=error)
                return True
            except SLACK_FAILURES as exc:
                code = slack_error_code(exc)
                if code in STEP_ALREADY_FINISHED:
                    logger.info("Step %s was already finished (%s)", execution_id, code)
                    return True
                logger.warning("Could not finish step %s (%s)", execution_id, code)
        return False

    def respond(self, response_url: str, text: str) -> bool:
        """A private note through a `response_url` (used when there is no origin to answer)."""
        origin = Origin(team_id="", user_id="", channel_id="", response_url=response_url)
        return self._respond(origin, text, [], response_type="ephemeral", thread_ts=None)

    def _respond(
        self,
        origin: Origin,
        text: str,
        blocks: Blocks,
        *,
        response_type: str,
        thread_ts: str | None,
    ) -> bool:
        if not origin.response_url:
            return False
        body: dict[str, Any] = {
            "text": text,
            "response_type": response_type,
            "replace_original": False,
        }
        if blocks:
            body["blocks"] = blocks
        if thread_ts:
            body["thread_ts"] = thread_ts
        try:
            response = self._webhook_factory(origin.response_url).send_dict(body)
        except SLACK_FAILURES as exc:
            logger.info("response_url failed (%s); trying a DM", slack_error_code(exc))
            return False
        if response.status_code != 200:
            logger.info("response_url answered %s; trying a DM", response.status_code)
            return False
        return True

    def _direct_message(self, origin: Origin, text: str, blocks: Blocks) -> str:
        try:
            self._client.chat_postMessage(channel=origin.user_id, text=text, blocks=blocks or None)
            return "dm"
        except SLACK_FAILURES as exc:
            logger.error(
                "Could not reach user %s by any route (%s)", origin.user_id, slack_error_code(exc)
            )
            return "nowhere"
