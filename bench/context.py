"""Measurement 7: how soon the contact context appears in a prefilled form (Drift at 0 and at
500 ms), and the API calls one unfurl costs with a cold and a warm card cache."""

from __future__ import annotations

import json
import time
from collections import Counter

from bench.load import wait_until
from bench.report import Section
from bench.rig import DRIFT_TOKEN, Rig
from bench.stats import ms, percentile, verdict
from drift.client import DriftClient
from handlers.ui import ids
from tests.fakes import payloads
from tests.fakes.signing import SlackHttpClient

FORMS_PER_LATENCY = 10
LATENCIES_SECONDS = (0.0, 0.5)
CONTACTS = "/contacts"
POLL_SECONDS = 0.002


def run(rig: Rig) -> Section:
    app = rig.real_app()
    try:
        client = SlackHttpClient(app.url, rig.signer)
        rows = [_context_row(rig, client, latency) for latency in LATENCIES_SECONDS]
        rows += _unfurl_rows(rig, client)
    finally:
        rig.drift.set_latency(0, path=CONTACTS)
        app.stop()
    return Section(
        title="7. Contact context and unfurls",
        headers=("what", "p50 or Drift calls", "max or Slack calls", "goal", "result"),
        rows=tuple(rows),
        notes=(
            f"Context: {FORMS_PER_LATENCY} `/drift-open <email> text` forms per row, each with a "
            "new email (so the contact cache misses); timed from the moment the fake Slack "
            "records views.open to the views.update that carries the context, polled every "
            f"{POLL_SECONDS * 1000:.0f} ms. The lookup's deadline is "
            "CONTACT_LOOKUP_TIMEOUT_SECONDS (2 s by default): past it the form says the context "
            "is unavailable.",
            "Unfurl: the same conversation link shared twice within the card cache's 60 s; the "
            "calls are counted from the link_shared event until chat.unfurl.",
        ),
    )


def _context_row(rig: Rig, client: SlackHttpClient, latency: float) -> tuple[str, ...]:
    rig.drift.set_latency(latency, path=CONTACTS)
    samples = []
    for n in range(FORMS_PER_LATENCY):
        email = f"ctx{int(latency * 1000)}-{n}@example.com"
        rig.drift.add_contact(email, name=f"Contact {n}")
        samples.append(_open_to_context(rig, client, email))
    shown = [s for s in samples if s is not None]
    p50 = percentile(shown, 50) if shown else float("nan")
    worst = max(shown) if shown else float("nan")
    bound = latency + 1.0
    return (
        f"form open -> contact context shown, Drift at {latency * 1000:.0f} ms",
        ms(p50),
        ms(worst),
        f"< {bound:.1f} s, {len(samples)}/{len(samples)} shown",
        verdict(len(shown) == len(samples) and worst < bound),
    )


def _open_to_context(rig: Rig, client: SlackHttpClient, email: str) -> float | None:
    opens = len(rig.slack.calls_to("views.open"))
    updates = len(rig.slack.calls_to("views.update"))
    client.command(
        text=f"{email} Hello",
        trigger_id=rig.slack.new_trigger_id(),
        response_url=rig.slack.response_url(),
    )
    if not wait_until(lambda: len(rig.slack.calls_to("views.open")) > opens, 5, POLL_SECONDS):
        return None
    opened = time.monotonic()

    def context_shown() -> bool:
        for call in rig.slack.calls_to("views.update")[updates:]:
            text = json.dumps(call.params.get("view"))
            if ids.CONTACT_CONTEXT_BLOCK in text and email in text:
                return True
        return False

    if not wait_until(context_shown, 5, POLL_SECONDS):
        return None
    return time.monotonic() - opened


def _unfurl_rows(rig: Rig, client: SlackHttpClient) -> list[tuple[str, ...]]:
    with DriftClient(rig.drift.base_url, DRIFT_TOKEN) as drift:
        conversation = drift.create_conversation(
            email="unfurl@example.com", body_html="<p>Hello</p>", integration_source="bench"
        )
    url = conversation.url("https://app.drift.com")
    counts = [_unfurl_calls(rig, client, url) for _ in ("cold", "warm")]
    rows = []
    for label, (drift_calls, slack_calls), goal in zip(
        ("cold", "warm"), counts, ("named", "0 Drift calls"), strict=True
    ):
        named = ", ".join(f"{name} x{count}" for name, count in sorted(drift_calls.items()))
        slack_named = ", ".join(f"{name} x{count}" for name, count in sorted(slack_calls.items()))
        passed = label == "cold" or sum(drift_calls.values()) == 0
        rows.append(
            (
                f"calls per unfurl ({label} card cache)",
                f"Drift {sum(drift_calls.values())}: {named or 'none'}",
                f"Slack {sum(slack_calls.values())}: {slack_named or 'none'}",
                goal,
                verdict(passed),
            )
        )
    return rows


def _unfurl_calls(rig: Rig, client: SlackHttpClient, url: str) -> tuple[Counter[str], Counter[str]]:
    drift_mark, slack_mark = len(rig.drift.calls), len(rig.slack.calls)
    unfurls = len(rig.slack.unfurls)
    event = rig.slack.share_links(payloads.CHANNEL_ID, [url])
    client.send(client.prepare_event(event))
    wait_until(lambda: len(rig.slack.unfurls) > unfurls, 10)
    drift = Counter(f"{c.method} {c.path}" for c in rig.drift.calls[drift_mark:])
    slack = Counter(c.method for c in rig.slack.calls[slack_mark:])
    return drift, slack
