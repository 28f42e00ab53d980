"""The slash command in HTTP mode, end to end: ack, modal, submission, Drift, answer in Slack."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from handlers.flow.validation import MAX_MESSAGE_CHARS
from handlers.ui import ids
from tests.conftest import REP_DRIFT_ID
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import ACK_BOUND_SECONDS, SlackUser, http_transport, unique_email
from tests.fakes import payloads
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.forms import form_values, inputs

pytestmark = pytest.mark.e2e

DRIFT_APP = "https://app.drift.com"


def test_command_to_conversation_to_answer(rep: SlackUser) -> None:
    email = unique_email()
    acked, response_url = rep.command(f"{email} Hi Jane, *following up* on <https://acme.com|x>")
    assert acked.status == 200
    assert acked.seconds < ACK_BOUND_SECONDS
    view = rep.form_opened_for(response_url)
    assert view["callback_id"] == ids.FORM_CALLBACK_ID
    fields = inputs(view)
    assert fields[ids.EMAIL_BLOCK]["initial_value"] == email
    prefilled = json.dumps(fields[ids.MESSAGE_BLOCK]["initial_value"])
    assert "Hi Jane" in prefilled
    assert "following up" in prefilled
    assert email not in prefilled
    assert fields[ids.ASSIGNEE_BLOCK]["initial_user"] == payloads.USER_ID

    submitted = rep.submit(view, form_values(email, "Hi <b>Jane</b> & co <script>x</script>"))
    assert submitted.status == 200
    assert submitted.seconds < ACK_BOUND_SECONDS
    assert submitted.body["response_action"] == "update"
    assert email in json.dumps(submitted.body["view"])

    answer = rep.answer_about(email)
    [created] = rep.conversations_with(email)
    message = created.request["message"]
    assert "Hi &lt;b&gt;Jane&lt;/b&gt; &amp; co &lt;script&gt;x&lt;/script&gt;" in message["body"]
    assert "<script>" not in message["body"]
    assert message["attributes"]["integrationSource"] == "Slack · #general · by riley"
    assert message["attributes"]["autoAssigneeId"] == REP_DRIFT_ID
    url = f"{DRIFT_APP}/inboxes/{created.response['inboxId']}/conversations/{created.id}"
    assert answer.channel == payloads.CHANNEL_ID
    assert answer.thread_ts is None
    assert url in answer.text
    assert url in json.dumps(answer.blocks)
    final = rep.view_updated_with(view["id"], "Created")
    assert url in json.dumps(final)


def test_help_is_answered_in_the_ack(rep: SlackUser) -> None:
    acked, response_url = rep.command("help")
    assert acked.seconds < ACK_BOUND_SECONDS
    assert ids.COMMAND in json.dumps(acked.body)
    assert not any(response_url in v["private_metadata"] for v in rep.slack.views.values())


def test_unmapped_assignee_is_created_unassigned_and_told(rep: SlackUser) -> None:
    rep.slack.add_user("U0NOMATCH", name="nomatch", real_name="No Match", email="nm@example.com")
    email = unique_email()
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    rep.submit(view, form_values(email, "Hello", assignee="U0NOMATCH"))
    answer = rep.answer_about(email)
    [created] = rep.conversations_with(email)
    assert "autoAssigneeId" not in created.request["message"]["attributes"]
    assert "no Drift user with the email nm@example.com" in json.dumps(answer.blocks)


@pytest.mark.parametrize(
    ("email", "text", "block", "says"),
    [
        ("not-an-email", "Hi", ids.EMAIL_BLOCK, "name@company.com"),
        ("jane@acme", "Hi", ids.EMAIL_BLOCK, "not a valid email domain"),
        ("", "Hi", ids.EMAIL_BLOCK, "Enter the contact's email"),
        ("jane@acme.com", "   ", ids.MESSAGE_BLOCK, "Write the message"),
        ("jane@acme.com", "x" * (MAX_MESSAGE_CHARS + 1), ids.MESSAGE_BLOCK, "Shorten it"),
    ],
    ids=["bad-email", "no-tld", "no-email", "empty-message", "oversized-message"],
)
def test_bad_input_is_refused_in_the_ack_and_nothing_is_sent(
    rep: SlackUser, email: str, text: str, block: str, says: str
) -> None:
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    posts_before = len(rep.drift.calls_to("POST", "/conversations/new"))
    acked = rep.submit(view, form_values(email, text))
    assert acked.seconds < ACK_BOUND_SECONDS
    assert acked.body["response_action"] == "errors"
    assert set(acked.body["errors"]) == {block}
    assert says in acked.body["errors"][block]
    assert rep.slack.is_view_open(view["id"])
    assert len(rep.drift.calls_to("POST", "/conversations/new")) == posts_before


def test_the_same_modal_submitted_twice_creates_one_conversation(rep: SlackUser) -> None:
    email = unique_email()
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    values = form_values(email, "Twice")
    with ThreadPoolExecutor(max_workers=2) as pool:
        acks = list(pool.map(lambda _: rep.submit(view, values), range(2)))
    assert [a.body["response_action"] for a in acks] == ["update", "update"]
    rep.answer_about(email)
    rep.view_updated_with(view["id"], "Already created")
    assert len(rep.conversations_with(email)) == 1
    assert rep.posts_to_drift_for(email) == 1
    assert sum(email in (m.text or "") for m in rep.slack.messages) == 1


def test_answer_still_arrives_when_the_rep_closed_the_modal(rep: SlackUser) -> None:
    email = unique_email()
    _, response_url = rep.command()
    view = rep.form_opened_for(response_url)
    rep.drift.set_latency(1.0, path="/conversations/new")
    try:
        rep.submit(view, form_values(email, "Closed early"))
        rep.slack.close_view(view["id"])
    finally:
        rep.drift.set_latency(0, path="/conversations/new")
    answer = rep.answer_about(email)
    assert answer.channel == payloads.CHANNEL_ID
    refused = rep.slack.wait_for(
        lambda: [
            c
            for c in rep.slack.calls_to("views.update")
            if c.params.get("view_id") == view["id"] and c.error == "not_found"
        ]
    )
    assert len(refused) == 1
    assert "Creating" in json.dumps(rep.slack.views[view["id"]])
    assert len(rep.conversations_with(email)) == 1


def test_users_list_is_fetched_once_for_many_submissions(
    start_app: Callable[..., AppProcess], rep: SlackUser, signer: SlackSigner
) -> None:
    fresh = start_app()
    fresh.wait_until_healthy()
    lists_before = len(rep.drift.calls_to("GET", "/users/list"))
    emails = [unique_email() for _ in range(6)]
    with SlackHttpClient(fresh.url, signer) as client:
        fresh_rep = SlackUser(rep.slack, rep.drift, http_transport(client))
        forms = []
        for _ in emails:
            _, response_url = fresh_rep.command()
            forms.append(fresh_rep.form_opened_for(response_url))
        with ThreadPoolExecutor(max_workers=len(emails)) as pool:
            list(
                pool.map(
                    lambda pair: fresh_rep.submit(pair[0], form_values(pair[1], "Batch")),
                    zip(forms, emails, strict=True),
                )
            )
        for email in emails:
            fresh_rep.answer_about(email)
    assert len(rep.drift.calls_to("GET", "/users/list")) - lists_before == 1
    for email in emails:
        [created] = rep.conversations_with(email)
        assert created.request["message"]["attributes"]["autoAssigneeId"] == REP_DRIFT_ID
