"""The window the logs observed, and the traffic figures over it: rates, peaks per hour or per
minute, sub-hour bursts, the daily load curve. Known answers by hand, and an independent
computation where the pattern is random."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from usage_logs import MODELS, START, Request, reference, requests, write_csv

from advisor.core.catalog.load import default_catalog
from advisor.usage.histogram import percentile, weighted_percentile
from advisor.usage.summary import analyse
from advisor.usage.summary_json import summary_json

CATALOG = default_catalog()


def at(*stamps: datetime) -> list[Request]:
    return [Request(t, MODELS[0], 100, 10) for t in stamps]


def every(start: datetime, step: timedelta, count: int) -> list[Request]:
    return at(*(start + k * step for k in range(count)))


def summary(tmp_path: Path, rows: list[Request]):  # type: ignore[no-untyped-def]
    return analyse([write_csv(tmp_path / "log.csv", rows, "seconds")], CATALOG)


# -- the window ------------------------------------------------------------------------------


def test_an_hour_of_steady_traffic_is_a_day_of_it(tmp_path: Path) -> None:
    """One request a second for 58 minutes: 86,400 a day, not 3,480 (requests ÷ one calendar
    day); steady minute by minute."""
    rows = every(START.replace(hour=18, minute=15), timedelta(seconds=1), 58 * 60 + 1)
    s = summary(tmp_path, rows)
    assert s.window.kind == "span" and s.window.seconds == 58 * 60
    assert s.requests_per_day == pytest.approx((58 * 60 + 1) / (58 * 60) * 86_400)
    assert s.resolution == "minute"
    assert s.peak_to_average == pytest.approx(1.0, abs=0.02) and s.variability == "steady"
    assert s.minute_peak_to_average == s.peak_to_average
    assert s.burst_to_average == pytest.approx(1.0, abs=0.02)
    assert s.monthly_bill == pytest.approx(s.bill / (58 / 60 / 24) * 30)
    assert any("less than a day" in w for w in s.warnings)


def test_one_request_is_no_rate(tmp_path: Path) -> None:
    s = summary(tmp_path, at(START.replace(hour=9)))
    assert s.window.too_short and s.window.kind == "calendar days" and s.window.days == 1
    assert s.requests_per_day == 1
    assert any("too short to measure a rate" in w for w in s.warnings)
    assert s.profile_values()["traffic"]["peak_to_average"] == 1.0  # the profile's floor
    assert s.hourly_load is None  # one request draws no daily curve


def test_requests_in_the_same_second_are_no_rate(tmp_path: Path) -> None:
    s = summary(tmp_path, at(*[START.replace(hour=12)] * 40))
    assert s.window.too_short and s.window.span == 0
    assert s.requests_per_day == 40  # ÷ the one calendar day, said to be no measurement
    assert "too short to measure a rate" in summary_json(s)["window"]["described"]  # type: ignore[index]


def test_a_minute_is_the_shortest_span_measured(tmp_path: Path) -> None:
    s = summary(tmp_path, at(START, START + timedelta(seconds=60)))
    assert not s.window.too_short and s.window.kind == "span"
    assert s.requests_per_day == 2 * 1440


def test_five_days_with_empty_nights_are_five_days(tmp_path: Path) -> None:
    """The first request comes at 06:00 on day 1: the nights' empty hours are quiet hours of
    the calendar days, not hours the logs missed. requests ÷ 5 days, as before."""
    rows = requests()
    s = summary(tmp_path, rows)
    assert min(r.at for r in rows).hour == 6
    assert s.window.kind == "calendar days" and s.window.days == 5
    assert s.window.quiet_share is not None and s.window.quiet_share < 0.005
    assert s.requests_per_day == len(rows) / 5
    assert s.peak_to_average == pytest.approx(reference(rows)["peak_to_average"])


def test_a_rolling_week_is_its_span(tmp_path: Path) -> None:
    """The last 7 x 24 hours of a steady service, exported at 14:00: 8 calendar days, but the
    day the logs miss is a busy one (1/7 of the requests expected there): the window is the
    span, and the rate is the service's, not 7/8 of it."""
    first = START.replace(hour=14, second=30)
    rows = every(first, timedelta(minutes=1), 7 * 24 * 60)
    s = summary(tmp_path, rows)
    assert s.days == 8 and s.window.kind == "span"
    assert s.window.quiet_share == pytest.approx(1 / 7, rel=0.01)
    assert s.requests_per_day == pytest.approx(1440, rel=0.001)
    assert s.resolution == "hour"
    # Partial first and last hours count as rates: the steady service is steady.
    assert s.peak_to_average == pytest.approx(1.0, abs=0.01)
    assert s.hourly_load == pytest.approx([1.0] * 24, abs=0.01)


