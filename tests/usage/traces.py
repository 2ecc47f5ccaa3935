"""Azure LLM inference traces (the 2023 public dataset's format) and their figures, computed
independently of advisor.usage.

`independent(path)` reads a trace with the csv module and plain lists: the rate over the
observed span, token means, per-minute p95 over the mean minute, and the sub-hour burst figure
(p99 over whole minutes of each minute's count over its hour's mean minute).
`write_trace` writes a trace byte for byte as Azure publishes them (CRLF line ends, seven
fractional digits, no final line end). `scripts/check_trace.py` runs the same comparison on
a real trace a person has downloaded (the traces themselves are not shipped here).
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import random
import statistics
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens"


class Trace(NamedTuple):
    stamps: list[float]  # Unix seconds
    inputs: list[int]
    outputs: list[int]


class Figures(NamedTuple):
    requests: int
    requests_per_day: float
    input_mean: float
    output_mean: float
    peak_to_average: float  # p95 of whole minutes ÷ the mean minute over the span
    burst_to_average: float  # p99 of whole minutes ÷ their hour's mean minute


def _stamp(text: str) -> float:
    day, clock = text.split(" ")
    year, month, date = (int(x) for x in day.split("-"))
    hour, minute, second = clock.split(":")
    midnight = datetime(year, month, date, tzinfo=UTC).timestamp()
    return midnight + int(hour) * 3600 + int(minute) * 60 + float(second)


def read_trace(path: Path) -> Trace:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
    return Trace(
        [_stamp(r["TIMESTAMP"]) for r in rows],
        [int(r["ContextTokens"]) for r in rows],
        [int(r["GeneratedTokens"]) for r in rows],
    )


def _q(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def independent(trace: Trace) -> Figures:
    n = len(trace.stamps)
    first, last = min(trace.stamps), max(trace.stamps)
    span = last - first
    per_minute = Counter(math.floor(t / 60) for t in trace.stamps)
    per_hour = Counter(math.floor(t / 3600) for t in trace.stamps)
    whole = range(math.floor(first / 60) + 1, math.floor(last / 60))  # minutes wholly inside
    counts = [per_minute[m] for m in whole]
    ratios = []
    for m in whole:
        hour = m // 60
        covered = min(last, (hour + 1) * 3600) - max(first, hour * 3600)
        ratios.append(per_minute[m] / (per_hour[hour] / (covered / 60)))
    return Figures(
        n,
        n / span * 86400,
        statistics.fmean(trace.inputs),
        statistics.fmean(trace.outputs),
        _q(counts, 95) / (n / (span / 60)),
        _q(ratios, 99),
    )


def write_trace(path: Path, trace: Trace) -> None:
    """As Azure writes them: CRLF, seven fractional digits, no final line end (gzip if .gz)."""
    lines = [HEADER]
    for at, n_in, n_out in zip(trace.stamps, trace.inputs, trace.outputs, strict=True):
        moment = datetime.fromtimestamp(at, UTC)
        lines.append(f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond:06d}0,{n_in},{n_out}")
    data = "\r\n".join(lines).encode()
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def generated(seed: int, rate: float, seconds: float, bursts: float = 0.0) -> Trace:
    """A service's hour of traffic, made up (not production data): Poisson arrivals at `rate`
    per second; with `bursts`, a fifth of the minutes run at (1 + bursts) x the rate. Tokens
    are long-tailed, as chat and code prompts are."""
    rng = random.Random(seed)
    start = datetime(2023, 11, 16, 18, 15, 46, 680590, tzinfo=UTC).timestamp()
    stamps: list[float] = []
    minute_rates: dict[int, float] = {}
    at = start
    while True:
        minute = math.floor(at / 60)
        if minute not in minute_rates:
            burst = bursts if rng.random() < 0.2 else 0.0
            minute_rates[minute] = rate * (1 + burst)
        at += rng.expovariate(minute_rates[minute])
        if at > start + seconds:
            break
        stamps.append(round(at, 6))
    inputs = [max(1, int(rng.lognormvariate(6.6, 1.0))) for _ in stamps]
    outputs = [max(1, int(rng.lognormvariate(5.0, 0.9))) for _ in stamps]
    return Trace(stamps, inputs, outputs)
