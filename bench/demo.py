"""`make demo`: watch drift-open work on this machine, with no Slack workspace and no Drift account.

Starts the loopback fake Slack and Drift, runs the real `python app.py` against them (HTTP mode,
then Socket Mode) and plays what a rep does, printing what the rep sees and what Drift received.
Every view and message comes with a Block Kit Builder link, to see it as Slack draws it.
`python -m bench.demo [--transcript PATH]`; nothing is left behind but the optional transcript.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import quote

from handlers.ui import ids
from runtime.scopes import REQUIRED_BOT_SCOPES
from tests.conftest import DRIFT_TOKEN, DRIFT_USERS, SIGNING_SECRET, app_environment
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import SlackUser, http_transport
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.forms import form_values, inputs

BUILDER = "https://app.slack.com/block-kit-builder/#"
Say = Callable[[str], None]


def builder_link(surface: dict[str, Any]) -> str:
    """A Block Kit Builder link showing `surface` (a view, or {"blocks": [...]})."""
    shown = {k: surface[k] for k in ("type", "title", "blocks", "submit", "close") if k in surface}
    return BUILDER + quote(json.dumps(shown, separators=(",", ":")), safe="")


def describe_form(say: Say, view: dict[str, Any]) -> None:
    fields = inputs(view)
    email = fields.get(ids.EMAIL_BLOCK, {}).get("initial_value") or "(empty)"
    message = fields.get(ids.MESSAGE_BLOCK, {}).get("initial_value")
    text = "".join(
        leaf.get("text", "")
        for section in (message or {}).get("elements", [])
        for leaf in section.get("elements", [])
        if isinstance(leaf, dict)
    )
    say(f"   form: email = {email}; message = {text[:80] or '(empty)'!r}")
    say(f"   see it: {builder_link(view)}")


def describe_answer(say: Say, rep: SlackUser, email: str) -> None:
    answer = rep.answer_about(email)
    where = f"thread {answer.thread_ts}" if answer.thread_ts else "the channel"
    say(f"   answer in {where}: {answer.text}")
    say(f"   see it: {builder_link({'blocks': answer.blocks or []})}")
    [created] = rep.conversations_with(email)[-1:]
    say(f"   Drift received: {json.dumps(created.request)[:300]}")


def submit_and_show(say: Say, rep: SlackUser, view: dict[str, Any], email: str, text: str) -> None:
    acked = rep.submit(view, form_values(email, text))
    shown = json.dumps(acked.body.get("view", {}).get("blocks", []))
    say(f"   ack: {acked.body.get('response_action')} → {'Creating' in shown and 'Creating…'}")


def play_http(say: Say, rep: SlackUser) -> None:
    email = "jane@acme.example"
    say("1. /drift-open with inline text")
    _, url = rep.command(f"{email} Hi Jane, following up on *pricing*")
    view = rep.form_opened_for(url)
    describe_form(say, view)
    submit_and_show(say, rep, view, email, "Hi Jane, following up on pricing")
    describe_answer(say, rep, email)

    say("2. Open in Drift on a thread reply")
    parent = payloads.user_message("Who can help Acme with their invoice?")
    reply = payloads.thread_reply(parent, "Loop in <mailto:ana@acme.example|ana@acme.example>")
    rep.slack.add_message(payloads.CHANNEL_ID, parent)
    rep.slack.add_message(payloads.CHANNEL_ID, reply)
    _, url = rep.shortcut(reply)
    view = rep.form_opened_for(url)
    describe_form(say, view)
    submit_and_show(say, rep, view, "ana@acme.example", "Invoice question from Acme")
    describe_answer(say, rep, "ana@acme.example")

    say("3. Drift answers HTTP 500 (the conversation may exist), then Try again")
    rep.drift.fail_next(500, path="/conversations/new")
    _, url = rep.command("lee@acme.example")
    view = rep.form_opened_for(url)
    submit_and_show(say, rep, view, "lee@acme.example", "Renewal terms")
    failed = rep.view_updated_with(view["id"], "Try again")
    say("   the modal says: " + _first_text(failed))
    say(f"   see it: {builder_link(failed)}")
    draft = _button_value(failed, ids.RETRY_ACTION)
    rep.click(failed, ids.RETRY_ACTION, draft)
    again = rep.view_updated_with(view["id"], "Renewal terms")
    say("   Try again reopened the form with the text kept")
    submit_and_show(say, rep, {**again, "id": view["id"]}, "lee@acme.example", "Renewal terms")
    describe_answer(say, rep, "lee@acme.example")

    say("4. The same form submitted twice at once")
    _, url = rep.command("kim@acme.example")
    view = rep.form_opened_for(url)
    rep.submit(view, form_values("kim@acme.example", "Hello twice"))
    rep.submit(view, form_values("kim@acme.example", "Hello twice"))
    rep.answer_about("kim@acme.example")
    say(f"   conversations in Drift for it: {len(rep.conversations_with('kim@acme.example'))}")


def play_socket_mode(say: Say, rep: SlackUser) -> None:
    say("5. Socket Mode: the same command over the websocket")
    _, url = rep.command("sam@acme.example Over the socket")
    view = rep.form_opened_for(url)
    describe_form(say, view)
    submit_and_show(say, rep, view, "sam@acme.example", "Over the socket")
    describe_answer(say, rep, "sam@acme.example")


def socket_transport(slack: FakeSlack) -> Any:
    from tests.e2e.conftest import Acked

    def deliver(kind: str, payload: dict[str, Any]) -> Acked:
        envelope_id = slack.socket_mode.send_envelope(kind, payload)
        ack = slack.socket_mode.wait_for_ack(envelope_id, timeout=10)
        return Acked(200, (ack or {}).get("payload"), 0.0)

    return deliver


@contextmanager
def app_against(
    slack: FakeSlack, drift: FakeDrift, workdir: Path, **extra: str
) -> Iterator[AppProcess]:
    environ = app_environment(slack, drift, workdir / f"demo-{len(extra)}.sqlite3", **extra)
    with AppProcess({**environ, "LOG_LEVEL": "WARNING"}) as app:
        if extra:
            slack.socket_mode.wait_for_connection(20)
        else:
            app.wait_until_healthy()
        yield app


def run_demo(say: Say) -> None:
    with (
        TemporaryDirectory(prefix="drift-open-demo-") as workdir,
        FakeSlack(scopes=frozenset(REQUIRED_BOT_SCOPES)) as slack,
        FakeDrift(access_token=DRIFT_TOKEN, users=[dict(u) for u in DRIFT_USERS]) as drift,
    ):
        say("drift-open demo: the real app between a fake Slack and a fake Drift, on 127.0.0.1")
        say("— HTTP mode —")
        with (
            app_against(slack, drift, Path(workdir)) as app,
            SlackHttpClient(app.url, SlackSigner(SIGNING_SECRET)) as http,
        ):
            play_http(say, SlackUser(slack, drift, http_transport(http)))
        say("— Socket Mode —")
        with app_against(slack, drift, Path(workdir), SLACK_APP_TOKEN=slack.app_token):
            play_socket_mode(say, SlackUser(slack, drift, socket_transport(slack)))
        say("Done: every step above ran against the real `python app.py`.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.demo", description=__doc__)
    parser.add_argument("--transcript", type=Path, help="also write the transcript to this file")
    options = parser.parse_args(argv)
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    run_demo(say)
    if options.transcript:
        options.transcript.write_text("\n".join(lines) + "\n")
    return 0


def _first_text(view: dict[str, Any]) -> str:
    for block in view.get("blocks", []):
        text = (block.get("text") or {}).get("text")
        if text:
            return str(text).splitlines()[0]
    return ""


def _button_value(view: dict[str, Any], action_id: str) -> str:
    for block in view.get("blocks", []):
        for element in [block.get("accessory"), *(block.get("elements") or [])]:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return str(element.get("value") or "")
    return ""


if __name__ == "__main__":
    sys.exit(main())
