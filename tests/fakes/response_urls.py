"""response_url endpoints of the fake Slack: each URL takes up to 5 posts within 30 minutes.

Slack documents the limits (slack-platform.md §1) but not the failure bodies; this fake answers
HTTP 404 `{"ok": false, "error": "used_url" | "expired_url"}` (UNCONFIRMED wording) and
HTTP 200 `{"ok": true}` on success. Message rules are those of chat.postMessage: blocks must be
valid and at most 50 (HTTP 400 `invalid_blocks`, as reported for webhooks in
nathanheffley/laravel-slack-blocks#19), and `text` above 40,000 characters is truncated (the
2018-04 "truncating really long messages" changelog names response URLs). Not thread-safe by
itself: FakeSlack holds its lock.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes.block_kit import message_blocks_problems
from tests.fakes.http import HttpReply, HttpRequest

RESPONSE_URL_USES = 5
RESPONSE_URL_TTL_SECONDS = 30 * 60
MAX_TEXT_CHARS = 40_000


@dataclass(frozen=True)
class ResponsePost:
    url_id: str
    channel_id: str
    user_id: str
    body: dict[str, Any]
    at: float

    @property
    def in_channel(self) -> bool:
        return self.body.get("response_type") == "in_channel"


@dataclass
class _Issued:
    channel_id: str
    user_id: str
    issued_at: float
    uses: int = 0


class ResponseUrls:
    def __init__(self, *, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._issued: dict[str, _Issued] = {}
        self.posts: list[ResponsePost] = []

    def issue(self, *, channel_id: str, user_id: str) -> str:
        url_id = f"{channel_id}/{secrets.token_hex(8)}/{secrets.token_urlsafe(12)}"
        self._issued[url_id] = _Issued(channel_id, user_id, self._clock())
        return url_id

    def post(self, url_id: str, request: HttpRequest) -> HttpReply:
        issued = self._issued.get(url_id)
        if request.method != "POST":
            return HttpReply.json(405, {"ok": False, "error": "invalid_method"})
        if issued is None:
            return HttpReply.json(404, {"ok": False, "error": "no_service"})
        if self._clock() - issued.issued_at > RESPONSE_URL_TTL_SECONDS:
            return HttpReply.json(404, {"ok": False, "error": "expired_url"})
        if issued.uses >= RESPONSE_URL_USES:
            return HttpReply.json(404, {"ok": False, "error": "used_url"})
        try:
            body = request.json()
        except ValueError:
            return HttpReply.json(400, {"ok": False, "error": "invalid_payload"})
        if not isinstance(body, dict):
            return HttpReply.json(400, {"ok": False, "error": "invalid_payload"})
        content = ("text", "blocks", "attachments", "delete_original")
        if not any(body.get(name) for name in content):
            return HttpReply.json(400, {"ok": False, "error": "no_text"})
        blocks = body.get("blocks")
        if blocks is not None and (not isinstance(blocks, list) or message_blocks_problems(blocks)):
            return HttpReply.json(400, {"ok": False, "error": "invalid_blocks"})
        text = body.get("text")
        if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
            body = {**body, "text": text[:MAX_TEXT_CHARS]}
        issued.uses += 1
        self.posts.append(
            ResponsePost(url_id, issued.channel_id, issued.user_id, body, self._clock())
        )
        return HttpReply.json(200, {"ok": True})
