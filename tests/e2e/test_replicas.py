"""Two `python app.py` replicas on one PostgreSQL: one conversation per form and every rep told
exactly once, whichever replica Slack reaches, including when one of them is killed -9."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bench.crash_count import Submitted, count, messages_told, told_about
from handlers.ui import ids
from tests.conftest import SIGNING_SECRET, app_environment
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import (
    Acked,
    SlackUser,
    buttons,
    http_transport,
    prepare,
    send_signed,
    unique_email,
)
from tests.e2e.test_socket_mode import socket_transport
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.forms import form_values
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.e2e

CREATE = "/conversations/new"
BURST = 100


class Replicas:
    """Two replicas on one database, and a rep whose requests Slack sends to either."""

    def __init__(self, slack: FakeSlack, drift: FakeDrift, processes: list[AppProcess]) -> None:
        self.processes = processes
        self.clients = [SlackHttpClient(p.url, SlackSigner(SIGNING_SECRET)) for p in processes]
        self.reps = [SlackUser(slack, drift, http_transport(c)) for c in self.clients]

    def close(self) -> None:
        for client in self.clients:
            client.close()


def start_replicas(
    slack: FakeSlack, drift: FakeDrift, database: str, count_: int = 2, **extra: str
) -> list[AppProcess]:
    """Replicas started at the same moment, so their migrations race for real."""
    environ = app_environment(slack, drift, database, **extra)
    return [AppProcess(environ).start() for _ in range(count_)]


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> str:
    return postgres.new_database()


@pytest.fixture(scope="module")
def replicas(slack: FakeSlack, drift: FakeDrift, database: str) -> Iterator[Replicas]:
    processes = start_replicas(slack, drift, database)
    for process in processes:
        process.wait_until_healthy()
    pair = Replicas(slack, drift, processes)
    yield pair
    pair.close()
    drift.release()
    for process in processes:
        assert process.stop() == 0, process.output


def open_form(rep: SlackUser) -> dict[str, Any]:
    _, response_url = rep.command()
    return rep.form_opened_for(response_url)


def assert_each_told_once(slack: FakeSlack, drift: FakeDrift, items: list[Submitted]) -> None:
    slack.wait_for(lambda: all(messages_told(slack, item) for item in items) or None, 30.0)
    figures = count(slack, drift, items)
    assert (figures.duplicates, figures.told_nothing, figures.contradictory, figures.lost) == (
        0,
        0,
        0,
        0,
    )
    assert [messages_told(slack, item) for item in items] == [1] * len(items)


def test_one_view_submitted_to_both_replicas_at_once_makes_one_conversation(
    slack: FakeSlack, drift: FakeDrift, replicas: Replicas
) -> None:
    email = unique_email()
    view = open_form(replicas.reps[0])
    barrier = threading.Barrier(2)

    def submit(rep: SlackUser) -> Acked:
        barrier.wait()
        return rep.transport("interactive", payload_for(view, email))

    with ThreadPoolExecutor(2) as pool:
        acks = list(pool.map(submit, replicas.reps))

    assert [ack.body["response_action"] for ack in acks] == ["update", "update"]
    slack.settle_submission(view["id"], acks[0].body)
    replicas.reps[0].view_updated_with(view["id"], "/conversations/")
    assert_each_told_once(slack, drift, [Submitted(email, view["id"], acked=True)])


def payload_for(view: dict[str, Any], email: str) -> dict[str, Any]:
    return payloads.view_submission(view, form_values(email, "Two replicas, one form"))


def test_alternated_burst_with_retries_to_the_other_replica_has_no_duplicates(
    slack: FakeSlack, drift: FakeDrift, replicas: Replicas
) -> None:
    items: list[Submitted] = []
    for index in range(BURST):
        first, other = index % 2, 1 - index % 2
        email = unique_email()
        view = open_form(replicas.reps[first])
        client = replicas.clients[first]
        request = prepare(client, "interactive", payload_for(view, email))
        acked = send_signed(client, request)
        retried = replicas.clients[other].send(request, {"X-Slack-Retry-Num": "1"})
        assert retried.status_code == 200
        slack.settle_submission(view["id"], acked.body)
        items.append(Submitted(email, view["id"], acked=acked.body["response_action"] == "update"))

    for item in items:
        replicas.reps[0].view_updated_with(item.view_id, "/conversations/")
    assert all(item.acked for item in items)
    assert_each_told_once(slack, drift, items)


def test_try_again_on_one_replica_for_a_failure_on_the_other(
    slack: FakeSlack, drift: FakeDrift, replicas: Replicas
) -> None:
    email = unique_email()
    drift.fail_next(400, path=CREATE)
    view = open_form(replicas.reps[0])
    replicas.reps[0].submit(view, form_values(email, "Tried on A"))
    failed = replicas.reps[0].view_updated_with(view["id"], ids.RETRY_ACTION)

    draft_id = buttons(failed["blocks"])[ids.RETRY_ACTION]["value"]
    replicas.reps[1].click(failed, ids.RETRY_ACTION, draft_id)
    reopened = replicas.reps[1].view_updated_with(failed["id"], ids.FORM_CALLBACK_ID)
    replicas.reps[1].submit(reopened, form_values(email, "Tried on A"))
    replicas.reps[1].view_updated_with(view["id"], "/conversations/")

    assert len(replicas.reps[1].conversations_with(email)) == 1


def test_kill_9_of_one_replica_mid_burst_the_survivor_reports_its_work(
    slack: FakeSlack, drift: FakeDrift, database: str
) -> None:
    victim, survivor = start_replicas(slack, drift, database)
    for process in (victim, survivor):
        process.wait_until_healthy()
    pair = Replicas(slack, drift, [victim, survivor])
    items: list[Submitted] = []
    drift.set_latency(30.0, path=CREATE)
    try:
        for _ in range(6):
            email = unique_email()
            view = open_form(pair.reps[0])
            acked = pair.reps[0].submit(view, form_values(email, "Queued on the victim"))
            items.append(Submitted(email, view["id"], acked=bool(acked.body)))
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.stop() == -signal.SIGKILL
    finally:
        drift.set_latency(0.0, path=CREATE)
        drift.release()
    try:
        assert all(item.acked for item in items)
        assert_each_told_once(slack, drift, items)
        assert all(told_about(slack, item).ambiguous for item in items)
    finally:
        pair.close()
        assert survivor.stop() == 0, survivor.output


def socket_to(slack: FakeSlack, turn: int) -> Callable[[str, dict[str, Any]], Acked]:
    """Envelopes to one chosen connection (the replicas connect in turn: 0 and 1)."""

    def deliver(kind: str, payload: dict[str, Any]) -> Acked:
        envelope_id = slack.socket_mode.send_envelope(kind, payload, turn=turn)
        ack = slack.socket_mode.wait_for_ack(envelope_id)
        assert ack is not None, f"no ack for {kind} envelope {envelope_id}"
        return Acked(200, ack.get("payload"), 0.0)

    return deliver


@pytest.fixture
def socket_replicas(
    slack: FakeSlack, drift: FakeDrift, postgres: PostgresServer
) -> Iterator[list[AppProcess]]:
    database = postgres.new_database()
    before = slack.socket_mode.open_connections
    processes = start_replicas(slack, drift, database, SLACK_APP_TOKEN=slack.app_token)
    slack.socket_mode.wait_for(lambda: slack.socket_mode.open_connections >= before + 2, 20.0)
    yield processes
    drift.release()
    for process in processes:
        process.stop()


def test_two_socket_mode_replicas_share_the_work_exactly_once(
    slack: FakeSlack, drift: FakeDrift, socket_replicas: list[AppProcess]
) -> None:
    rep = SlackUser(slack, drift, socket_transport(slack))
    items: list[Submitted] = []
    for _ in range(10):
        email = unique_email()
        view = open_form(rep)
        acked = rep.submit(view, form_values(email, "Over two sockets"))
        items.append(Submitted(email, view["id"], acked=bool(acked.body)))
    email = unique_email()
    view = open_form(rep)
    barrier = threading.Barrier(2)

    def submit_on(turn: int) -> Acked:
        barrier.wait()
        return socket_to(slack, turn)("interactive", payload_for(view, email))

    with ThreadPoolExecutor(2) as pool:
        acks = list(pool.map(submit_on, (0, 1)))
    slack.settle_submission(view["id"], acks[0].body)
    items.append(Submitted(email, view["id"], acked=bool(acks[0].body)))

    for item in items:
        rep.view_updated_with(item.view_id, "/conversations/")
    assert_each_told_once(slack, drift, items)
    assert len(set(slack.socket_mode.delivered_to.values())) >= 2


def test_kill_9_of_one_socket_mode_replica_the_other_reports_its_work(
    slack: FakeSlack, drift: FakeDrift, socket_replicas: list[AppProcess]
) -> None:
    victim, survivor = socket_replicas
    rep = SlackUser(slack, drift, socket_transport(slack))
    items: list[Submitted] = []
    drift.set_latency(30.0, path=CREATE)
    try:
        for _ in range(6):
            email = unique_email()
            view = open_form(rep)
            acked = rep.submit(view, form_values(email, "Queued on either replica"))
            items.append(Submitted(email, view["id"], acked=bool(acked.body)))
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.stop() == -signal.SIGKILL
    finally:
        drift.set_latency(0.0, path=CREATE)
        drift.release()
    assert all(item.acked for item in items)
    assert_each_told_once(slack, drift, items)
    assert survivor.stop() == 0, survivor.output
