"""The bench rig: loopback fake Slack and Drift, the real app and the bare baseline as child
processes, and helpers that open forms and build signed submissions."""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, TypeVar
from urllib.parse import urlencode

from bench.load import send_all
from handlers.ui import ids
from runtime.scopes import REQUIRED_BOT_SCOPES
from tests.e2e.app_process import AppProcess
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift, drift_user
from tests.fakes.signing import SignedRequest, SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.waiting import poll_until

SIGNING_SECRET = "bench-signing-secret-0123456789"
DRIFT_TOKEN = "drift-bench-token"
REP_DRIFT_ID = 21849
MESSAGE_TEXT = "Hi, following up on today's call: the trial is extended to Friday. Thanks!"


class BareAppProcess(AppProcess):
    """`python -m bench.bare_app`, started and health-checked exactly like AppProcess."""

    def __init__(self, options: tuple[str, ...]) -> None:
        super().__init__({})
        self.options = options

    def command(self) -> list[str]:
        return [sys.executable, "-m", "bench.bare_app", "--port", str(self.port), *self.options]


@dataclass
class Rig:
    slack: FakeSlack
    drift: FakeDrift
    workdir: Path
    signer: SlackSigner

    def __post_init__(self) -> None:
        self._databases = itertools.count(1)

    def environment(self, database: str = "") -> dict[str, str]:
        sqlite = str(self.workdir / f"bench-{next(self._databases)}.sqlite3")
        return {
            "SLACK_BOT_TOKEN": self.slack.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "DRIFT_ACCESS_TOKEN": DRIFT_TOKEN,
            "SLACK_API_BASE_URL": self.slack.base_url,
            "DRIFT_API_BASE_URL": self.drift.base_url,
            "DRIFT_OPEN_DB": database or sqlite,
        }

    def real_app(self, database: str = "") -> AppProcess:
        """A fresh drift-open process (cold caches; a new SQLite file unless `database`)."""
        return _healthy(AppProcess(self.environment(database)))

    def bare_app(self, mode: str = "ack") -> BareAppProcess:
        options = (
            *("--signing-secret", SIGNING_SECRET, "--bot-token", self.slack.bot_token),
            *("--slack-api-url", self.slack.base_url, "--mode", mode),
            *("--drift-url", self.drift.base_url, "--drift-token", DRIFT_TOKEN),
        )
        return _healthy(BareAppProcess(options))

    def command(self, _index: int = 0) -> SignedRequest:
        """A `/drift-open` with a fresh trigger id and response_url."""
        body = payloads.command_form(
            trigger_id=self.slack.new_trigger_id(), response_url=self.slack.response_url()
        )
        return self._sign(urlencode(body))

    def submission(self, view: dict[str, Any], email: str) -> SignedRequest:
        payload = payloads.view_submission(view, form_values(email))
        return self._sign(urlencode({"payload": json.dumps(payload)}))

    def open_forms(self, app: AppProcess, count: int, *, threads: int = 4) -> list[dict[str, Any]]:
        """Open `count` forms through `app` (one command each); the views Slack now shows."""
        before = len(self.slack.calls_to("views.open"))
        known = set(self.slack.modals.views)
        send_all(app.url, self.command, count, threads=threads)
        opened = poll_until(lambda: len(self.slack.calls_to("views.open")) >= before + count, 30)
        if not opened:
            raise RuntimeError(f"the app did not open {count} forms:\n{app.output[-2000:]}")
        views = self.slack.views
        fresh = [view for view_id, view in views.items() if view_id not in known]
        return [view for view in fresh if view["callback_id"] == ids.FORM_CALLBACK_ID]

    def conversations_for(self, emails: set[str]) -> list[str]:
        return [
            c.request["email"] for c in self.drift.conversations if c.request["email"] in emails
        ]

    def _sign(self, body: str) -> SignedRequest:
        return SignedRequest(body, self.signer.sign(body))


P = TypeVar("P", bound=AppProcess)


def _healthy(process: P) -> P:
    """Start `process` and wait until it is healthy; never leave it running on failure."""
    process.start()
    try:
        process.wait_until_healthy()
    except BaseException:
        process.stop(timeout=5)
        raise
    return process


def form_values(email: str, text: str = MESSAGE_TEXT) -> dict[str, Any]:
    """The form's `state.values`: contact email, message, the rep as assignee."""
    return {
        ids.EMAIL_BLOCK: {ids.EMAIL_ACTION: payloads.email_value(email)},
        ids.MESSAGE_BLOCK: {ids.MESSAGE_ACTION: payloads.rich_text_value(payloads.rich_text(text))},
        ids.ASSIGNEE_BLOCK: {ids.ASSIGNEE_ACTION: payloads.users_select_value(payloads.USER_ID)},
    }


def drift_roster(extra: int = 0) -> list[dict[str, Any]]:
    """The rep (matched by email, case-insensitively) plus `extra` other agents."""
    roster = [drift_user(REP_DRIFT_ID, "Riley Rep", payloads.USER_EMAIL.upper())]
    roster += [drift_user(100_000 + n, f"Agent {n}", f"agent{n}@example.com") for n in range(extra)]
    return roster


def frozen_clock() -> Callable[[], float]:
    """The fake Slack's clock: stopped at start, so signed-in-advance trigger ids never expire."""
    now = time.time()
    return lambda: now


@contextmanager
def bench_rig() -> Iterator[Rig]:
    """Fake Slack and Drift on 127.0.0.1 and a scratch directory for databases."""
    with (
        TemporaryDirectory(prefix="drift-open-bench-") as scratch,
        FakeSlack(scopes=frozenset(REQUIRED_BOT_SCOPES), clock=frozen_clock()) as slack,
        FakeDrift(access_token=DRIFT_TOKEN, users=drift_roster(extra=50)) as drift,
    ):
        # Slack's clock is frozen here (stable timestamps), so a posting budget would never
        # refill: the benchmarks measure acks against bare Bolt, not Slack's posting limit.
        slack.post_limit.per_second = 0
        yield Rig(slack, drift, Path(scratch), SlackSigner(SIGNING_SECRET))
