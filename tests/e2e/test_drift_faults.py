"""Drift failing in every documented way: the rep is told what happened and what to do, nothing
is created twice, and "Try again" brings back exactly what they typed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from handlers.ui import ids
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import SlackUser, buttons, rich_text_of, unique_email
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.forms import form_values, inputs

pytestmark = pytest.mark.e2e

CREATE = "/conversations/new"
NOT_CREATED = "was not created"
MAYBE_CREATED = "may or may not have been created"
DRIFT_READ_TIMEOUT = 1.0
TYPED = "Hi <b>Jane</b>, here is the quote & the terms"

Inject = Callable[[FakeDrift], None]


@pytest.fixture(scope="module")
def app(start_app: Callable[..., AppProcess]) -> AppProcess:
    """This module's app waits only DRIFT_READ_TIMEOUT for Drift, so the timeout case is quick."""
    process = start_app(DRIFT_TIMEOUT_SECONDS=str(DRIFT_READ_TIMEOUT))
    process.wait_until_healthy()
    return process


@pytest.fixture(autouse=True)
def no_fault_left(drift: FakeDrift) -> Iterator[None]:
    yield
    drift.faults.clear()
    drift.release()


def fill_and_submit(rep: SlackUser, email: str) -> dict[str, Any]:
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    acked = rep.submit(view, form_values(email, TYPED))
    assert acked.body["response_action"] == "update"
    return view


def assert_try_again_restores_the_input(rep: SlackUser, failed: dict[str, Any], email: str) -> None:
    draft_id = buttons(failed["blocks"])[ids.RETRY_ACTION]["value"]
    assert draft_id
    rep.click(failed, ids.RETRY_ACTION, draft_id)
    form = rep.view_updated_with(failed["id"], ids.FORM_CALLBACK_ID)
    fields = inputs(form)
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == email
    restored = fields[ids.MESSAGE_BLOCK]["initial_value"]
    assert {k: v for k, v in restored.items() if k != "block_id"} == rich_text_of(TYPED)


@pytest.mark.parametrize(
    ("inject", "headline", "says", "created"),
    [
        (
            lambda d: d.fail_next(400, path=CREATE),
            NOT_CREATED,
            "Check the email address and the message",
            0,
        ),
        (lambda d: d.fail_next(403, path=CREATE), NOT_CREATED, "check the app's scopes", 0),
        (lambda d: d.fail_next(404, path=CREATE), NOT_CREATED, "could not find", 0),
        (
            lambda d: d.fail_next(429, path=CREATE, retry_after=60),
            NOT_CREATED,
            "Try again in 60 seconds",
            0,
        ),
        (lambda d: d.fail_next(500, path=CREATE), MAYBE_CREATED, "problem on its side", 0),
        (lambda d: d.drop_next(path=CREATE), MAYBE_CREATED, "connection to Drift broke", 0),
        (
            lambda d: d.drop_next(path=CREATE, after_processing=True),
            MAYBE_CREATED,
            "connection to Drift broke",
            1,
        ),
    ],
    ids=["400", "403", "404", "429-over-cap", "500", "drop-before", "drop-after"],
)
def test_drift_failure_is_explained_in_the_modal_and_try_again_keeps_the_input(
    rep: SlackUser, inject: Inject, headline: str, says: str, created: int
) -> None:
    email = unique_email()
    inject(rep.drift)
    view = fill_and_submit(rep, email)
    failed = rep.view_updated_with(view["id"], ids.RETRY_ACTION)
    shown = json.dumps(failed)
    assert headline in shown
    assert says in shown
    assert email in shown
    assert rep.posts_to_drift_for(email) == 1
    assert len(rep.conversations_with(email)) == created
    assert not any(email in (m.text or "") for m in rep.slack.messages)
    assert_try_again_restores_the_input(rep, failed, email)


def test_rate_limit_within_the_cap_is_retried_once_and_creates_one(rep: SlackUser) -> None:
    email = unique_email()
    rep.drift.fail_next(429, path=CREATE, retry_after=1)
    view = fill_and_submit(rep, email)
    rep.answer_about(email)
    rep.view_updated_with(view["id"], "Created")
    assert rep.posts_to_drift_for(email) == 2
    assert len(rep.conversations_with(email)) == 1


def test_drift_timeout_warns_that_it_may_exist(rep: SlackUser) -> None:
    email = unique_email()
    rep.drift.delay_response_next(DRIFT_READ_TIMEOUT * 3, path=CREATE)
    view = fill_and_submit(rep, email)
    failed = rep.view_updated_with(view["id"], ids.RETRY_ACTION, timeout=DRIFT_READ_TIMEOUT + 10)
    shown = json.dumps(failed)
    assert "took too long" in shown
    assert MAYBE_CREATED in shown
    assert rep.posts_to_drift_for(email) == 1
    assert len(rep.conversations_with(email)) == 1


def test_failure_after_the_modal_was_closed_reaches_the_rep_privately(rep: SlackUser) -> None:
    email = unique_email()
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    rep.drift.set_latency(1.0, path=CREATE)
    rep.drift.fail_next(500, path=CREATE)
    try:
        rep.submit(view, form_values(email, TYPED))
        rep.slack.close_view(view["id"])
    finally:
        rep.drift.set_latency(0, path=CREATE)
    note = rep.slack.wait_for(
        lambda: next((e for e in rep.slack.ephemerals if email in (e.text or "")), None), 10
    )
    assert (note.channel, note.user) == (payloads.CHANNEL_ID, payloads.USER_ID)
    assert MAYBE_CREATED in json.dumps(note.blocks)
    assert not any(email in (m.text or "") for m in rep.slack.messages)

    draft_id = buttons(note.blocks or [])[ids.RETRY_ACTION]["value"]
    message = {"ts": note.message_ts, "text": note.text, "blocks": note.blocks}
    _, click_url = rep.click_in_message(message, ids.RETRY_ACTION, draft_id, payloads.CHANNEL_ID)
    reopened = rep.form_opened_for(click_url)
    fields = inputs(reopened)
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == email
    restored = fields[ids.MESSAGE_BLOCK]["initial_value"]
    assert {k: v for k, v in restored.items() if k != "block_id"} == rich_text_of(TYPED)

    rep.submit(reopened, form_values(email, TYPED))
    rep.answer_about(email)
    assert len(rep.conversations_with(email)) == 1
