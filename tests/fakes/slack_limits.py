"""chat.postMessage's per-channel limit in FakeSlack: about one message per second per channel,
short bursts tolerated (docs.slack.dev/apis/web-api/rate-limits, "Posting messages").

A token bucket per channel: `burst` posts at once, refilled at `per_second`. A post that finds
it empty is HTTP 429 `ratelimited` with Retry-After in whole seconds (at least 1), as Slack
sends it; the post is not made. Slack publishes no burst size: 5 is this fake's choice, and
tests that need bursts to land quickly scale `per_second` up rather than switch the limit off.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PostLimit:
    """Per-channel posting budget; `allow(channel)` is None when allowed, else Retry-After."""

    clock: Callable[[], float]
    per_second: float = 1.0
    burst: int = 5
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    refused: int = 0

    def allow(self, channel: str) -> int | None:
        if self.per_second <= 0:
            return None
        now = self.clock()
        tokens, at = self._buckets.get(channel, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.per_second)
        if tokens >= 1.0:
            self._buckets[channel] = (tokens - 1.0, now)
            return None
        self._buckets[channel] = (tokens, now)
        self.refused += 1
        return max(1, math.ceil((1.0 - tokens) / self.per_second))
