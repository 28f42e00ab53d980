"""Fixtures for the fakes' own tests: started fakes, clients pointed at them, a manual clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from slack_sdk import WebClient

from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def slack(clock: ManualClock) -> Iterator[FakeSlack]:
    fake = FakeSlack(clock=clock)
    with fake:
        yield fake
    assert fake.server_errors == []


@pytest.fixture
def web(slack: FakeSlack) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])


@pytest.fixture
def drift() -> Iterator[FakeDrift]:
    fake = FakeDrift()
    with fake:
        yield fake
    assert fake.server_errors == []


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as http:
        yield http
