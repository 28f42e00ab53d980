"""Crashes during a burst: the promises measured while the app is killed, its disk fills up and a
slow-header flood holds sockets open.

`python -m bench.crash_run [--submissions 200] [--kills 3] [--seed 11] [--write-docs]` runs the
real `python app.py` (HTTP mode) between FakeSlack and FakeDrift and drives a burst of form
submissions, 8 at a time, while FakeDrift answers with 5xx, dropped connections and slow
answers. During the burst it kills the app with SIGKILL `--kills` times at random moments and
restarts it at once, fills the database's disk for a stretch (SQLite on a small tmpfs; needs
root to mount, skipped otherwise), and opens 150 slow-header sockets. Then it counts what Drift
holds and what every rep was told. `--write-docs` rewrites the crash block of
docs/reliability.md; without it nothing in the repository changes.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import requests

from bench.crash_count import CrashFigures, Submitted, count, told_about
from bench.fault_run import DRIFT_TOKEN, SIGNING_SECRET, find_form, form_values, rig_environment
from runtime.scopes import REQUIRED_BOT_SCOPES
from tests.e2e.app_process import AppProcess, free_port
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift, drift_user
from tests.fakes.signing import SlackHttpClient, SlackSigner
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slow_clients import Trickle

CREATE = "/conversations/new"
CONCURRENCY = 8
SETTLE_SECONDS = 60.0
TMPFS_BYTES = 8 * 1024 * 1024


@dataclass
class Episode:
    name: str
    at: float
    detail: str = ""


@dataclass
class CrashRun:
    slack: FakeSlack
    drift: FakeDrift
    environ: dict[str, str]
    db_dir: Path
    app: AppProcess
    episodes: list[Episode] = field(default_factory=list)
    restarts: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def restart(self) -> None:
        os.kill(self.app.pid, signal.SIGKILL)
        self.app.stop()
        # A new port: the old one may already belong to someone else on a busy machine.
        self.environ["PORT"] = str(free_port())
        self.app = AppProcess(self.environ).start()
        self.app.wait_until_healthy()
        self.restarts.append(time.monotonic())


@contextmanager
def database_dir(workdir: Path) -> Iterator[tuple[Path, bool]]:
    """A small tmpfs for the database when mounting is allowed (root), else a plain folder."""
    target = workdir / "db"
    target.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES}", "tmpfs", str(target)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield target, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(target)], capture_output=True)


def fill_disk(db_dir: Path) -> Path:
    filler = db_dir / "filler"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


def inject_fault(drift: FakeDrift, rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.1:
        drift.fail_next(500, path=CREATE)
    elif roll < 0.2:
        drift.drop_next(path=CREATE, after_processing=rng.random() < 0.5)


def drive_one(run: CrashRun, item: Submitted, rng: random.Random) -> None:
    try:
        with SlackHttpClient(run.app.url, SlackSigner(SIGNING_SECRET), timeout=5) as http:
            http.command(
                text=item.email,
                trigger_id=run.slack.new_trigger_id(),
                response_url=run.slack.response_url(),
            ).raise_for_status()
            view = run.slack.wait_for(lambda: find_form(run.slack, item.email), timeout=10)
            item.view_id = str(view["id"])
            with run.lock:
                inject_fault(run.drift, rng)
            payload = payloads.view_submission(
                view, form_values(item.email, "Crash run"), trigger_id=run.slack.new_trigger_id()
            )
            response = http.interactive(payload)
            response.raise_for_status()
            ack = response.json() if response.content else None
    except (requests.RequestException, TimeoutError, ValueError) as exc:
        item.refused = type(exc).__name__
        return
    run.slack.settle_submission(item.view_id, ack)
    item.acked = bool(ack and ack.get("response_action") == "update")
    if not item.acked:
        item.refused = f"form kept open: {ack}"


def burst(run: CrashRun, items: list[Submitted], kills: int, full_disk: bool, seed: int) -> None:
    rng = random.Random(seed)
    total = len(items)
    kill_at = sorted(rng.sample(range(total // 10, total - total // 10), kills))
    disk_at = (total * 2 // 5, total * 2 // 5 + total // 10) if full_disk else (-1, -1)
    flood_at = total // 3
    trickle: Trickle | None = None
    filler: Path | None = None
    running: set[Future[None]] = set()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        for index, item in enumerate(items):
            if len(running) >= CONCURRENCY:
                _, running = wait(running, return_when=FIRST_COMPLETED)
            if index in kill_at:
                run.episodes.append(Episode("kill -9 and restart", time.monotonic(), f"#{index}"))
                run.restart()
            if index == disk_at[0]:
                filler = fill_disk(run.db_dir)
                run.episodes.append(Episode("disk full", time.monotonic(), f"#{index}"))
            if index == disk_at[1] and filler is not None:
                filler.unlink()
                run.episodes.append(Episode("disk freed", time.monotonic(), f"#{index}"))
            if index == flood_at:
                trickle = Trickle(run.app.port, 150, every=1.0)
                run.episodes.append(Episode("150 slow-header sockets", time.monotonic()))
            running.add(pool.submit(drive_one, run, item, random.Random(rng.random())))
            print(f"\rsubmitted {index + 1}/{total}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if trickle is not None:
        trickle.close()
    if filler is not None and filler.exists():
        filler.unlink()


def settle(run: CrashRun, items: list[Submitted]) -> float:
    """Wait until every acked submission was told something; seconds after the last restart."""
    acked = [item for item in items if item.acked]
    with suppress(TimeoutError):
        run.slack.wait_for(
            lambda: all(told_about(run.slack, item).anything for item in acked) or None,
            SETTLE_SECONDS,
        )
    return time.monotonic() - (run.restarts[-1] if run.restarts else time.monotonic())


def run_crash_run(submissions: int, kills: int, seed: int) -> tuple[CrashFigures, dict[str, Any]]:
    users = [drift_user(21849, "Riley Rep", payloads.USER_EMAIL)]
    with (
        TemporaryDirectory(prefix="drift-open-crash-run-") as workdir,
        database_dir(Path(workdir)) as (db_dir, mounted),
        FakeSlack(scopes=frozenset(REQUIRED_BOT_SCOPES)) as slack,
        FakeDrift(access_token=DRIFT_TOKEN, users=users) as drift,
    ):
        # Every answer lands in one channel: Slack's posting limit scaled to this run's pace.
        slack.post_limit.per_second, slack.post_limit.burst = 100.0, 100
        environ = rig_environment(
            slack,
            drift,
            db_dir / "crash-run.sqlite3",
            1.0,
            HTTP_REQUEST_TIMEOUT_SECONDS="3",
            PORT=str(free_port()),
        )
        app = AppProcess(environ).start()
        app.wait_until_healthy()
        run = CrashRun(slack, drift, environ, db_dir, app)
        items = [Submitted(f"crash{n:03d}-{seed}@example.com") for n in range(submissions)]
        started = time.monotonic()
        try:
            burst(run, items, kills, mounted, seed)
            after_restart = settle(run, items)
        finally:
            run.app.stop()
        figures = count(slack, drift, items)
        facts = {
            "seconds": time.monotonic() - started,
            "last_report_after_restart": after_restart,
            "episodes": [(e.name, e.at - started, e.detail) for e in run.episodes],
            "full_disk": mounted,
        }
        return figures, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args(argv)
    figures, facts = run_crash_run(options.submissions, options.kills, options.seed)
    from bench.crash_report import render, write

    text = render(figures, facts, options)
    print(text)
    if options.write_docs:
        write(text)
    broken = figures.duplicates + figures.told_nothing + figures.contradictory + figures.lost
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
