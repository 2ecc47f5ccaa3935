"""The running tallies of a usage log, in memory that does not grow with the number of rows.

An `Accumulator` keeps only counts: requests in each UTC minute (an array of 60 counts per busy
hour, so a month of traffic is 720 small arrays and five years stay under 20 MB), the token
histograms (input and output token count -> requests), and the bill's tallies by (model, UTC
day, size band, kind) (`advisor.usage.groups`). A log of a million rows makes a few thousand
dictionary entries, not a million. Should a log hold more than `HISTOGRAM_LIMIT` distinct token
counts, the histograms fold into buckets 1/1024 wide (relative; see `advisor.usage.histogram`),
so percentiles stay within 0.1% (means and totals stay exact) and memory stays flat whatever
the input.

Rows arrive in batches of columns (`add_columns`: converted and checked with C-level `map`,
then counted with `Counter.update` and one sort per batch, which is what makes a million rows
take seconds) or one at a time (`add_row`: the fallback for a batch with a bad row, which names
the problem; the fields are checked by `advisor.usage.fields`). A batch is validated completely
before anything is counted, so a rejected batch leaves no trace. A database that aggregates
for itself hands its sums over with `add_aggregate` (`advisor.usage.postgres`).

Input tokens are all of a request's input, prompt-cache reads and writes included (OpenAI's
`prompt_tokens`; Anthropic's `input_tokens` + `cache_read_input_tokens` +
`cache_creation_input_tokens`): the readers of each format add them up. `cache_rows` counts the
requests whose log says what was cached (a log that does not say measures no cache share).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from itertools import repeat
from operator import add, gt
from typing import Any, NamedTuple

from advisor.usage.fields import (
    MAX_MODEL_CHARS,
    MAX_TOKENS,
    UNKNOWN_MODEL,
    BadBatch,
    BadRow,
    parse_model,
    parse_optional_tokens,
    parse_seconds,
    parse_spend,
    parse_tokens,
)
from advisor.usage.groups import GroupKey, Tally, band_of, split
from advisor.usage.histogram import fold
from advisor.usage.stamps import EPOCH_ORDINAL, day_of, read_column

HISTOGRAM_LIMIT = 100_000  # distinct token counts kept exactly before folding into buckets
MAX_HOURS = 24 * 366 * 5  # distinct busy hours: five years of hourly traffic is plenty

_EMPTY_HOUR = array("I", bytes(4 * 60))  # 60 minutes, no requests


class TooManyHours(OverflowError):
    """Requests in more distinct hours than a usage log can hold (MAX_HOURS)."""


class Columns(NamedTuple):
    """A batch of rows as columns: the four every format has, and what some logs add."""

    stamps: Sequence[Any]
    models: Sequence[Any]
    inputs: Sequence[Any]  # every input token, cache reads and writes included
    outputs: Sequence[Any]
    spends: Sequence[Any] | None = None  # what was paid, dollars
    cached: Sequence[Any] | None = None  # input tokens read from the prompt cache
    written: Sequence[Any] | None = None  # input tokens written to it
    kinds: Sequence[int] | None = None  # groups.BATCH | groups.PROXY_HIT


def _tidy_names(models: Sequence[Any]) -> dict[Any, str]:
    """Each distinct logged model (a str, or None) -> its name; BadBatch for a name that needs
    the row-by-row path to be named (too long, or not a str)."""
    tidy: dict[Any, str] = {}
    for raw in set(models):
        if raw is None:
            tidy[raw] = UNKNOWN_MODEL
            continue
        if type(raw) is not str:
            raise BadBatch
        name = raw.strip()
        if len(name) > MAX_MODEL_CHARS:
            raise BadBatch
        tidy[raw] = name or UNKNOWN_MODEL
    return tidy


def _int_column(column: Sequence[Any], text: bool) -> list[int]:
    if text:  # CSV: every value is a str
        values: list[int] = list(map(int, column))  # ValueError: take the rows one by one
    else:
        kinds = set(map(type, column))
        if kinds == {int}:
            values = list(column)
        elif kinds == {str}:
            values = list(map(int, column))
        else:
            raise BadBatch
    if min(values) < 0 or max(values) > MAX_TOKENS:
        raise BadBatch
    return values


def _optional_int_column(column: Sequence[Any] | None, text: bool) -> list[int] | None:
    """A column some logs have: None when absent or empty throughout; mixed: BadBatch."""
    if column is None:
        return None
    blank = "" if text else None
    if all(v == blank or v is None for v in column):
        return None
    return _int_column(column, text)


class Accumulator:
    """Counts of everything the summary needs; see the module docstring. `thresholds`: the
    catalog's long-context thresholds (`groups.tier_thresholds`), which set the size bands."""

    def __init__(self, thresholds: Sequence[int] = ()) -> None:
        self.thresholds = tuple(sorted(thresholds))
        self.requests = 0
        self.first: float | None = None  # Unix seconds of the earliest request
        self.last: float | None = None
        # hour index (Unix seconds // 3600) -> requests in each of its 60 minutes
        self.minutes: dict[int, array[int]] = {}
        # Per batch, before merge_minutes: minutes keyed as the stamps give them.
        self._day_minutes: Counter[tuple[int, int, int]] = Counter()  # (ordinal, hour, minute)
        self._unix_minutes: Counter[float] = Counter()  # Unix seconds // 60
        self._text_minutes: Counter[str] = Counter()  # "YYYY-MM-DDTHH:MM" (UTC)
        self.inputs: Counter[int] = Counter()  # input tokens -> requests
        self.outputs: Counter[int] = Counter()
        self.groups: dict[GroupKey, Tally] = {}
        self.spend = 0.0  # the logged spend, dollars
        self.spend_rows = 0
        self.cache_rows = 0  # requests whose log says what was cached
        self.approximate = False  # token histograms folded into buckets

    # -- one row -------------------------------------------------------------------------
    def add_row(
        self,
        stamp: object,
        model: object,
        inputs: object,
        outputs: object,
        spend: object = None,
        cached: object = None,
        written: object = None,
        kind: int = 0,
    ) -> None:
        seconds = parse_seconds(stamp)
        name = parse_model(model)
        n_in = parse_tokens(inputs, "input tokens")
        n_out = parse_tokens(outputs, "output tokens")
        n_cached = parse_optional_tokens(cached, "cached tokens")
        n_written = parse_optional_tokens(written, "cache-write tokens")
        if (n_cached or 0) + (n_written or 0) > n_in:
            raise BadRow(
                f"cache reads and writes ({(n_cached or 0) + (n_written or 0):,}) above the "
                f"input tokens ({n_in:,})"
            )
        cost = parse_spend(spend)
        self._unix_minutes[seconds // 60] += 1
        self._span(seconds, seconds)
        self.inputs[n_in] += 1
        self.outputs[n_out] += 1
        key = GroupKey(name, day_of(seconds), band_of(self.thresholds, n_in), kind)
        tally = Tally(1, n_in, n_cached or 0, n_written or 0, n_out)
        if cost is not None:
            tally.spend, tally.spend_rows = cost, 1
            self.spend += cost
            self.spend_rows += 1
        self._tally(key, tally)
        if n_cached is not None or n_written is not None:
            self.cache_rows += 1
        self.requests += 1

    # -- a batch of columns --------------------------------------------------------------
    def add_columns(self, columns: Columns, text: bool = False) -> None:
        """Count a batch. Raises (BadBatch, ValueError, TypeError...) having counted nothing.
        `text`: every value is a str (CSV), so types need no checking."""
        stamps, models, inputs, outputs = columns[:4]
        n = len(stamps)
        if not n or not len(models) == len(inputs) == len(outputs) == n:
            raise BadBatch
        if any(c is not None and len(c) != n for c in columns[4:]):
            raise BadBatch
        column = read_column(stamps, text)
        tidy = _tidy_names(models)
        ins = _int_column(inputs, text)
        outs = _int_column(outputs, text)
        cached = _optional_int_column(columns.cached, text)
        written = _optional_int_column(columns.written, text)
        if cached is not None or written is not None:
            both: Iterable[int] = (
                map(add, cached, written)
                if cached is not None and written is not None
                else cached or written or ()
            )
            if any(map(gt, both, ins)):  # more read or written than sent
                raise BadBatch
        spends: list[float | None] | None = None
        spent = 0.0
        if columns.spends is not None:
            if not text and set(map(type, columns.spends)) - {int, float, str}:
                raise BadBatch
            costs = list(map(float, columns.spends))  # ValueError on a blank: one by one
            spent = math.fsum(costs)
            if not math.isfinite(spent) or min(costs) < 0:
                raise BadBatch
            spends = list(costs)
        kinds = columns.kinds
        if kinds is not None and set(kinds) - {0, 1, 2, 3}:
            raise BadBatch
        # Everything checked: count.
        if column.unix_minutes is not None:
            self._unix_minutes.update(column.unix_minutes)
        elif column.text_minutes is not None:
            self._text_minutes.update(column.text_minutes)
        else:
            self._day_minutes.update(column.day_minutes)
        self._span(column.earliest, column.latest)
        self.inputs.update(ins)
        self.outputs.update(outs)
        bands = map(partial(band_of, self.thresholds), ins) if self.thresholds else repeat(0)
        keys = list(zip(models, column.days, bands, kinds or repeat(0)))  # noqa: B905
        for (raw, day, band, kind), tally in split(keys, ins, cached, written, outs, spends):
            self._tally(GroupKey(tidy[raw], day, band, kind), tally)
        if spends is not None:
            self.spend += spent
            self.spend_rows += n
        if cached is not None or written is not None:
            self.cache_rows += n
        self.requests += n

    def add_aggregate(
        self,
        key: GroupKey,
        tally: Tally,
        cache_rows: int,
    ) -> None:
        """Sums a database computed for one group (its minutes, span and histograms come by
        `add_minutes`, `add_span` and `add_histograms`)."""
        self._tally(key, tally)
        self.spend += tally.spend
        self.spend_rows += tally.spend_rows
        self.cache_rows += cache_rows
        self.requests += tally.requests

    def add_minutes(self, counts: dict[int, int]) -> None:
        """Requests per minute (Unix seconds // 60)."""
        self._unix_minutes.update(counts)

    def add_span(self, first: float, last: float) -> None:
        self._span(first, last)

    def add_histograms(self, inputs: dict[int, int], outputs: dict[int, int]) -> None:
        self.inputs.update(inputs)
        self.outputs.update(outputs)

    def _tally(self, key: GroupKey, tally: Tally) -> None:
        found = self.groups.get(key)
        if found is None:
            self.groups[key] = tally
        else:
            found.merge(tally)

    def _span(self, lo: float, hi: float) -> None:
        if self.first is None or lo < self.first:
            self.first = lo
        if self.last is None or hi > self.last:
            self.last = hi

    # -- housekeeping --------------------------------------------------------------------
    def check_bounds(self) -> None:
        """Keep memory flat: fold wide histograms, merge minute keys, and refuse absurd spans
        (TooManyHours)."""
        self.flush()
        self.merge_minutes()
        if len(self.minutes) > MAX_HOURS:
            raise TooManyHours(
                f"requests fall in more than {MAX_HOURS:,} distinct hours (over five years)"
            )

    def flush(self) -> None:
        """Fold a histogram that holds too many distinct values."""
        if len(self.inputs) > HISTOGRAM_LIMIT:
            self.inputs = fold(self.inputs)
            self.approximate = True
        if len(self.outputs) > HISTOGRAM_LIMIT:
            self.outputs = fold(self.outputs)
            self.approximate = True

    def merge_minutes(self) -> None:
        """The batches' minute keys into `minutes`."""
        counts: Counter[int] = Counter()
        for (ordinal, hour, minute), count in self._day_minutes.items():
            counts[((ordinal - EPOCH_ORDINAL) * 24 + hour) * 60 + minute] += count
        self._day_minutes.clear()
        for key, count in self._unix_minutes.items():
            counts[int(key)] += count
        self._unix_minutes.clear()
        days: dict[str, int] = {}
        for text, count in self._text_minutes.items():
            day = days.get(text[:10])
            if day is None:
                ordinal = datetime(int(text[:4]), int(text[5:7]), int(text[8:10])).toordinal()
                day = days[text[:10]] = ordinal - EPOCH_ORDINAL
            counts[(day * 24 + int(text[11:13])) * 60 + int(text[14:16])] += count
        self._text_minutes.clear()
        minutes = self.minutes
        for index, count in counts.items():
            hour, minute = divmod(index, 60)
            row = minutes.get(hour)
            if row is None:
                row = minutes[hour] = array("I", _EMPTY_HOUR)
            row[minute] += count

    @property
    def hours(self) -> dict[int, int]:
        """Requests in each busy UTC hour (hour index: Unix seconds // 3600)."""
        return {hour: sum(row) for hour, row in self.minutes.items()}

    @property
    def models(self) -> dict[str, list[int]]:
        """Each model's [requests, input tokens, output tokens, cache reads, cache writes]."""
        totals: dict[str, list[int]] = {}
        for key, tally in self.groups.items():
            found = totals.setdefault(key.model, [0, 0, 0, 0, 0])
            found[0] += tally.requests
            found[1] += tally.input
            found[2] += tally.output
            found[3] += tally.cached
            found[4] += tally.written
        return totals

    @property
    def cached_tokens(self) -> int:
        return sum(t.cached for t in self.groups.values())

    @property
    def written_tokens(self) -> int:
        return sum(t.written for t in self.groups.values())

    def finish(self) -> None:
        """Everything counted into `minutes`, `inputs` and `outputs`."""
        self.flush()
        self.merge_minutes()
