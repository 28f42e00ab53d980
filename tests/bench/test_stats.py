"""The nearest-rank percentile and the latency summary used by the benchmarks."""

from __future__ import annotations

import math

import pytest

from bench.stats import Summary, ms, percentile, ratio, verdict


@pytest.mark.parametrize(
    ("samples", "rank", "expected"),
    [
        ([5.0], 50, 5.0),
        ([5.0], 99, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
        ([4.0, 3.0, 2.0, 1.0], 50, 2.0),
        ([1.0, 2.0, 3.0, 4.0], 75, 3.0),
        ([1.0, 2.0, 3.0, 4.0], 76, 4.0),
        ([1.0, 2.0, 3.0, 4.0], 100, 4.0),
        ([float(n) for n in range(1, 101)], 95, 95.0),
        ([float(n) for n in range(1, 101)], 99, 99.0),
        ([float(n) for n in range(1, 1001)], 99, 990.0),
        ([float(n) for n in range(1, 11)], 1, 1.0),
    ],
)
def test_percentile_is_the_nearest_rank(samples: list[float], rank: float, expected: float) -> None:
    assert percentile(samples, rank) == expected


@pytest.mark.parametrize("rank", [0, -1, 100.5])
def test_percentile_rejects_ranks_outside_0_to_100(rank: float) -> None:
    with pytest.raises(ValueError, match="rank"):
        percentile([1.0], rank)


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        percentile([], 50)


def test_summary_takes_percentiles_and_max_of_unsorted_samples() -> None:
    samples = [float(n) for n in range(200, 0, -1)]
    summary = Summary.of(samples)
    assert summary == Summary(count=200, p50=100.0, p95=190.0, p99=198.0, max=200.0)


@pytest.mark.parametrize(
    ("ours", "baseline", "expected"), [(3.0, 2.0, 1.5), (1.0, 4.0, 0.25), (1.0, 0.0, math.inf)]
)
def test_ratio(ours: float, baseline: float, expected: float) -> None:
    assert ratio(ours, baseline) == expected


def test_cells() -> None:
    assert ms(0.01234) == "12.3 ms"
    assert (verdict(True), verdict(False)) == ("PASS", "FAIL")
