"""Tests for handlers/flow/drift_body.py: the channel's name and the back-link Drift receives."""

from __future__ import annotations

from typing import Any, cast

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.flow.drift_body import channel_name, permalink
from handlers.flow.names import SlackNames
from storage.records import Draft, Origin


class Names:
    """The one SlackNames lookup channel_name makes."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.asked: list[str] = []

    def channel_name(self, channel_id: str) -> str | None:
        self.asked.append(channel_id)
        return self.known.get(channel_id)


class Client:
    """chat.getPermalink answering `answer`, or raising it when it is an exception."""

    def __init__(self, answer: object) -> None:
        self.answer = answer
        self.calls = 0

    def chat_getPermalink(self, **_: str) -> Any:
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def draft(**origin: str) -> Draft:
    return Draft(Origin(**{"team_id": "T1", "user_id": "U1", "channel_id": "C1", **origin}))


@pytest.mark.parametrize(
    ("origin", "known", "expected", "asked"),
    [
        ({"channel_name": "sales"}, {"C1": "other"}, "sales", []),
        ({"channel_name": "privategroup"}, {"C1": "deals"}, "deals", ["C1"]),
        ({"channel_name": "directmessage"}, {}, "directmessage", ["C1"]),
        ({}, {"C1": "deals"}, "deals", ["C1"]),
        ({"channel_id": ""}, {}, "", []),
    ],
)
def test_channel_name(
    origin: dict[str, str], known: dict[str, str], expected: str, asked: list[str]
) -> None:
    names = Names(known)
    assert channel_name(cast(SlackNames, names), draft(**origin)) == expected
    assert names.asked == asked


@pytest.mark.parametrize(
    ("origin", "answer", "expected", "calls"),
    [
        ({"message_ts": "1.2"}, {"permalink": "https://slack/p1"}, "https://slack/p1", 1),
        ({"message_ts": "1.2"}, {"permalink": 5}, None, 1),
        ({"message_ts": "1.2"}, SlackApiError("no", {"ok": False, "error": "x"}), None, 1),
        ({}, {"permalink": "https://slack/p1"}, None, 0),
    ],
)
def test_permalink(
    origin: dict[str, str], answer: object, expected: str | None, calls: int
) -> None:
    client = Client(answer)
    assert permalink(cast(WebClient, client), draft(**origin)) == expected
    assert client.calls == calls
