"""The submit handler: the submission is durably recorded before the "Creating…" ack."""

from __future__ import annotations

import json
from concurrent.futures import Executor, Future
from dataclasses import replace
from typing import Any

from app import create_app
from handlers.flow.services import Services
from handlers.submission import STORE_DOWN
from handlers.ui import ids, views
from storage.records import Draft
from tests.conftest import Harness
from tests.forms import form_values


def with_services(harness: Harness, services: Services) -> Harness:
    app = create_app(services.settings, services, harness.app.client)
    return replace(harness, app=app, services=services)


class HeldExecutor(Executor):
    """Keeps every job without running it: as if the process died right after the ack."""

    def __init__(self) -> None:
        self.jobs: list[Any] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.jobs.append((fn, args))
        return Future()


def test_the_claim_is_recorded_before_the_ack(harness: Harness) -> None:
    held = HeldExecutor()
    harness = with_services(harness, replace(harness.services, executor=held))
    harness.command()
    view = harness.opened_view()
    response = harness.submit(view, form_values("jane@acme.com", "Hi"))
    assert json.loads(response.body)["response_action"] == "update"
    [(_, (job,))] = held.jobs
    again = harness.services.store.claim(job.key, job.draft)
    assert again.state == "pending"


class ClaimFails:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def claim(self, key: str, draft: Draft) -> Any:
        raise OSError("database or disk is full")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_store_that_cannot_record_keeps_the_form_open_with_a_sentence(harness: Harness) -> None:
    broken = replace(harness.services, store=ClaimFails(harness.services.store))
    harness = with_services(harness, broken)
    harness.command()
    view = harness.opened_view()
    ack = json.loads(harness.submit(view, form_values("jane@acme.com", "Hi")).body)
    assert ack == {"response_action": "errors", "errors": {ids.EMAIL_BLOCK: STORE_DOWN}}
    assert views.decode_metadata(view["private_metadata"])
