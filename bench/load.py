"""The load generator: signed requests from client threads, each timed with perf_counter.

Each client thread owns one `requests.Session` (keep-alive, like Slack's senders). Requests are
built outside the timer: by a factory right before they are sent, or all in advance for a load
generator in a child process.

Two ways to load an app: closed loop (each client sends its next request as soon as the last one
is answered, so the rate is whatever the app sustains) and paced (request i is due at
start + i / rate, whatever the answers; its time counts from when it was due, so a client that
falls behind shows up as latency instead of being hidden).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import requests

from tests.fakes.signing import SignedRequest

RequestFactory = Callable[[int], SignedRequest]
EVENTS_PATH = "/slack/events"


@dataclass(frozen=True)
class Outcome:
    """One answered (or failed) request: seconds from send to full response."""

    seconds: float
    status: int  # 0 when the request failed before an HTTP answer
    body: str


def timed_post(
    session: requests.Session, url: str, request: SignedRequest, timeout: float
) -> Outcome:
    started = time.perf_counter()
    try:
        response = session.post(
            url, data=request.body.encode("utf-8"), headers=request.headers, timeout=timeout
        )
    except requests.RequestException as exc:
        return Outcome(time.perf_counter() - started, 0, type(exc).__name__)
    return Outcome(time.perf_counter() - started, response.status_code, response.text)


def send_all(
    base_url: str,
    make: RequestFactory,
    count: int,
    *,
    threads: int = 4,
    warmup: int = 0,
    timeout: float = 10.0,
    rate: float | None = None,
) -> list[Outcome]:
    """`warmup` untimed requests, then `count` timed ones, spread over `threads` client threads;
    closed loop, or paced at `rate` requests per second in all.

    Indexes 0..warmup-1 go to the warm-up, warmup..warmup+count-1 are measured; outcomes of the
    measured ones are returned in index order.
    """
    if rate is not None and rate <= 0:
        raise ValueError(f"rate must be positive, got {rate}")
    url = base_url.rstrip("/") + EVENTS_PATH
    outcomes: list[Outcome | None] = [None] * count
    next_index = iter(range(count))
    take = threading.Lock()
    warmed = threading.Barrier(threads)
    schedule = Schedule(rate)

    def client(worker: int) -> None:
        with requests.Session() as session:
            for index in range(worker, warmup, threads):
                timed_post(session, url, make(index), timeout)
            if warmed.wait() == 0:
                schedule.start()
            warmed.wait()
            while True:
                with take:
                    index = next(next_index, None)
                if index is None:
                    return
                request = make(warmup + index)
                late = schedule.wait_for_turn(index)
                outcome = timed_post(session, url, request, timeout)
                outcomes[index] = replace(outcome, seconds=outcome.seconds + late)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [outcome for outcome in outcomes if outcome is not None]


class Schedule:
    """When each paced request is due; a closed loop (rate None) never waits."""

    def __init__(
        self,
        rate: float | None,
        *,
        clock: Callable[[], float] = time.perf_counter,
        pause: Callable[[float], object] | None = None,
    ) -> None:
        self._rate = rate
        self._clock = clock
        self._pause = pause or threading.Event().wait
        self._start = 0.0

    def start(self) -> None:
        self._start = self._clock()

    def wait_for_turn(self, index: int) -> float:
        """Wait until request `index` is due; return how late it is being sent (seconds)."""
        if self._rate is None:
            return 0.0
        due = self._start + index / self._rate
        early = due - self._clock()
        if early > 0:
            self._pause(early)
        return max(0.0, self._clock() - due)


def send_prepared(
    base_url: str,
    prepared: list[SignedRequest],
    *,
    threads: int,
    warmup: int,
    rate: float | None = None,
) -> list[Outcome]:
    """`send_all` over requests built in advance (the first `warmup` of them untimed)."""
    return send_all(
        base_url,
        prepared.__getitem__,
        len(prepared) - warmup,
        threads=threads,
        warmup=warmup,
        rate=rate,
    )


def send_from_child_process(
    base_url: str,
    prepared: list[SignedRequest],
    *,
    threads: int,
    warmup: int,
    rate: float | None = None,
) -> list[Outcome]:
    """`send_prepared` in a fresh Python process, so the client threads do not share a GIL
    with the fake servers of this process (which the app under test calls while it works)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
        job = child.submit(
            send_prepared, base_url, prepared, threads=threads, warmup=warmup, rate=rate
        )
        return job.result()


def burst(
    base_url: str, make: RequestFactory, count: int, *, timeout: float = 15.0
) -> list[Outcome]:
    """`count` requests released together by a barrier, each on a new connection."""
    url = base_url.rstrip("/") + EVENTS_PATH
    prepared = [make(index) for index in range(count)]
    outcomes: list[Outcome | None] = [None] * count
    start_line = threading.Barrier(count)

    def client(index: int) -> None:
        with requests.Session() as session:
            start_line.wait()
            outcomes[index] = timed_post(session, url, prepared[index], timeout)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [outcome for outcome in outcomes if outcome is not None]
