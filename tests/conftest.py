"""Shared fixtures: loopback fake Slack and Drift, and the real Bolt app wired to them."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from app import build_services, build_slack_client, create_app
from handlers.flow.services import Services
from runtime.scopes import REQUIRED_BOT_SCOPES
from runtime.settings import load_settings
from tests.clock import FakeClock
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.signing import SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.postgres_server import PostgresServer, PostgresUnavailable

SIGNING_SECRET = "test-signing-secret-0123456789"
DRIFT_TOKEN = "drift-test-token-abcdef"
REP_DRIFT_ID = 21849
DRIFT_USERS = [
    {
        "id": REP_DRIFT_ID,
        "orgId": 1,
        "name": "Riley Rep",
        "email": payloads.USER_EMAIL.upper(),
        "availability": "AVAILABLE",
        "role": "agent",
        "verified": True,
        "bot": False,
    },
    {"id": 5, "orgId": 1, "name": "Drift Bot", "email": "bot@example.com", "bot": True},
]


class TrackedExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, remembering its futures so a test can wait for every listener."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="listener")
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self._lock:
            futures = list(self._futures)
        _, not_done = wait(futures, timeout=timeout)
        assert not not_done, f"{len(not_done)} listeners still running after {timeout} s"


@dataclass
class Harness:
    """The real app between a fake Slack and a fake Drift, driven by signed requests."""

    app: App
    slack: FakeSlack
    drift: FakeDrift
    services: Services
    signer: SlackSigner
    listeners: TrackedExecutor

    def dispatch(self, body: str, *, timestamp: int | None = None) -> BoltResponse:
        headers = {k.lower(): [v] for k, v in self.signer.sign(body, timestamp).items()}
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def command(self, **fields: Any) -> BoltResponse:
        fields.setdefault("trigger_id", self.slack.new_trigger_id())
        fields.setdefault("response_url", self.slack.response_url())
        return self.dispatch(urlencode(payloads.command_form(**fields)))

    def interactive(self, payload: dict[str, Any]) -> BoltResponse:
        return self.dispatch(urlencode({"payload": json.dumps(payload)}))

    def shortcut(self, message: dict[str, Any], **fields: Any) -> BoltResponse:
        from handlers.ui import ids

        fields.setdefault("trigger_id", self.slack.new_trigger_id())
        fields.setdefault("response_url", self.slack.response_url())
        return self.interactive(
            payloads.message_shortcut(
                message, callback_id=ids.MESSAGE_SHORTCUT_CALLBACK_ID, **fields
            )
        )

    def event(self, event: dict[str, Any]) -> BoltResponse:
        """An Events API callback carrying `event`."""
        body = json.dumps(payloads.event_callback(event))
        headers = {k.lower(): [v] for k, v in self.signer.sign(body).items()}
        headers["content-type"] = ["application/json"]
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def opened_view(self) -> dict[str, Any]:
        """The last view the app opened (after waiting for views.open)."""
        call = self.slack.wait_for(lambda: (self.slack.calls_to("views.open") or [None])[-1])
        assert call.error is None, call.error
        view_id = next(reversed(self.slack.views))
        return self.slack.views[view_id]

    def submit(self, view: dict[str, Any], values: dict[str, Any], **fields: Any) -> BoltResponse:
        response = self.interactive(payloads.view_submission(view, values, **fields))
        ack = json.loads(response.body) if response.body else None
        self.slack.settle_submission(view["id"], ack)
        return response

    def settle_listeners(self) -> None:
        """Wait until every Bolt listener started so far has returned."""
        self.listeners.wait_idle()

    def drain(self) -> None:
        """Wait for every queued creation job (bounded by the executor shutdown)."""
        self.services.executor.shutdown(wait=True)


@pytest.fixture
def clock() -> FakeClock:
    """A settable clock for anything that takes `clock` or `timer`."""
    return FakeClock()


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    """For tests that call configure_logging(): put the root logger back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(scopes=frozenset(REQUIRED_BOT_SCOPES)) as slack:
        yield slack
        assert slack.server_errors == []


@pytest.fixture
def fake_drift() -> Iterator[FakeDrift]:
    with FakeDrift(access_token=DRIFT_TOKEN, users=[dict(u) for u in DRIFT_USERS]) as drift:
        yield drift
        assert drift.server_errors == []


def app_environment(
    slack: FakeSlack, drift: FakeDrift, db_path: Path | str, **extra: str
) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "DRIFT_ACCESS_TOKEN": DRIFT_TOKEN,
        "SLACK_API_BASE_URL": slack.base_url,
        "DRIFT_API_BASE_URL": drift.base_url,
        "DRIFT_OPEN_DB": str(db_path),
        **extra,
    }


@pytest.fixture
def make_harness(fake_slack: FakeSlack, fake_drift: FakeDrift, tmp_path: Path):
    built: list[Harness] = []

    def make(**extra: str) -> Harness:
        settings = load_settings(
            app_environment(fake_slack, fake_drift, tmp_path / "db.sqlite3", **extra)
        )
        client = build_slack_client(settings)
        services = build_services(settings, client)
        listeners = TrackedExecutor()
        harness = Harness(
            create_app(settings, services, client, listeners),
            fake_slack,
            fake_drift,
            services,
            SlackSigner(SIGNING_SECRET),
            listeners,
        )
        built.append(harness)
        return harness

    yield make
    for harness in built:
        harness.listeners.shutdown(wait=True)
        harness.services.executor.shutdown(wait=True)
        harness.services.contacts.close()
        harness.services.store.close()
        harness.services.drift.close()


@pytest.fixture
def harness(make_harness) -> Harness:
    return make_harness()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test session: DRIFT_OPEN_TEST_DATABASE_URL, else our own.

    Without one the PostgreSQL tests skip, except under CI=true, where they must run.
    """
    url = os.environ.get("DRIFT_OPEN_TEST_DATABASE_URL", "")
    try:
        server = PostgresServer.external(url) if url else PostgresServer.start()
    except (PostgresUnavailable, OSError, psycopg.Error) as exc:
        reason = f"PostgreSQL is not available for the tests: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: these tests must run)")
        pytest.skip(reason)
    yield server
    server.stop()
