"""FakeSlack's chat.postMessage limit: a burst, then 429 with Retry-After, per channel."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes import payloads
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_limits import PostLimit
from tests.fakes.timing import OffsetClock


def test_a_bucket_refills_at_its_rate() -> None:
    clock = OffsetClock()
    limit = PostLimit(clock, per_second=1.0, burst=2)
    assert [limit.allow("C1"), limit.allow("C1")] == [None, None]
    assert limit.allow("C1") == 1
    assert limit.allow("C2") is None  # another channel has its own budget
    clock.advance(1.0)
    assert limit.allow("C1") is None
    assert limit.refused == 1


def test_posting_faster_than_the_limit_is_429_with_retry_after() -> None:
    with FakeSlack() as slack:
        web = WebClient(token=slack.bot_token, base_url=slack.base_url)
        for _ in range(slack.post_limit.burst):
            web.chat_postMessage(channel=payloads.CHANNEL_ID, text="hi")
        with pytest.raises(SlackApiError) as refused:
            web.chat_postMessage(channel=payloads.CHANNEL_ID, text="one too many")
        assert refused.value.response.status_code == 429
        assert refused.value.response["error"] == "ratelimited"
        assert int(refused.value.response.headers["Retry-After"]) >= 1
        assert len(slack.messages) == slack.post_limit.burst
        slack.advance(1.0)
        web.chat_postMessage(channel=payloads.CHANNEL_ID, text="after waiting")
