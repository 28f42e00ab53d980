"""The sync loop of one process: while it holds the store's lease, send the mirror queue and,
on a thread of its own so a slow Drift never holds up sending, poll Drift (when polling);
other replicas only queue what reaches them and wait."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from dataclasses import dataclass, field

from handlers.flow.sync_poller import DriftPoller
from handlers.flow.sync_sender import MirrorSender
from storage.protocol import Store

logger = logging.getLogger(__name__)

LEASE_NAME = "drift-sync"
LEASE_SECONDS = 10.0
TICK_SECONDS = 0.5
# One message per take: a clean stop then leaves nothing held (the one being sent is finished
# and recorded first), so the next process resumes at once, in order.
BATCH = 1


def new_holder_id() -> str:
    """Unique per process: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class SyncWorker:
    """`run(stop)` until `stop`; `wake` (set when something is queued here) cuts a tick short."""

    store: Store
    sender: MirrorSender
    poller: DriftPoller | None
    poll_seconds: float
    wake: threading.Event = field(default_factory=threading.Event)
    holder: str = field(default_factory=new_holder_id)
    _leading: bool = False

    def run(self, stop: threading.Event) -> None:
        polling = None
        if self.poller is not None:
            polling = threading.Thread(target=self._poll, args=(stop,), name="poll", daemon=True)
            polling.start()
        try:
            while not stop.is_set():
                self.tick()
                self.wake.wait(TICK_SECONDS)
                self.wake.clear()
        finally:
            if polling is not None:
                polling.join(TICK_SECONDS * 4)
            self._release()

    def tick(self) -> None:
        """One pass: renew or take the lease; if held, send what is queued."""
        try:
            if not self._hold():
                return
            while self.sender.send_pending(BATCH, still_mine=self._hold) == BATCH:
                pass
        except Exception:
            logger.exception("The sync pass failed; it runs again shortly")

    def poll_tick(self) -> int:
        """One polling round if this process holds the lease; the messages queued."""
        if self.poller is None or not self._leading:
            return 0
        try:
            queued = self.poller.poll_once()
        except Exception:
            logger.exception("A polling round failed; the next one runs as planned")
            return 0
        if queued:
            self.wake.set()
        return queued

    def _poll(self, stop: threading.Event) -> None:
        while not stop.wait(self.poll_seconds):
            self.poll_tick()

    def _hold(self) -> bool:
        held = self.store.hold_lease(LEASE_NAME, self.holder, LEASE_SECONDS)
        if held != self._leading:
            self._leading = held
            logger.info("This process %s the sync", "now runs" if held else "no longer runs")
        return held

    def _release(self) -> None:
        """On a clean stop the next replica need not wait for the lease to run out."""
        if self._leading:
            try:
                self.store.hold_lease(LEASE_NAME, self.holder, 0.0)
            except Exception:
                logger.info("The sync lease could not be released; it runs out by itself")
