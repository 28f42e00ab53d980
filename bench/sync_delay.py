"""Measurement 7: Drift → Slack delay of the thread sync, and Drift calls per polling round.

The delay runs from a Drift message being written (and, with webhooks, its event sent) to its
post landing in the linked thread of the fake Slack, one message at a time, with the real app
in HTTP mode fed by the webhook and then polling every second. The calls per round come from
the poller's own schedule over 1,000 linked conversations of mixed activity.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass

from bench.report import Section
from bench.rig import Rig
from bench.stats import Summary, ms
from handlers.flow.sync_poller import DAY, HOUR, POLL_BUDGET, DriftPoller
from storage.protocol import ThreadLink
from tests.e2e.app_process import AppProcess
from tests.fakes import payloads
from tests.fakes.drift_webhooks import new_message_event, send_event
from tests.fakes.signing import SignedRequest, SlackHttpClient

WEBHOOK_SAMPLES = 40
POLLING_SAMPLES = 15
POLL_SECONDS = 1.0
TOKEN = "bench-verification-token"
LINKED = 1000
ROUNDS = 240
TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class Linked:
    app: AppProcess
    conversation_id: int
    thread_ts: str


def run(rig: Rig) -> Section:
    webhook = _delays(rig, webhook=True, samples=WEBHOOK_SAMPLES)
    polling = _delays(rig, webhook=False, samples=POLLING_SAMPLES)
    most, mean = polling_calls()
    rows = tuple(
        (name, str(s.count), ms(s.p50), ms(s.p99), ms(s.max))
        for name, s in (
            ("webhook (POST /drift/events)", webhook),
            (f"polling every {POLL_SECONDS:g} s", polling),
        )
    )
    return Section(
        title="8. Thread sync: Drift message to Slack post",
        headers=("mode", "messages", "p50", "p99", "max"),
        rows=rows,
        notes=(
            "One message at a time into one linked thread; from writing it in the fake Drift "
            "(and sending its webhook) to the post appearing in the fake Slack.",
            f"Polling {LINKED:,} linked conversations (2% active in the last hour, 10% in the "
            "last day, 20% in the last 3 days, the rest a week ago) costs at most "
            f"{most} Drift calls in a round (the first, when every one is due) and {mean:.0f} "
            f"on average over {ROUNDS} rounds (budget {POLL_BUDGET}): active conversations "
            "are read every round, quiet ones every 4th, 12th or 60th.",
        ),
    )


def polling_calls() -> tuple[int, float]:
    """Most and mean calls per round, replaying the poller's schedule without a network."""
    now = 1_750_000_000.0
    ages = [HOUR / 2] * (LINKED * 2 // 100) + [DAY / 2] * (LINKED // 10)
    ages += [2 * DAY] * (LINKED // 5)
    ages += [7 * DAY] * (LINKED - len(ages))
    links = {
        n: ThreadLink("T", "C", str(n), n, 1, active_at=now - age) for n, age in enumerate(ages)
    }
    poller = DriftPoller(store=None, drift=None, interval=POLL_SECONDS, max_age=14 * DAY)  # type: ignore[arg-type]
    counts = []
    for _ in range(ROUNDS):
        due = poller.due(sorted(links.values(), key=lambda link: -link.active_at), now)
        for link in due:
            links[link.conversation_id] = ThreadLink(**{**link.__dict__, "polled_at": now})
        counts.append(len(due))
        now += POLL_SECONDS
    return max(counts), sum(counts) / len(counts)


def _delays(rig: Rig, *, webhook: bool, samples: int) -> Summary:
    extra = {"DRIFT_VERIFICATION_TOKEN": TOKEN} if webhook else {"DRIFT_POLL_SECONDS": "1"}
    app = AppProcess({**rig.environment(), **extra}).start()
    try:
        app.wait_until_healthy()
        linked = _linked_thread(rig, app)
        delays = [_one(rig, linked, webhook, n) for n in range(samples)]
    finally:
        app.stop()
    return Summary.of(delays)


def _one(rig: Rig, linked: Linked, webhook: bool, number: int) -> float:
    text = f"bench message {number} {'webhook' if webhook else 'polling'}"
    started = time.monotonic()
    message = rig.drift.reply(linked.conversation_id, f"<p>{text}</p>")
    if webhook:
        event = new_message_event(message, TOKEN)
        send_event(f"{linked.app.url}/drift/events", event, header_token=TOKEN)
    rig.slack.wait_for(
        lambda: any(
            m.thread_ts == linked.thread_ts and text in (m.text or "") for m in rig.slack.messages
        ),
        TIMEOUT_SECONDS,
    )
    return time.monotonic() - started


def _linked_thread(rig: Rig, app: AppProcess) -> Linked:
    """A /drift-open answered in the channel, once its thread is linked (a first reply
    reaching Drift as a note proves it)."""
    [view] = rig.open_forms(app, 1)
    email = f"sync.{time.monotonic_ns()}@example.com"
    with SlackHttpClient(app.url, rig.signer) as client:
        client.send(rig.submission(view, email))
        created = rig.drift.wait_for(
            lambda: [c for c in rig.drift.conversations if c.request["email"] == email],
            TIMEOUT_SECONDS,
        )[0]
        answer = rig.slack.wait_for(
            lambda: next(
                (m for m in rig.slack.messages if f"/conversations/{created.id}" in (m.text or "")),
                None,
            ),
            TIMEOUT_SECONDS,
        )
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while not any(m["conversationId"] == created.id for m in rig.drift.messages):
            if time.monotonic() > deadline:
                raise RuntimeError("the answer's thread was never linked")
            reply = payloads.user_message("First reply", thread_ts=answer.ts)
            reply["channel"] = answer.channel
            body = json.dumps(payloads.event_callback(reply))
            headers = {**rig.signer.sign(body), "Content-Type": "application/json"}
            client.send(SignedRequest(body, headers))
            with contextlib.suppress(TimeoutError):
                rig.drift.wait_for(
                    lambda: any(m["conversationId"] == created.id for m in rig.drift.messages), 0.5
                )
    return Linked(app, created.id, answer.ts)
