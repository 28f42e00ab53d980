"""Counting a crash run: for each submission, what Drift holds and what the rep was told."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.fault_observations import AMBIGUOUS_WORDING, messages_about, try_again_draft
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack

NOT_CREATED_WORDING = "was not created"
UNKNOWN_WORDING = "not known whether Drift received it"


@dataclass
class Submitted:
    """One submission of the burst, as the driver saw it."""

    email: str
    view_id: str = ""
    acked: bool = False  # the app answered "Creating…": from here the app owns the outcome
    refused: str = ""  # why it never got that far (the app was down: Slack shows an error)


@dataclass(frozen=True)
class Told:
    created: bool
    ambiguous: bool
    not_created: bool
    try_again: bool

    @property
    def anything(self) -> bool:
        return self.created or self.ambiguous or self.not_created


def surfaces_of(slack: FakeSlack, item: Submitted) -> list[Any]:
    """Every surface that spoke of the submission, as blocks: its messages and its modal's
    successful updates."""
    return list(messages_about(slack, item.email)) + [
        (call.params.get("view") or {}).get("blocks")
        for call in slack.calls_to("views.update")
        if call.params.get("view_id") == item.view_id and call.error is None
    ]


def messages_told(slack: FakeSlack, item: Submitted) -> int:
    """How many messages (thread, channel, ephemeral, response_url, DM) told the submission's
    outcome: exactly one is the promise. The modal is not counted: it is one surface that each
    update replaces."""
    outcomes = (NOT_CREATED_WORDING, UNKNOWN_WORDING, AMBIGUOUS_WORDING, "/conversations/")
    return sum(
        any(words in json.dumps(blocks) for words in outcomes)
        for blocks in messages_about(slack, item.email)
    )


def told_about(slack: FakeSlack, item: Submitted) -> Told:
    """What the surfaces that spoke of the submission said."""
    texts = [
        (json.dumps(blocks), bool(try_again_draft(blocks))) for blocks in surfaces_of(slack, item)
    ]
    return Told(
        created=any(not retry and "/conversations/" in text for text, retry in texts),
        ambiguous=any(AMBIGUOUS_WORDING in t or UNKNOWN_WORDING in t for t, _ in texts),
        not_created=any(NOT_CREATED_WORDING in t for t, _ in texts),
        try_again=any(retry for _, retry in texts),
    )


@dataclass
class CrashFigures:
    submissions: int = 0
    acked: int = 0
    refused_while_down: int = 0
    conversations: int = 0
    duplicates: int = 0
    told_nothing: int = 0
    contradictory: int = 0
    lost: int = 0
    silent: list[str] = field(default_factory=list)

    def as_rows(self) -> list[tuple[str, int]]:
        return [
            ("submissions sent", self.submissions),
            ("acked (Creating…)", self.acked),
            ("refused, form kept open (app down or disk full)", self.refused_while_down),
            ("conversations in Drift", self.conversations),
            ("duplicates (must be 0)", self.duplicates),
            ("acked, rep told nothing (must be 0)", self.told_nothing),
            ("contradictory outcomes (must be 0)", self.contradictory),
            ("inputs lost (must be 0)", self.lost),
        ]


def count(slack: FakeSlack, drift: FakeDrift, items: list[Submitted]) -> CrashFigures:
    made = Counter(str(created.request.get("email")) for created in drift.conversations)
    figures = CrashFigures(submissions=len(items), conversations=sum(made.values()))
    for item in items:
        figures.duplicates += max(0, made[item.email] - 1)
        if not item.acked:
            figures.refused_while_down += 1
            continue
        figures.acked += 1
        told = told_about(slack, item)
        if not told.anything:
            figures.told_nothing += 1
            figures.silent.append(item.email)
        exists = made[item.email] > 0
        if (told.created and told.not_created) or (told.created and not exists):
            figures.contradictory += 1
        if told.not_created and exists:
            figures.contradictory += 1
        if not exists and not told.try_again and not told.created:
            figures.lost += 1
    return figures
