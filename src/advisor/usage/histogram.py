"""Histograms of whole numbers (value -> count): their percentiles, and buckets to fold them into.

Token histograms and hourly request counts are both kept as counts per value, never as one entry
per request. `percentile` reads a quantile off such a histogram the way numpy does by default.
`bucket` and `fold` keep a histogram small when it holds too many distinct values: exact below
1024, else buckets 1/1024 wide (relative), so percentiles stay within 0.1%.
"""

from __future__ import annotations

import math
from collections import Counter


def bucket(value: int) -> int:
    """The representative of a token count's bucket: exact below 1024, else 1/1024 wide."""
    if value < 1024:
        return value
    shift = value.bit_length() - 10
    return ((value >> shift) << shift) + (1 << (shift - 1)) if shift > 0 else value


def fold(histogram: Counter[int]) -> Counter[int]:
    """The histogram with its values replaced by their buckets' representatives."""
    folded: Counter[int] = Counter()
    for value, count in histogram.items():
        folded[bucket(value)] += count
    return folded


def percentile(histogram: Counter[int] | dict[int, int], q: float) -> float:
    """The q-quantile (0..1) of the values a histogram counts, by linear interpolation between
    closest ranks (numpy's default): rank = q × (n − 1), counting from 0."""
    total = sum(histogram.values())
    if total == 0:
        return 0.0
    rank = q * (total - 1)
    low_rank, high_rank = math.floor(rank), math.ceil(rank)
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return low + (high - low) * (rank - low_rank)


def weighted_percentile(weights: dict[float, float], q: float) -> float:
    """The q-quantile (0..1) of values that carry weights (value -> total weight), `percentile`
    generalised to partial periods: a value of total weight w occupies the ranks C to
    C + max(w - 1, 0), C being the weight of the values below it; between one value's last rank
    and the next value's first the quantile is interpolated; rank = q × (W − 1), W the total
    weight. With whole weights (every period whole) this is exactly `percentile`."""
    items = sorted((value, weight) for value, weight in weights.items() if weight > 0)
    if not items:
        return 0.0
    total = math.fsum(weight for _, weight in items)
    rank = q * max(total - 1.0, 0.0)
    before = 0.0
    previous: tuple[float, float] | None = None  # (value, its last rank)
    for value, weight in items:
        if previous is not None and rank < before:
            low, low_end = previous
            return low + (value - low) * (rank - low_end) / (before - low_end)
        end = before + max(weight - 1.0, 0.0)
        if rank <= end:
            return value
        previous = (value, end)
        before += weight
    return items[-1][0]
