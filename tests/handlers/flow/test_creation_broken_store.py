"""CreateConversation with a store that fails (a full disk): the rep is still told, text and all."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import replace

import pytest

from handlers.flow.creation import CreateConversation
from handlers.ui.outcomes import Failed
from storage.protocol import Claim
from storage.records import Draft
from tests.conftest import Harness
from tests.handlers.flow.test_creation import NEW, RecordingStore, prepare

DISK_FULL = sqlite3.OperationalError("database or disk is full")


class FullDisk(RecordingStore):
    """Every write fails, as on a full disk; `broken` names the methods that raise."""

    broken: tuple[str, ...] = ("claim", "fail", "save_draft")

    def claim(self, key: str, draft: Draft) -> Claim:
        if "claim" in self.broken:
            raise DISK_FULL
        return super().claim(key, draft)

    def fail(self, key: str, reason: str, *, ambiguous: bool, outbox: str = "") -> None:
        if "fail" in self.broken:
            raise DISK_FULL
        super().fail(key, reason, ambiguous=ambiguous, outbox=outbox)

    def save_draft(self, draft: Draft) -> str:
        if "save_draft" in self.broken:
            raise DISK_FULL
        return str(self.inner.save_draft(draft))


def run_with(harness: Harness, broken: tuple[str, ...]) -> tuple[Failed, str]:
    run = prepare(harness)
    store = FullDisk(harness.services.store)
    store.broken = broken
    services = replace(harness.services, store=store)
    outcome = CreateConversation(services, harness.app.client).run(run.submission)
    assert isinstance(outcome, Failed)
    return outcome, json.dumps(harness.slack.views[run.submission.view_id])


def test_a_store_that_cannot_claim_still_tells_the_rep_with_their_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        outcome, shown = run_with(harness, ("claim", "fail", "save_draft"))
    assert outcome.draft_id == ""
    assert outcome.ambiguous is False
    assert harness.drift.calls_to("POST", NEW) == []
    assert "was not created" in shown
    assert "Hi Jane" in shown
    assert "copy it before you close this" in shown
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == 1


def test_a_store_that_cannot_record_a_drift_failure_still_offers_try_again(
    harness: Harness,
) -> None:
    harness.drift.fail_next(500, path=NEW)
    outcome, shown = run_with(harness, ("fail",))
    assert outcome.draft_id
    assert "Try again" in shown


def test_with_the_modal_closed_the_text_reaches_the_rep_privately(harness: Harness) -> None:
    run = prepare(harness)
    harness.slack.close_view(run.submission.view_id)
    store = FullDisk(harness.services.store)
    services = replace(harness.services, store=store)
    CreateConversation(services, harness.app.client).run(run.submission)
    [note] = harness.slack.ephemerals
    assert "Hi Jane" in json.dumps(note.blocks)
