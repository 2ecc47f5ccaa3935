"""The running tallies of a usage log, in memory that does not grow with the number of rows.

An `Accumulator` keeps only counts: requests in each UTC minute (an array of 60 counts per busy
hour, so a month of traffic is 720 small arrays and five years stay under 20 MB), and (model,
token count) pairs for input and for output, which give the exact token histograms
(integer -> requests) and each model's requests and token totals. A log of a million rows makes
a few thousand dictionary entries, not a million. Should a log hold more than `HISTOGRAM_LIMIT`
distinct token counts, the histograms fold into buckets 1/1024 wide (relative; see
`advisor.usage.histogram`), so percentiles stay within 0.1% (means and totals stay exact) and
memory stays flat whatever the input.

Rows arrive in batches of columns (`add_columns`: converted and checked with C-level `map`,
then counted with `Counter.update`, which is what makes a million rows take seconds) or one at a
time (`add_row`: the fallback for a batch with a bad row, which names the problem; the fields are
checked by `advisor.usage.fields`). A batch is validated completely before anything is counted,
so a rejected batch leaves no trace.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import repeat
from operator import add, attrgetter, floordiv, itemgetter
from typing import Any

from advisor.usage.fields import (
    MAX_MODEL_CHARS,
    MAX_SECONDS,
    MAX_TOKENS,
    MILLISECONDS_ABOVE,
    MIN_SECONDS,
    UNKNOWN_MODEL,
    BadBatch,
    parse_model,
    parse_seconds,
    parse_spend,
    parse_tokens,
)
from advisor.usage.histogram import fold

EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()
MODEL_SHIFT = 24  # 2**24 > MAX_TOKENS: (model, tokens) packs into one int
TOKEN_MASK = (1 << MODEL_SHIFT) - 1
HISTOGRAM_LIMIT = 100_000  # distinct token counts kept exactly before folding into buckets
MAX_HOURS = 24 * 366 * 5  # distinct busy hours: five years of hourly traffic is plenty

_ZERO = timedelta(0)
_HOUR = attrgetter("hour")
_MINUTE = attrgetter("minute")
_ZONE = attrgetter("tzinfo")
_MINUTE_TEXT = itemgetter(slice(0, 16))
_MINUTE_PREFIX = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
_EMPTY_HOUR = array("I", bytes(4 * 60))  # 60 minutes, no requests
_fromiso = datetime.fromisoformat


class TooManyHours(OverflowError):
    """Requests in more distinct hours than a usage log can hold (MAX_HOURS)."""


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


class Accumulator:
    """Counts of everything the summary needs; see the module docstring.

    Tokens are first counted as (model, tokens) pairs, one C-level Counter update per batch
    that gives both the histograms and each model's totals; `flush` moves them into
    `inputs`/`outputs` (histograms) and `models` (exact totals) whenever they grow large.
    """

    def __init__(self) -> None:
        self.requests = 0
        self.first: float | None = None  # Unix seconds of the earliest request
        self.last: float | None = None
        # hour index (Unix seconds // 3600) -> requests in each of its 60 minutes
        self.minutes: dict[int, array[int]] = {}
        # Per batch, before merge_minutes: minutes keyed as the stamps give them.
        self._day_minutes: Counter[tuple[int, int, int]] = Counter()  # (ordinal, hour, minute)
        self._unix_minutes: Counter[float] = Counter()  # Unix seconds // 60
        self._text_minutes: Counter[str] = Counter()  # "YYYY-MM-DDTHH:MM" (UTC)
        # (model, tokens) pairs as one int: the model's number << MODEL_SHIFT | tokens.
        self._model_keys: dict[str, int] = {}  # model -> its number << MODEL_SHIFT
        self._model_names: list[str] = []
        self._pairs_in: Counter[int] = Counter()
        self._pairs_out: Counter[int] = Counter()
        self.inputs: Counter[int] = Counter()  # input tokens -> requests (after flush)
        self.outputs: Counter[int] = Counter()
        self.models: dict[str, list[int]] = {}  # model -> [requests, input tokens, output]
        self.spend = 0.0  # the logged spend (LiteLLM), dollars
        self.spend_rows = 0
        self.approximate = False  # token histograms folded into buckets

    # -- one row -------------------------------------------------------------------------
    def add_row(
        self, stamp: object, model: object, inputs: object, outputs: object, spend: object = None
    ) -> None:
        seconds = parse_seconds(stamp)
        name = parse_model(model)
        n_in = parse_tokens(inputs, "input tokens")
        n_out = parse_tokens(outputs, "output tokens")
        cost = parse_spend(spend)
        self._unix_minutes[seconds // 60] += 1
        self._span(seconds, seconds)
        key = self._model_key(name)
        self._pairs_in[key + n_in] += 1
        self._pairs_out[key + n_out] += 1
        if cost is not None:
            self.spend += cost
            self.spend_rows += 1
        self.requests += 1

    # -- a batch of columns --------------------------------------------------------------
    def add_columns(self, columns: Sequence[Sequence[Any]], text: bool = False) -> None:
        """Count a batch: columns of timestamps, models, input and output tokens, and
        optionally spends. Raises (BadBatch, ValueError, TypeError...) having counted nothing.
        `text`: every value is a str (CSV), so types need no checking."""
        if len(columns) not in (4, 5):
            raise BadBatch
        stamps, models, inputs, outputs = columns[:4]
        spends = columns[4] if len(columns) == 5 else None
        n = len(stamps)
        if not n or not len(models) == len(inputs) == len(outputs) == n:
            raise BadBatch
        minute_update, lo, hi = self._stamp_column(stamps, text)
        tidy = _tidy_names(models)
        ins = _int_column(inputs, text)
        outs = _int_column(outputs, text)
        spent = 0.0
        if spends is not None:
            if not text and set(map(type, spends)) - {int, float, str}:
                raise BadBatch
            costs = list(map(float, spends))  # ValueError on a blank: one by one then
            spent = math.fsum(costs)
            if not math.isfinite(spent) or min(costs) < 0:
                raise BadBatch
        # Everything checked: count.
        minute_update()
        self._span(lo, hi)
        keymap = {raw: self._model_key(name) for raw, name in tidy.items()}
        keys = list(map(keymap.__getitem__, models))
        self._pairs_in.update(map(add, ins, keys))
        self._pairs_out.update(map(add, outs, keys))
        if spends is not None:
            self.spend += spent
            self.spend_rows += n
        self.requests += n

    def _stamp_column(self, stamps: Sequence[Any], text: bool) -> tuple[Any, float, float]:
        """Check a column of timestamps; return (count them, earliest, latest) in Unix seconds."""
        kinds = {str} if text else set(map(type, stamps))
        seconds: list[float] | list[int] | None = None
        if kinds <= {int, float}:
            seconds = list(stamps)
        elif kinds == {str}:
            first = stamps[0].strip()
            if first[:1].isdigit() and "-" not in first and ":" not in first:
                try:
                    seconds = list(map(int, stamps))  # Unix time as text
                except ValueError:
                    seconds = list(map(float, stamps))
        else:
            raise BadBatch
        if seconds is not None:
            if kinds != {int} and any(map(math.isnan, seconds)):
                raise BadBatch
            lo, hi = min(seconds), max(seconds)
            per_minute = 60
            if lo > MILLISECONDS_ABOVE:
                per_minute, lo, hi = 60_000, lo / 1000, hi / 1000
            elif hi > MILLISECONDS_ABOVE:
                raise BadBatch  # seconds and milliseconds mixed: one by one
            if lo < MIN_SECONDS or hi >= MAX_SECONDS:
                raise BadBatch
            keys = map(floordiv, seconds, repeat(per_minute))
            return (lambda: self._unix_minutes.update(keys)), float(lo), float(hi)
        moments = list(map(_fromiso, stamps))
        # fromisoformat gives fixed-offset zones only: one utcoffset per distinct zone.
        offsets = {None if z is None else z.utcoffset(None) for z in set(map(_ZONE, moments))}
        if None in offsets:
            if len(offsets) > 1:
                raise BadBatch  # zoned and unzoned mixed: one by one
            earliest = min(moments).replace(tzinfo=UTC).timestamp()
            latest = max(moments).replace(tzinfo=UTC).timestamp()
        else:
            if offsets != {_ZERO}:
                moments = list(map(datetime.astimezone, moments, repeat(UTC)))
            earliest, latest = min(moments).timestamp(), max(moments).timestamp()
        if earliest < MIN_SECONDS or latest >= MAX_SECONDS:
            raise BadBatch
        if offsets <= {None, _ZERO}:
            # Wall time is UTC: count the minutes by their text, "YYYY-MM-DDTHH:MM", when
            # every stamp starts so (one C-level pass instead of four).
            prefixes = Counter(map(_MINUTE_TEXT, stamps))
            if all(map(_MINUTE_PREFIX.fullmatch, prefixes)):
                return (lambda: self._text_minutes.update(prefixes)), earliest, latest
        triples = zip(  # noqa: B905
            map(datetime.toordinal, moments), map(_HOUR, moments), map(_MINUTE, moments)
        )
        return (lambda: self._day_minutes.update(triples)), earliest, latest

    def _model_key(self, name: str) -> int:
        key = self._model_keys.get(name)
        if key is None:
            key = self._model_keys[name] = len(self._model_names) << MODEL_SHIFT
            self._model_names.append(name)
        return key

    def _span(self, lo: float, hi: float) -> None:
        if self.first is None or lo < self.first:
            self.first = lo
        if self.last is None or hi > self.last:
            self.last = hi

    # -- housekeeping --------------------------------------------------------------------
    def check_bounds(self) -> None:
        """Keep memory flat: flush the pairs, fold wide histograms, merge minute keys, and
        refuse absurd spans (TooManyHours)."""
        if len(self._pairs_in) + len(self._pairs_out) > HISTOGRAM_LIMIT:
            self.flush()
        self.merge_minutes()
        if len(self.minutes) > MAX_HOURS:
            raise TooManyHours(
                f"requests fall in more than {MAX_HOURS:,} distinct hours (over five years)"
            )

    def flush(self) -> None:
        """Move the (model, tokens) pairs into the histograms and the models' exact totals."""
        names = self._model_names
        for key, count in self._pairs_in.items():
            value = key & TOKEN_MASK
            self.inputs[value] += count
            name = names[key >> MODEL_SHIFT]
            tally = self.models.get(name)
            if tally is None:
                tally = self.models[name] = [0, 0, 0]
            tally[0] += count
            tally[1] += value * count
        for key, count in self._pairs_out.items():
            value = key & TOKEN_MASK
            self.outputs[value] += count
            self.models[names[key >> MODEL_SHIFT]][2] += value * count
        self._pairs_in.clear()
        self._pairs_out.clear()
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

    def finish(self) -> None:
        """Everything counted into `minutes`, `inputs`, `outputs` and `models`."""
        self.flush()
        self.merge_minutes()
