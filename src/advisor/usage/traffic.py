"""When the requests came: the window the logs observed, the rate over it, the peak at the
resolution that sizes hardware, sub-hour bursts and the daily load curve.

Definitions (the README's table and `advisor.usage.definitions.DEFINITIONS` say the same):

- the window: the time the logs observed. It is the span, first to last request (UTC), except:
  logs over two calendar days or more whose first and last requests leave only quiet hours of
  those days uncovered (fewer than `QUIET_SHARE` of the requests expected there, at the rate
  each hour of the day has inside the span) cover their calendar days, first to last date
  inclusive, midnight to midnight UTC (a daily export of a service with quiet nights); and a
  span under `SHORTEST_SPAN` (one request, or all in the same second) gives no rate, so its
  calendar days are used, with a warning;
- `requests_per_day` = requests ÷ the window, in days;
- the periods: the UTC hours of the window when it lasts `MINUTES_BELOW_DAYS` days or more,
  else its UTC minutes; a period the window covers only in part (the first and the last) counts
  as a rate (its requests ÷ the covered fraction) weighted by that fraction in the percentiles;
- `peak_to_average` = the 95th percentile of the requests per period ÷ their mean (requests ÷
  the window's length in periods);
- `minute_peak_to_average`: the same over the window's minutes, whatever its length (it is
  `peak_to_average` for a window under two days);
- `burst_to_average` = the 99th percentile, over the window's minutes, of the requests in a
  minute ÷ the mean per minute of its UTC hour (inside the window); hours without requests have
  no bursts and are left out: what a replica sized for an hour's mean load meets within it;
- `hourly_load` (a window of a day or more): for each UTC hour of the day, the mean requests in
  that hour over the window (partial hours by their covered fraction), ÷ the mean of the 24, so
  that the 24 figures average 1.0.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from advisor.usage.histogram import weighted_percentile

MINUTE, HOUR, DAY = 60, 3600, 86400
SHORTEST_SPAN = 60.0  # seconds: a shorter span gives no rate
QUIET_SHARE = 0.02  # of the requests, expected in the calendar days' uncovered hours
MINUTES_BELOW_DAYS = 2.0  # a shorter window has its peak measured per minute
PEAK_QUANTILE = 0.95
BURST_QUANTILE = 0.99
TIMELINE_COLUMNS = 72

Minutes = dict[int, "array[int]"]  # hour index (Unix seconds // 3600) -> 60 minute counts


@dataclass(frozen=True)
class Window:
    """The time the logs observed, in Unix seconds (UTC)."""

    start: float
    end: float
    kind: str  # "span" | "calendar days"
    first: float  # the first and the last request
    last: float
    calendar_days: int  # UTC dates from the first request's to the last's, inclusive
    quiet_share: float | None  # requests expected outside the span in its calendar days ÷ all
    too_short: bool = False  # the span is under SHORTEST_SPAN: no rate measured

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def days(self) -> float:
        return self.seconds / DAY

    @property
    def hours(self) -> float:
        return self.seconds / HOUR

    @property
    def span(self) -> float:
        """Seconds from the first request to the last."""
        return self.last - self.first


@dataclass(frozen=True)
class Traffic:
    window: Window
    requests_per_day: float
    resolution: str  # "hour" or "minute": the periods of peak_to_average
    mean_per_period: float
    p95_per_period: float
    peak_to_average: float
    minute_peak_to_average: float  # the same per minute, whatever the window's length
    busiest_count: int  # requests in the busiest period (whole or partial)
    busiest_start: float  # its start, Unix seconds
    burst_to_average: float
    busiest_minute_count: int
    busiest_minute_start: float
    hour_of_day: list[float] | None  # mean requests in each UTC hour of the day, 00..23
    hourly_load: list[float] | None  # the same ÷ their mean (mean 1.0)
    timeline: list[float]  # the busiest period (timeline_unit) in each column of the window
    timeline_unit: str  # "hour" or "minute"
    periods_per_column: int
    busy_share: float = 1.0  # share of the periods (weighted by coverage) with any request


def _buckets(
    start: float, end: float, size: int, count: Callable[[int], int]
) -> Iterator[tuple[int, float, int]]:
    """(bucket index, covered fraction, requests) for each bucket of `size` seconds that
    [start, end] covers. A bucket it only touches at its end (covered 0) is left out:
    `fold_end` has moved the requests made at that instant into the minute before."""
    for index in range(math.floor(start / size), math.floor(end / size) + 1):
        low = max(start, index * size)
        high = min(end, (index + 1) * size)
        covered = (high - low) / size
        if covered > 0:
            yield index, covered, count(index)


def fold_end(minutes: Minutes, last: float) -> Minutes:
    """The minute counts with the requests made exactly at the start of a minute that is also
    the end of the span (`last`) moved into the minute before: the span covers none of that
    minute, so they belong to the one it does cover. The accumulator's arrays are not changed."""
    if last % MINUTE:
        return minutes
    index = int(last // MINUTE)
    hour, minute = divmod(index, 60)
    row = minutes.get(hour)
    if row is None or not row[minute]:
        return minutes
    folded = dict(minutes)
    moved = array("I", row)
    count, moved[minute] = moved[minute], 0
    folded[hour] = moved
    before_hour, before_minute = divmod(index - 1, 60)
    before = array("I", folded.get(before_hour, array("I", bytes(240))))
    before[before_minute] += count
    folded[before_hour] = before
    return folded


def _minute_count(minutes: Minutes) -> Callable[[int], int]:
    def count(index: int) -> int:
        hour, minute = divmod(index, 60)
        row = minutes.get(hour)
        return row[minute] if row is not None else 0

    return count


def _hour_count(hours: dict[int, int]) -> Callable[[int], int]:
    return lambda index: hours.get(index, 0)


def _by_hour_of_day(
    start: float, end: float, hours: dict[int, int]
) -> tuple[list[float], list[float]]:
    """(requests, hours covered) in each UTC hour of the day over [start, end]."""
    counts, covered = [0.0] * 24, [0.0] * 24
    for index, fraction, count in _buckets(start, end, HOUR, _hour_count(hours)):
        counts[index % 24] += count
        covered[index % 24] += fraction
    return counts, covered


def _quiet_share(
    first: float, last: float, days: int, hours: dict[int, int], n: int
) -> float | None:
    """The requests expected in the calendar days' hours outside [first, last], at the rate
    each hour of the day has inside it, ÷ n; None when an uncovered hour of the day is never
    seen inside the span (its rate is unknown)."""
    counts, covered = _by_hour_of_day(first, last, hours)
    expected = 0.0
    for count, seen in zip(counts, covered, strict=True):
        outside = days - seen
        if outside <= 1e-9:
            continue
        if seen <= 0:
            return None
        expected += outside * count / seen
    return expected / n


def choose_window(first: float, last: float, hours: dict[int, int], n: int) -> Window:
    """The window the logs observed (see the module docstring)."""
    first_day, last_day = math.floor(first / DAY), math.floor(last / DAY)
    days = last_day - first_day + 1
    calendar = (float(first_day * DAY), float((last_day + 1) * DAY))
    if last - first < SHORTEST_SPAN:
        return Window(*calendar, "calendar days", first, last, days, None, too_short=True)
    quiet = _quiet_share(first, last, days, hours, n)
    if days >= 2 and quiet is not None and quiet <= QUIET_SHARE:
        return Window(*calendar, "calendar days", first, last, days, quiet)
    return Window(first, last, "span", first, last, days, quiet)


def _sample(
    start: float, end: float, size: int, count: Callable[[int], int]
) -> tuple[dict[float, float], int, float, list[tuple[int, int]]]:
    """(rate per period -> weight, busiest count, its start, [(index, count)] of every period)."""
    sample: dict[float, float] = {}
    busiest, busiest_start = -1, start
    periods = []
    for index, fraction, requests in _buckets(start, end, size, count):
        value = requests / fraction if fraction < 1 else float(requests)
        sample[value] = sample.get(value, 0.0) + fraction
        periods.append((index, requests))
        if requests > busiest:
            busiest, busiest_start = requests, max(start, float(index * size))
    return sample, busiest, busiest_start, periods


def _minute_peak(window: Window, minutes: Minutes, n: int) -> float:
    """minute_peak_to_average: the p95 of requests per minute ÷ their mean, over the whole
    window whatever its length (whole hours by distinct count, so years stay quick)."""
    sample: dict[float, float] = {}
    for hour in range(math.floor(window.start / HOUR), math.floor(window.end / HOUR) + 1):
        low = max(window.start, float(hour * HOUR))
        high = min(window.end, float((hour + 1) * HOUR))
        if high <= low:
            continue
        row = minutes.get(hour)
        if high - low == HOUR:
            counts = Counter(row) if row is not None else Counter({0: 60})
            for count, minutes_with in counts.items():
                sample[float(count)] = sample.get(float(count), 0.0) + minutes_with
            continue
        for _, fraction, count in _buckets(low, high, MINUTE, _minute_count(minutes)):
            value = count / fraction
            sample[value] = sample.get(value, 0.0) + fraction
    return weighted_percentile(sample, PEAK_QUANTILE) / (n / (window.seconds / MINUTE))


def _burst(window: Window, minutes: Minutes) -> float:
    """burst_to_average (see the module docstring)."""
    sample: dict[float, float] = {}
    for hour, row in minutes.items():
        low = max(window.start, float(hour * HOUR))
        high = min(window.end, float((hour + 1) * HOUR))
        total = sum(row)
        if high <= low or not total:
            continue
        mean = total / ((high - low) / MINUTE)  # requests per minute in the covered part
        if high - low == HOUR:  # a whole hour: by distinct count
            for count, minutes_with in Counter(row).items():
                value = count / mean
                sample[value] = sample.get(value, 0.0) + minutes_with
            continue
        for _, fraction, count in _buckets(low, high, MINUTE, _in_row(row, hour)):
            value = count / fraction / mean
            sample[value] = sample.get(value, 0.0) + fraction
    return weighted_percentile(sample, BURST_QUANTILE)


def _in_row(row: array[int], hour: int) -> Callable[[int], int]:
    return lambda index: row[index - hour * 60]


def _timeline(
    periods: list[tuple[int, int]], start_index: int, columns: int
) -> tuple[list[float], int]:
    per_column = max(1, math.ceil(len(periods) / columns))
    timeline = [0.0] * math.ceil(len(periods) / per_column) if periods else []
    for index, count in periods:
        column = (index - start_index) // per_column
        timeline[column] = max(timeline[column], float(count))
    return timeline, per_column


def measure(first: float, last: float, minutes: Minutes, n: int) -> Traffic:
    """The traffic figures of n requests, first to last, counted per minute."""
    in_span = fold_end(minutes, last)
    hours = {hour: sum(row) for hour, row in in_span.items()}
    window = choose_window(first, last, hours, n)
    if window.kind == "span":
        minutes = in_span
    elif in_span is not minutes:  # whole calendar days: every minute is inside, none moves
        hours = {hour: sum(row) for hour, row in minutes.items()}
    per_minute = window.days < MINUTES_BELOW_DAYS
    size = MINUTE if per_minute else HOUR
    count = _minute_count(minutes) if per_minute else _hour_count(hours)
    sample, busiest, busiest_start, periods = _sample(window.start, window.end, size, count)
    mean = n / (window.seconds / size)
    p95 = weighted_percentile(sample, PEAK_QUANTILE)

    if per_minute:
        busiest_minute, busiest_minute_start = busiest, busiest_start
    else:  # the busiest minute, from the busy hours only
        busiest_minute, busiest_minute_start = 0, window.start
        for hour, row in minutes.items():
            top = max(row)
            start = float((hour * 60 + row.index(top)) * MINUTE)
            if top > busiest_minute or (top == busiest_minute and start < busiest_minute_start):
                busiest_minute, busiest_minute_start = top, start

    hour_of_day = hourly_load = None
    if window.seconds >= DAY and not window.too_short:
        counts, covered = _by_hour_of_day(window.start, window.end, hours)
        hour_of_day = [c / s for c, s in zip(counts, covered, strict=True)]
        average = math.fsum(hour_of_day) / 24
        hourly_load = [h / average for h in hour_of_day]

    unit = "minute" if window.seconds < DAY else "hour"
    if unit == ("minute" if per_minute else "hour"):
        line_periods = periods
    else:
        line_periods = [
            (index, requests)
            for index, _, requests in _buckets(window.start, window.end, HOUR, _hour_count(hours))
        ]
    start_index = line_periods[0][0] if line_periods else 0
    timeline, per_column = _timeline(line_periods, start_index, TIMELINE_COLUMNS)

    return Traffic(
        window=window,
        requests_per_day=n / window.days,
        resolution="minute" if per_minute else "hour",
        mean_per_period=mean,
        p95_per_period=p95,
        peak_to_average=p95 / mean,
        busiest_count=busiest,
        busiest_start=busiest_start,
        minute_peak_to_average=(p95 / mean if per_minute else _minute_peak(window, minutes, n)),
        burst_to_average=_burst(window, minutes),
        busiest_minute_count=busiest_minute,
        busiest_minute_start=busiest_minute_start,
        hour_of_day=hour_of_day,
        hourly_load=hourly_load,
        timeline=timeline,
        timeline_unit=unit,
        periods_per_column=per_column,
        busy_share=_busy_share(sample),
    )


def _busy_share(sample: dict[float, float]) -> float:
    """The share of the periods, weighted by how much of each the window covers, that saw any
    request."""
    total = math.fsum(sample.values())
    busy = math.fsum(weight for value, weight in sample.items() if value > 0)
    return busy / total if total > 0 else 0.0
