"""Latency statistics: the nearest-rank percentile and a p50/p95/p99 summary of a sample."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], rank: float) -> float:
    """The nearest-rank percentile: the smallest sample with at least `rank`% of samples <= it."""
    if not samples:
        raise ValueError("percentile of an empty sample")
    if not 0 < rank <= 100:
        raise ValueError(f"rank must be in (0, 100], got {rank}")
    ordered = sorted(samples)
    index = math.ceil(rank / 100 * len(ordered)) - 1
    return ordered[max(index, 0)]


@dataclass(frozen=True)
class Summary:
    """A latency sample in seconds, summarised."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        return cls(
            count=len(samples),
            p50=percentile(samples, 50),
            p95=percentile(samples, 95),
            p99=percentile(samples, 99),
            max=max(samples),
        )


def ms(seconds: float) -> str:
    """Seconds as milliseconds for a table cell: "12.3 ms"."""
    return f"{seconds * 1000:.1f} ms"


def ratio(ours: float, baseline: float) -> float:
    """ours / baseline; infinite when the baseline is zero."""
    return ours / baseline if baseline > 0 else math.inf


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"
