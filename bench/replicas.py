"""Measurement 7: the store on PostgreSQL. Submission acks at a paced 100/s on PostgreSQL
against bare Bolt, the claim's latency on each backend, and what one and two replicas on one
PostgreSQL sustain closed loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from bench.latency import (
    CLIENT_THREADS,
    PACED,
    REQUESTS,
    WARMUP,
    Series,
    Target,
    acked,
    acked_with_update,
    calls_reach,
    measure,
)
from bench.load import send_from_child_process
from bench.report import Section
from bench.rig import Rig
from bench.stats import Summary, ms, ratio, verdict
from storage.postgres import PostgresStore
from storage.protocol import Store
from storage.sqlite import SqliteStore
from tests.e2e.app_process import AppProcess
from tests.postgres_server import PostgresServer
from tests.storage.stores import make_draft
from tests.waiting import poll_until

RATIO_GOAL = 1.5
CLAIMS = 2000
THROUGHPUT_SUBMISSIONS = 400
FINISH_DEADLINE_SECONDS = 120.0


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer.start(durable=True)
    try:
        yield server
    finally:
        server.stop()


def run(rig: Rig) -> Section:
    with postgres_server() as server:
        acks = _paced_acks(rig, server.new_database())
        claims = [
            ("SQLite (file, WAL)", _claim_latency(SqliteStore(rig.workdir / "claims.sqlite3"))),
            ("PostgreSQL (loopback)", _claim_latency(PostgresStore(server.new_database()))),
        ]
        rates = [(count, _throughput(rig, server.new_database(), count)) for count in (1, 2)]
    return section(acks, claims, rates)


def _paced_acks(rig: Rig, database: str) -> tuple[Series, Series]:
    """The latency measurement's paced submissions, with the app on PostgreSQL."""
    real = rig.real_app(database)
    bare = rig.bare_app("ack")
    try:
        total = WARMUP + REQUESTS
        forms = iter(rig.open_forms(real, 2 * total))
        bare_forms = [next(forms) for _ in range(total)]
        real_forms = [next(forms) for _ in range(total)]
        baseline = measure(
            "submission",
            PACED,
            Target(
                "bare Bolt", bare, lambda i: rig.submission(bare_forms[i], f"pb-{i}@x.io"), acked
            ),
        )
        ours = measure(
            "submission",
            PACED,
            Target(
                "drift-open on PostgreSQL",
                real,
                lambda i: rig.submission(real_forms[i], f"pg-{i}@x.io"),
                acked_with_update,
                calls_reach(rig, "chat.postMessage", total),
            ),
        )
    finally:
        bare.stop()
        real.stop()
    return baseline, ours


def _claim_latency(store: Store) -> Summary:
    """One `claim` of a new key after another, on one thread: the store's own cost."""
    samples = []
    draft = make_draft()
    try:
        for index in range(CLAIMS):
            started = time.perf_counter()
            store.claim(f"bench-{index}", draft)
            samples.append(time.perf_counter() - started)
    finally:
        store.close()
    return Summary.of(samples)


def _throughput(rig: Rig, database: str, replicas: int) -> float:
    """Submissions per second from send to the last answer posted, spread over the replicas."""
    apps = [rig.real_app(database) for _ in range(replicas)]
    try:
        forms = rig.open_forms(apps[0], THROUGHPUT_SUBMISSIONS)
        done = calls_reach(rig, "chat.postMessage", len(forms))
        shares = [forms[index::replicas] for index in range(replicas)]
        started = time.monotonic()
        with ThreadPoolExecutor(replicas) as pool:
            list(pool.map(_closed_loop(rig, replicas), apps, shares, range(replicas)))
        if not poll_until(done, FINISH_DEADLINE_SECONDS):
            raise RuntimeError(f"{replicas} replica(s) did not finish {len(forms)} submissions")
        return len(forms) / (time.monotonic() - started)
    finally:
        for app in apps:
            app.stop()


def _closed_loop(rig: Rig, replicas: int) -> Callable[[AppProcess, list[dict], int], None]:
    def send(app: AppProcess, share: list[dict], replica: int) -> None:
        prepared = [
            rig.submission(form, f"r{replicas}-{replica}-{i}@x.io") for i, form in enumerate(share)
        ]
        send_from_child_process(app.url, prepared, threads=CLIENT_THREADS, warmup=0)

    return send


def section(
    acks: tuple[Series, Series], claims: list[tuple[str, Summary]], rates: list[tuple[int, float]]
) -> Section:
    baseline, ours = acks
    ratios = [
        ratio(getattr(ours.summary, p), getattr(baseline.summary, p)) for p in ("p50", "p95", "p99")
    ]
    passed = max(ratios) <= RATIO_GOAL and ours.failures == 0
    rows: list[tuple[str, ...]] = []
    for series in acks:
        s = series.summary
        rows.append(
            (
                "ack, paced 100/s",
                series.app,
                ms(s.p50),
                ms(s.p95),
                ms(s.p99),
                str(series.failures),
                "",
            )
        )
    rows.append(
        (
            "ack ratio",
            "drift-open on PostgreSQL / bare",
            *(f"{r:.2f}x" for r in ratios),
            "",
            f"<= {RATIO_GOAL}x: {verdict(passed)}",
        )
    )
    for name, summary in claims:
        rows.append(
            ("claim of a new key", name, ms(summary.p50), ms(summary.p95), ms(summary.p99), "", "")
        )
    for count, rate in rates:
        rows.append(
            (
                "closed loop, submission to answer",
                f"{count} replica(s) on PostgreSQL",
                f"{rate:.0f}/s",
                "",
                "",
                "",
                "information",
            )
        )
    return Section(
        title="9. PostgreSQL and replicas (HTTP mode)",
        headers=("what", "app / backend", "p50", "p95", "p99", "failed", "goal"),
        rows=tuple(rows),
        notes=(
            f"Acks: {REQUESTS} submissions after {WARMUP} warm-ups, paced at 100/s, as in "
            "section 1 but with DRIFT_OPEN_DB a PostgreSQL 15 database on loopback (started by "
            "the bench, durability settings left at their defaults).",
            f"Claim: {CLAIMS} claims of new keys, one after another on one thread, in this "
            "process: SQLite on a file in WAL mode, PostgreSQL through its connection pool.",
            f"Closed loop: {THROUGHPUT_SUBMISSIONS} submissions sent by {CLIENT_THREADS} clients "
            "per replica as fast as acks come back, timed until the last answer was posted in "
            "Slack. On two cores shared by the replicas, PostgreSQL, both fakes and the load "
            "generator, a second replica adds no CPU: what limits it is the machine, not the "
            "database or a lock (a claim takes about a millisecond; see the rows above).",
        ),
    )