def test_a_day_and_a_half_is_measured_per_minute(tmp_path: Path) -> None:
    rows = every(START.replace(hour=6), timedelta(seconds=30), 36 * 120)
    s = summary(tmp_path, rows)
    assert s.window.kind == "span" and 1 < s.window.days < 2
    assert s.resolution == "minute"
    assert s.peak_to_average == pytest.approx(1.0, abs=0.01)
    assert s.hourly_load is not None  # a day or more: the daily curve is kept
    assert sum(s.hourly_load) == pytest.approx(24)


def test_a_request_exactly_at_the_end_of_a_minute_is_counted(tmp_path: Path) -> None:
    """The span ends at 10:02:00.000 sharp: that minute is not covered at all, so its request
    counts in the minute before, not as an infinite rate."""
    rows = at(
        START.replace(hour=10), START.replace(hour=10, minute=1), START.replace(hour=10, minute=2)
    )
    s = summary(tmp_path, rows)
    assert s.window.seconds == 120 and s.requests_per_day == 3 / 120 * 86400
    assert math.isfinite(s.peak_to_average) and math.isfinite(s.burst_to_average)
    # Minutes of 1 and 2 requests: p95 1.95, over a mean of 1.5 a minute.
    assert s.peak_to_average == pytest.approx(1.95 / 1.5)


# -- bursts and the daily curve ------------------------------------------------------------


def test_bursts_by_hand(tmp_path: Path) -> None:
    """Three calendar days of one request a minute: every minute is its hour's mean, burst
    1.0. Then, in 60 of the 72 hours, the requests of minutes 1-4 all come in minute 0:
    5x the hour's mean in 60 of 4,320 minutes (1.4%, above the 1% of p99)."""
    rows = every(START, timedelta(minutes=1), 3 * 24 * 60)
    assert summary(tmp_path, rows).burst_to_average == pytest.approx(1.0)
    bursty = [
        r._replace(at=r.at.replace(minute=0)) if r.at.minute < 5 and r.at.hour < 20 else r
        for r in rows
    ]
    s = summary(tmp_path, bursty)
    assert s.window.kind == "calendar days" and s.resolution == "hour"
    assert s.peak_to_average == pytest.approx(1.0)  # every hour the same: no hourly peak
    assert s.burst_to_average == pytest.approx(5.0)
    assert s.busiest_minute_count == 5


