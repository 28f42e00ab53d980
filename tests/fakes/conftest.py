"""Fixtures for the fakes' own tests: started fakes and clients pointed at them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from slack_sdk import WebClient

from tests.clock import FakeClock
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def slack(clock: FakeClock) -> Iterator[FakeSlack]:
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
