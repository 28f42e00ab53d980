"""Request signing in HTTP mode: forged, stale and replayed requests, and secrets kept out of logs.

Slack's own replay protection is only the signature's timestamp window (Bolt refuses requests
older than 5 minutes); a replay inside the window is valid, so the app must make it harmless.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from tests.conftest import DRIFT_TOKEN, SIGNING_SECRET
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import SlackUser, send_signed, unique_email
from tests.fakes import payloads
from tests.fakes.signing import SignedRequest, SlackHttpClient
from tests.forms import form_values

pytestmark = pytest.mark.e2e

STALE_SECONDS = 5 * 60 + 1


def signed_command(
    slack_http: SlackHttpClient, rep: SlackUser, timestamp: int
) -> tuple[SignedRequest, str]:
    """A signed `/drift-open` and its trigger_id."""
    trigger_id = rep.slack.new_trigger_id()
    form = payloads.command_form(trigger_id=trigger_id, response_url=rep.slack.response_url())
    body = urlencode(form)
    return SignedRequest(body, slack_http.signer.sign(body, timestamp)), trigger_id


@pytest.mark.parametrize("tamper", ["forged", "stale", "unsigned"])
def test_unauthentic_requests_are_refused_and_do_nothing(
    http: SlackHttpClient, rep: SlackUser, tamper: str
) -> None:
    now = int(time.time())
    request, _ = signed_command(http, rep, now - STALE_SECONDS if tamper == "stale" else now)
    if tamper == "forged":
        request = request.forged()
    if tamper == "unsigned":
        request = SignedRequest(request.body, {"Content-Type": request.headers["Content-Type"]})
    slack_calls, drift_calls = len(rep.slack.calls), len(rep.drift.calls)
    acked = send_signed(http, request)
    assert acked.status == 401
    assert len(rep.slack.calls) == slack_calls
    assert len(rep.drift.calls) == drift_calls


def test_replayed_command_opens_no_second_form(http: SlackHttpClient, rep: SlackUser) -> None:
    request, trigger_id = signed_command(http, rep, int(time.time()))
    assert send_signed(http, request).status == 200
    assert send_signed(http, request).status == 200

    def opens_with_trigger() -> list[str | None]:
        calls = rep.slack.calls_to("views.open")
        errors = [c.error for c in calls if c.params.get("trigger_id") == trigger_id]
        return errors if len(errors) == 2 else []

    assert rep.slack.wait_for(opens_with_trigger) == [None, "exchanged_trigger_id"]
    assert sum(1 for v in rep.slack.views.values() if trigger_id in json.dumps(v)) == 0


def test_replayed_submission_creates_one_conversation(
    http: SlackHttpClient, rep: SlackUser
) -> None:
    email = unique_email()
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    submission = payloads.view_submission(view, form_values(email, "Replayed"))
    request = http.prepare_interactive(submission)
    first = send_signed(http, request)
    rep.answer_about(email)
    replayed = send_signed(http, request)
    assert first.status == replayed.status == 200
    rep.slack.settle_submission(view["id"], replayed.body)
    rep.view_updated_with(view["id"], "Already created")
    assert len(rep.conversations_with(email)) == 1
    assert rep.posts_to_drift_for(email) == 1
    assert sum(email in (m.text or "") for m in rep.slack.messages) == 1


def test_no_secret_reaches_the_logs(app: AppProcess, rep: SlackUser) -> None:
    email = unique_email()
    _, response_url = rep.command(email)
    rep.submit(rep.form_opened_for(response_url), form_values(email, "Logged?"))
    rep.answer_about(email)
    assert app.wait_for_output("conversation outcome=created")
    for secret in (rep.slack.bot_token, SIGNING_SECRET, DRIFT_TOKEN):
        assert secret not in app.output