def test_bursts_against_an_independent_computation(tmp_path: Path) -> None:
    rng = random.Random(11)
    start = START.replace(hour=3)
    rows = at(*(start + timedelta(seconds=rng.randrange(4 * 86400)) for _ in range(20_000)))
    rows += at(start, start + timedelta(days=4))  # the span: exactly four days from 03:00
    s = summary(tmp_path, rows)
    first, last = min(r.at for r in rows), max(r.at for r in rows)
    per_minute = Counter(int(r.at.timestamp() // 60) for r in rows)
    per_hour = Counter(int(r.at.timestamp() // 3600) for r in rows)
    # The last request sits at 03:00:00 sharp: its minute holds none of the span.
    last_minute = int(last.timestamp() // 60)
    per_minute[last_minute - 1] += per_minute.pop(last_minute)
    per_hour[last_minute // 60 - 1] += per_hour.pop(last_minute // 60)
    ratios = [
        per_minute[m] / (per_hour[m // 60] / 60)
        for m in range(int(first.timestamp() // 60), last_minute)
        if per_hour[m // 60]
    ]
    hours = [per_hour[h] for h in range(int(first.timestamp() // 3600), last_minute // 60)]
    assert s.window.kind == "span" and s.window.days == 4  # 4 days, over 5 calendar days
    assert s.requests_per_day == pytest.approx(len(rows) / 4)
    assert s.resolution == "hour"
    want_p2a = statistics.quantiles(hours, n=100, method="inclusive")[94] / statistics.fmean(hours)
    assert s.peak_to_average == pytest.approx(want_p2a)
    want_burst = statistics.quantiles(ratios, n=100, method="inclusive")[98]
    assert s.burst_to_average == pytest.approx(want_burst)
    # The same traffic per minute, over all 5,760 minutes of the four days.
    minutes = [per_minute[m] for m in range(int(first.timestamp() // 60), last_minute)]
    assert len(minutes) == 4 * 1440
    want_minute = statistics.quantiles(minutes, n=100, method="inclusive")[94]
    assert s.minute_peak_to_average == pytest.approx(want_minute / statistics.fmean(minutes))


def test_the_daily_curve(tmp_path: Path) -> None:
    """Five days, nights empty, office hours busy: hourly_load is each hour of the day's mean
    ÷ the mean of the 24, so the 24 figures average 1.0; the nights are 0."""
    rows = requests()
    s = summary(tmp_path, rows)
    by_hour = Counter(r.at.hour for r in rows)
    means = [by_hour[h] / 5 for h in range(24)]
    assert s.hour_of_day == pytest.approx(means)
    assert s.hourly_load == pytest.approx([m / statistics.fmean(means) for m in means])
    assert statistics.fmean(s.hourly_load or []) == pytest.approx(1.0)
    assert s.hourly_load is not None and s.hourly_load[3] == 0 and s.hourly_load[14] > 1.5
    assert summary_json(s)["hourly_load"] == pytest.approx(s.hourly_load, abs=1e-4)


def test_no_daily_curve_under_a_day(tmp_path: Path) -> None:
    rows = every(START.replace(hour=1), timedelta(minutes=1), 20 * 60)
    s = summary(tmp_path, rows)
    assert s.hourly_load is None and summary_json(s)["hourly_load"] is None


# -- weighted percentiles ---------------------------------------------------------------------


def test_weighted_percentile_is_numpy_linear_for_whole_periods() -> None:
    rng = random.Random(2)
    for _ in range(200):
        values = Counter(rng.randint(0, 40) for _ in range(rng.randint(1, 300)))
        weights = {float(v): float(c) for v, c in values.items()}
        for quantile in (0.0, 0.5, 0.95, 0.99, 1.0):
            assert weighted_percentile(weights, quantile) == pytest.approx(
                percentile(values, quantile)
            )


def test_weighted_percentile_a_sliver_at_the_top_moves_little() -> None:
    """A partial period of 1% of a period, at a high rate, barely moves the p95 of 100."""
    whole = {float(v): 1.0 for v in range(100)}
    assert weighted_percentile(whole, 0.95) == pytest.approx(94.05)
    assert weighted_percentile({**whole, 1000.0: 0.01}, 0.95) == pytest.approx(94.0595)


def test_the_clock_is_utc(tmp_path: Path) -> None:
    """The window's ends and hours are UTC whatever zone the stamps were written in."""
    rows = every(datetime(2024, 6, 1, 22, tzinfo=UTC), timedelta(minutes=5), 12 * 24 * 2)
    s = analyse([write_csv(tmp_path / "log.csv", rows, "offset")], CATALOG)
    assert s.first == datetime(2024, 6, 1, 22, tzinfo=UTC)
    assert s.window.kind == "span" and s.window.days == pytest.approx(2 - 5 / 1440)
