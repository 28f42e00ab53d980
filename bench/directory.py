"""Measurement 4: the users directory at scale (50,000 Drift users): memory it keeps, time per
lookup, time to refresh, and the time to fetch and parse /users/list from the fake over HTTP."""

from __future__ import annotations

import gc
import json
import statistics
import time
import tracemalloc
from dataclasses import dataclass

from bench.report import Section
from bench.stats import verdict
from drift.client import DriftClient
from drift.errors import DriftNotFoundError
from drift.models import DriftUser
from drift.users import UserDirectory
from tests.fakes.drift_api import FakeDrift, drift_user

USERS = 50_000
LOOKUPS = 100_000
REFRESHES = 3
MEMORY_GOAL_BYTES = 60 * 1024 * 1024
TOKEN = "drift-bench-token"


class JsonUserSource:
    """Serves /users/list from a JSON body, parsed on every call as DriftClient parses it."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def list_users(self) -> list[DriftUser]:
        return [DriftUser.from_api(entry) for entry in json.loads(self.body)["data"]]

    def get_user(self, user_id: int) -> DriftUser:
        raise DriftNotFoundError(404, "not_found", f"no user {user_id}", None)


@dataclass(frozen=True)
class DirectoryNumbers:
    retained_bytes: int
    peak_bytes: int
    first_load_seconds: float
    lookup_seconds: float
    refresh_seconds: float
    http_list_seconds: float
    body_bytes: int


def roster(count: int = USERS) -> list[dict[str, object]]:
    return [drift_user(n + 1, f"Agent {n}", f"Agent.{n}@Example.com") for n in range(count)]


def lookups(count: int = LOOKUPS) -> list[str]:
    """Half hits in varied case, half misses."""
    emails = []
    for n in range(count):
        user = (n * 7919) % USERS
        if n % 2:
            emails.append(f"nobody.{n}@example.com")
        elif n % 4 == 0:
            emails.append(f"agent.{user}@example.com")
        else:
            emails.append(f" AGENT.{user}@EXAMPLE.COM ")
    return emails


def measure() -> DirectoryNumbers:
    users = roster()
    body = json.dumps({"data": users}).encode()
    source = JsonUserSource(body)

    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    directory = UserDirectory(source)
    directory.find_by_email("agent.1@example.com")
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    timed = UserDirectory(source)
    started = time.perf_counter()
    timed.find_by_email("agent.1@example.com")
    first_load = time.perf_counter() - started

    probes = lookups()
    started = time.perf_counter()
    for email in probes:
        timed.find_by_email(email)
    per_lookup = (time.perf_counter() - started) / len(probes)

    refreshes = []
    for _ in range(REFRESHES):
        started = time.perf_counter()
        UserDirectory(source).find_by_email("agent.1@example.com")  # a cold cache: one reload
        refreshes.append(time.perf_counter() - started)

    return DirectoryNumbers(
        retained_bytes=after - before,
        peak_bytes=peak - before,
        first_load_seconds=first_load,
        lookup_seconds=per_lookup,
        refresh_seconds=statistics.median(refreshes),
        http_list_seconds=_http_list_seconds(users),
        body_bytes=len(body),
    )


def _http_list_seconds(users: list[dict[str, object]]) -> float:
    timings = []
    with (
        FakeDrift(access_token=TOKEN, users=users) as drift,
        DriftClient(drift.base_url, TOKEN) as client,
    ):
        for _ in range(REFRESHES):
            started = time.perf_counter()
            fetched = client.list_users()
            timings.append(time.perf_counter() - started)
            if len(fetched) != len(users):
                raise RuntimeError(f"fetched {len(fetched)} of {len(users)} users")
    return statistics.median(timings)


def run() -> tuple[Section, DirectoryNumbers]:
    numbers = measure()
    mib = numbers.retained_bytes / (1024 * 1024)
    rows = (
        (
            "memory kept after the first load",
            f"{mib:.1f} MiB ({numbers.retained_bytes / USERS:.0f} B per user)",
            "< 60 MB",
            verdict(numbers.retained_bytes < MEMORY_GOAL_BYTES),
        ),
        ("peak memory during the load", f"{numbers.peak_bytes / (1024 * 1024):.1f} MiB", "-", "-"),
        ("first load (parse + index)", f"{numbers.first_load_seconds * 1000:.0f} ms", "-", "-"),
        ("find_by_email, mean per call", f"{numbers.lookup_seconds * 1e6:.2f} µs", "-", "-"),
        ("reload, cold cache (median of 3)", f"{numbers.refresh_seconds * 1000:.0f} ms", "-", "-"),
        (
            "GET /users/list over HTTP from the fake + parse (median of 3)",
            f"{numbers.http_list_seconds * 1000:.0f} ms "
            f"for {numbers.body_bytes / 1e6:.1f} MB of JSON",
            "-",
            "-",
        ),
    )
    notes = (
        f"{USERS:,} Drift users in process; memory by tracemalloc: Python allocations still "
        "held after the load (DriftUser objects, their strings, both indexes) minus before.",
        f"Lookups: {LOOKUPS:,} calls, half hits in mixed case with stray spaces, half misses.",
        "Load and refresh parse a prepared /users/list JSON body exactly as DriftClient does; "
        "the HTTP row adds the fake server's serialisation and the loopback transfer.",
    )
    return Section(
        "4. Users directory at scale", ("what", "value", "goal", "result"), rows, notes
    ), numbers
