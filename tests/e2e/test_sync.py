"""Two-way sync against the real process: HTTP mode fed by Drift's webhook, Socket Mode polling.

Slack's posting limit is scaled up (20 per second per channel, bursts of 10) so a 30-message
burst meets it and still lands in a few seconds.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import app_environment
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import OUTCOME_TIMEOUT_SECONDS, SlackUser, http_transport, unique_email
from tests.e2e.test_socket_mode import CONNECT_TIMEOUT_SECONDS, socket_transport
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.drift_webhooks import new_message_event, send_event
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_directory import PostedMessage
from tests.forms import form_values

pytestmark = pytest.mark.e2e

WEBHOOK_TOKEN = "drift-verification-token-e2e"
SHARED_CHANNEL = "C0SYNCSHARED"


@pytest.fixture(scope="module", autouse=True)
def faster_posting(slack: FakeSlack) -> None:
    slack.post_limit.per_second, slack.post_limit.burst = 20.0, 10


@pytest.fixture(scope="module")
def webhook_app(start_app: Callable[..., AppProcess]) -> AppProcess:
    process = start_app(DRIFT_VERIFICATION_TOKEN=WEBHOOK_TOKEN)
    process.wait_until_healthy()
    return process


@pytest.fixture(scope="module")
def signed(webhook_app: AppProcess, signer: SlackSigner) -> Iterator[SlackHttpClient]:
    with SlackHttpClient(webhook_app.url, signer) as client:
        yield client


def linked_answer(
    rep: SlackUser,
    send_event: Callable[[dict[str, Any]], object],
    channel_id: str = payloads.CHANNEL_ID,
) -> PostedMessage:
    """/drift-open in `channel_id`: the answer, once its thread is linked (the link is written
    just after the answer is posted: a first reply that reaches Drift proves it is there)."""
    email = unique_email()
    _, response_url = rep.command(channel_id=channel_id)
    rep.submit(rep.form_opened_for(response_url), form_values(email, "Sync me"))
    [created] = rep.drift.wait_for(lambda: rep.conversations_with(email), OUTCOME_TIMEOUT_SECONDS)
    answer = rep.slack.wait_for(
        lambda: next(
            (m for m in rep.slack.messages if f"/conversations/{created.id}" in (m.text or "")),
            None,
        ),
        OUTCOME_TIMEOUT_SECONDS,
    )
    conversation_id = created.id
    reply = payloads.user_message("First reply", thread_ts=answer.ts)
    reply["channel"] = answer.channel
    deadline = time.monotonic() + OUTCOME_TIMEOUT_SECONDS
    while not [m for m in rep.drift.messages if m["conversationId"] == conversation_id]:
        assert time.monotonic() < deadline, "the answer's thread was never linked"
        reply["ts"] = payloads.new_ts()
        send_event(reply)
        with contextlib.suppress(TimeoutError):
            rep.drift.wait_for(lambda: _note_count(rep.drift, conversation_id), 0.5)
    return answer


def _note_count(drift: FakeDrift, conversation_id: int) -> int:
    return sum(1 for m in drift.messages if m["conversationId"] == conversation_id)


def conversation_of(rep: SlackUser, answer: PostedMessage) -> int:
    return next(c.id for c in rep.drift.conversations if f"/conversations/{c.id}" in answer.text)


def thread(slack: FakeSlack, answer: PostedMessage) -> list[str]:
    return [m.text or "" for m in slack.messages if m.thread_ts == answer.ts]


def wait_thread(slack: FakeSlack, answer: PostedMessage, count: int) -> list[str]:
    return slack.wait_for(
        lambda: posts if len(posts := thread(slack, answer)) >= count else None,
        OUTCOME_TIMEOUT_SECONDS,
    )


def notes_for(drift: FakeDrift, conversation_id: int, count: int) -> list[dict[str, Any]]:
    def found() -> list[dict[str, Any]] | None:
        notes = [m for m in drift.messages if m["conversationId"] == conversation_id]
        return notes if len(notes) >= count else None

    return drift.wait_for(found, OUTCOME_TIMEOUT_SECONDS)


def webhook(app: AppProcess, message: dict[str, Any], token: str = WEBHOOK_TOKEN) -> int:
    event = new_message_event(message, token)
    return send_event(f"{app.url}/drift/events", event, header_token=token).status_code


@pytest.fixture
def rep(slack: FakeSlack, drift: FakeDrift, signed: SlackHttpClient) -> SlackUser:
    return SlackUser(slack, drift, http_transport(signed))


def events_to(client: SlackHttpClient) -> Callable[[dict[str, Any]], object]:
    return lambda event: client.send(client.prepare_event(event))


def test_replies_and_edits_become_notes_and_a_retry_changes_nothing(
    rep: SlackUser, signed: SlackHttpClient, webhook_app: AppProcess
) -> None:
    answer = linked_answer(rep, events_to(signed))
    conversation_id = conversation_of(rep, answer)
    reply = payloads.user_message("Customer wants a call", thread_ts=answer.ts)
    reply["channel"] = answer.channel
    request = signed.prepare_event(reply)
    assert signed.send(request).status_code == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert signed.send(request, retry).status_code == 200
    edited = {**reply, "text": "Customer wants a call on Friday", "blocks": []}
    changed = {"type": "message", "subtype": "message_changed", "channel": answer.channel}
    changed |= {"ts": payloads.new_ts(), "message": edited, "previous_message": reply}
    assert signed.send(signed.prepare_event(changed)).status_code == 200
    _, first, second = notes_for(rep.drift, conversation_id, 3)
    assert first["type"] == second["type"] == "private_note"
    assert "Customer wants a call" in first["body"]
    assert "edited a reply" in second["body"] and "on Friday" in second["body"]
    # drift-open's own notes come back through the webhook too: never into the thread
    for message in rep.drift.endpoints.records.messages[conversation_id]:
        assert webhook(webhook_app, message) == 200
    contact = rep.drift.reply(conversation_id, "<p>after the notes</p>")
    assert webhook(webhook_app, contact) == 200
    assert wait_thread(rep.slack, answer, 1)[-1].endswith(":* after the notes")
    assert len(thread(rep.slack, answer)) == 1


def test_a_contact_reply_comes_back_once_however_often_drift_sends_it(
    rep: SlackUser, webhook_app: AppProcess, signed: SlackHttpClient
) -> None:
    answer = linked_answer(rep, events_to(signed))
    message = rep.drift.reply(conversation_of(rep, answer), "<p>&lt;!channel&gt; thanks</p>")
    assert webhook(webhook_app, message) == 200
    assert webhook(webhook_app, message) == 200
    [posted] = wait_thread(rep.slack, answer, 1)
    assert posted.endswith(":* &lt;!channel&gt; thanks")
    assert webhook(webhook_app, message, token="wrong") == 401
    later = rep.drift.reply(conversation_of(rep, answer), "<p>second</p>")
    assert webhook(webhook_app, later) == 200
    assert wait_thread(rep.slack, answer, 2)[1].endswith(":* second")
    assert len(thread(rep.slack, answer)) == 2


def test_a_note_stays_out_of_a_slack_connect_channel(
    rep: SlackUser, webhook_app: AppProcess, signed: SlackHttpClient
) -> None:
    rep.slack.add_channel(SHARED_CHANNEL, "acme-x-us", is_ext_shared=True)
    answer = linked_answer(rep, events_to(signed), SHARED_CHANNEL)
    conversation_id = conversation_of(rep, answer)
    note = rep.drift.reply(conversation_id, "<p>internal</p>", author="user", note=True)
    chat = rep.drift.reply(conversation_id, "<p>hello</p>")
    assert webhook(webhook_app, note) == webhook(webhook_app, chat) == 200
    assert wait_thread(rep.slack, answer, 1) == ["*The customer:* hello"]


def test_a_burst_of_30_lands_in_order_across_a_restart(
    rep: SlackUser, slack: FakeSlack, drift: FakeDrift, tmp_path: Path, signer: SlackSigner
) -> None:
    environ = app_environment(
        slack, drift, tmp_path / "sync.sqlite3", DRIFT_VERIFICATION_TOKEN=WEBHOOK_TOKEN
    )
    first = AppProcess(environ).start()
    first.wait_until_healthy()
    with SlackHttpClient(first.url, signer) as client:
        own = SlackUser(slack, drift, http_transport(client))
        answer = linked_answer(own, events_to(client))
    conversation_id = conversation_of(own, answer)
    burst = [drift.reply(conversation_id, f"<p>burst {n}</p>") for n in range(30)]
    for message in burst:
        assert webhook(first, message) == 200
    wait_thread(slack, answer, 5)
    assert first.stop() == 0
    second = AppProcess({**environ, "PORT": str(first.port)}).start()
    try:
        second.wait_until_healthy()
        for message in burst:  # Drift retries whatever it is unsure of
            assert webhook(second, message) == 200
        posts = slack.wait_for(lambda: p if len(p := thread(slack, answer)) >= 30 else None, 30.0)
        assert posts == [f"*{own_email(own, conversation_id)}:* burst {n}" for n in range(30)]
        assert {m.channel for m in slack.messages if m.thread_ts == answer.ts} == {answer.channel}
    finally:
        assert second.stop() == 0, second.output


def own_email(rep: SlackUser, conversation_id: int) -> str:
    created = next(c for c in rep.drift.conversations if c.id == conversation_id)
    return str(created.request["email"])


def test_socket_mode_polls_drift_and_syncs_replies(
    slack: FakeSlack, drift: FakeDrift, start_app: Callable[..., AppProcess]
) -> None:
    start_app(SLACK_APP_TOKEN=slack.app_token, DRIFT_POLL_SECONDS="0.3")
    slack.socket_mode.wait_for_connection(CONNECT_TIMEOUT_SECONDS)
    rep = SlackUser(slack, drift, socket_transport(slack))

    def over_the_socket(event: dict[str, Any]) -> object:
        return slack.socket_mode.send_envelope("events_api", payloads.event_callback(event))

    answer = linked_answer(rep, over_the_socket)
    conversation_id = conversation_of(rep, answer)
    reply = payloads.user_message("Retried by Slack", thread_ts=answer.ts)
    reply["channel"] = answer.channel
    for attempt in range(2):  # Slack redelivers an event it thinks was not acknowledged
        envelope = {**payloads.event_callback(reply), "retry_attempt": attempt}
        slack.socket_mode.send_envelope("events_api", envelope)
    *_, note = notes_for(drift, conversation_id, 2)
    assert "Retried by Slack" in note["body"]
    drift.reply(conversation_id, "<p>polled back</p>")
    assert wait_thread(slack, answer, 1) == [f"*{own_email(rep, conversation_id)}:* polled back"]
    notes = [m for m in drift.messages if m["conversationId"] == conversation_id]
    assert sum("Retried by Slack" in m["body"] for m in notes) == 1
