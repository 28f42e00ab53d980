"""Drift's webhook as FakeDrift would send it: `{"type", "token", "orgId", "data"}` POSTed with
the verification token in `X-Verification-Token` and in the body (drift-api.md §8)."""

from __future__ import annotations

from typing import Any

import requests

from tests.fakes.drift_api import DEFAULT_ORG_ID


def new_message_event(message: dict[str, Any], token: str) -> dict[str, Any]:
    return {"type": "new_message", "token": token, "orgId": DEFAULT_ORG_ID, "data": message}


def send_event(
    url: str, event: dict[str, Any], *, header_token: str | None, timeout: float = 5.0
) -> requests.Response:
    """POST `event` to the app's /drift/events; `header_token` None sends no header."""
    headers = {} if header_token is None else {"X-Verification-Token": header_token}
    return requests.post(url, json=event, headers=headers, timeout=timeout)
