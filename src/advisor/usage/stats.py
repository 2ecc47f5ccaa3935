"""The running tallies of a usage log, in memory that does not grow with the number of rows.

An `Accumulator` keeps only counts: requests per UTC hour, and (model, token count) pairs for
input and for output, which give the exact token histograms (integer -> requests) and each
model's requests and token totals. A log of a million rows makes a few thousand dictionary
entries, not a million. Should a log hold more than `HISTOGRAM_LIMIT` distinct token counts, the
histograms fold into buckets 1/1024 wide (relative), so percentiles stay within 0.1% (means and
totals stay exact) and memory stays flat whatever the input.

Rows arrive in batches of columns (`add_columns`: converted and checked with C-level `map`,
then counted with `Counter.update`, which is what makes a million rows take seconds) or one at a
time (`add_row`: the fallback for a batch with a bad row, which names the problem). A batch is
validated completely before anything is counted, so a rejected batch leaves no trace.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import repeat
from operator import add, attrgetter, floordiv, itemgetter
from typing import Any

EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()
MIN_SECONDS = 946_684_800.0  # 2000-01-01: anything earlier is a unit or parsing mistake
MAX_SECONDS = 4_102_444_800.0  # 2100-01-01
MILLISECONDS_ABOVE = 1e11  # a Unix time above this is in milliseconds
MAX_TOKENS = 10_000_000  # per request: more is junk, not a request
MODEL_SHIFT = 24  # 2**24 > MAX_TOKENS: (model, tokens) packs into one int
TOKEN_MASK = (1 << MODEL_SHIFT) - 1
HISTOGRAM_LIMIT = 100_000  # distinct token counts kept exactly before folding into buckets
MAX_HOURS = 24 * 366 * 5  # distinct busy hours: five years of hourly traffic is plenty
UNKNOWN_MODEL = "(no model)"

_ZERO = timedelta(0)
_HOUR = attrgetter("hour")
_ZONE = attrgetter("tzinfo")
_HOUR_TEXT = itemgetter(slice(0, 13))
_HOUR_PREFIX = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d")
_fromiso = datetime.fromisoformat


class BadRow(Exception):
    """One row that is not a request: the reason names the field and the value."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadBatch(ValueError):
    """A batch that cannot go the fast way: its rows are then taken one by one."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_seconds(value: object) -> float:
    """Unix seconds (UTC) from a timestamp: ISO 8601 with or without zone (none is UTC), or Unix
    seconds, or milliseconds (a number above 1e11)."""
    if isinstance(value, bool) or value is None:
        raise BadRow(f"timestamp {_show(value)} is not a time")
    seconds: float
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            try:
                moment = _fromiso(text)
            except ValueError:
                raise BadRow(
                    f"timestamp {_show(value)} is neither ISO 8601 nor Unix time"
                ) from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            seconds = moment.timestamp()
    else:
        raise BadRow(f"timestamp {_show(value)} is not a time")
    if math.isnan(seconds):
        raise BadRow(f"timestamp {_show(value)} is not a time")
    if seconds > MILLISECONDS_ABOVE:
        seconds /= 1000.0
    if not MIN_SECONDS <= seconds < MAX_SECONDS:
        raise BadRow(f"timestamp {_show(value)} is outside 2000-2099")
    return seconds


def parse_tokens(value: object, what: str) -> int:
    """A token count: a whole number from 0 to MAX_TOKENS (a JSON 12.0 or a CSV "12.0" is 12)."""
    number: int
    if isinstance(value, bool) or value is None:
        raise BadRow(f"{what} {_show(value)} is not a number")
    if isinstance(value, int):
        number = value
    else:
        try:
            if isinstance(value, str):
                try:
                    number = int(value)
                except ValueError:
                    as_float = float(value)
                    if not as_float.is_integer():
                        raise ValueError from None
                    number = int(as_float)
            elif isinstance(value, float) and value.is_integer():
                number = int(value)
            else:
                raise ValueError
        except (ValueError, OverflowError):
            raise BadRow(f"{what} {_show(value)} is not a whole number") from None
    if not 0 <= number <= MAX_TOKENS:
        raise BadRow(f"{what} {number} is outside 0-{MAX_TOKENS:,}")
    return number


def parse_model(value: object) -> str:
    if value is None:
        return UNKNOWN_MODEL
    if not isinstance(value, str):
        raise BadRow(f"model {_show(value)} is not a name")
    return value.strip() or UNKNOWN_MODEL


def parse_spend(value: object) -> float | None:
    """A LiteLLM spend in dollars, or None when absent or unreadable (never a bad row)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        spend = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return spend if math.isfinite(spend) and spend >= 0 else None


def bucket(value: int) -> int:
    """The representative of a token count's bucket: exact below 1024, else 1/1024 wide."""
    if value < 1024:
        return value
    shift = value.bit_length() - 10
    return ((value >> shift) << shift) + (1 << (shift - 1)) if shift > 0 else value


def _fold(histogram: Counter[int]) -> Counter[int]:
    folded: Counter[int] = Counter()
    for value, count in histogram.items():
        folded[bucket(value)] += count
    return folded


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
        self.hours: Counter[int] = Counter()  # hour index (Unix seconds // 3600) -> requests
        self._day_hours: Counter[tuple[int, int]] = Counter()  # (date ordinal, hour), UTC
        self._unix_hours: Counter[float] = Counter()
        self._text_hours: Counter[str] = Counter()  # "YYYY-MM-DDTHH" (UTC)
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
        self.hours[int(seconds // 3600)] += 1
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
        hour_update, lo, hi = self._stamp_column(stamps, text)
        if not text and set(map(type, models)) != {str}:
            raise BadBatch
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
        names = set(models)
        if "" in names or any(m != m.strip() for m in names):
            raise BadBatch  # names to tidy: the row-by-row path does it
        # Everything checked: count.
        hour_update()
        self._span(lo, hi)
        for name in names:
            self._model_key(name)
        keys = list(map(self._model_keys.__getitem__, models))
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
            per_hour = 3600
            if lo > MILLISECONDS_ABOVE:
                per_hour, lo, hi = 3_600_000, lo / 1000, hi / 1000
            elif hi > MILLISECONDS_ABOVE:
                raise BadBatch  # seconds and milliseconds mixed: one by one
            if lo < MIN_SECONDS or hi >= MAX_SECONDS:
                raise BadBatch
            keys = map(floordiv, seconds, repeat(per_hour))
            return (lambda: self._unix_hours.update(keys)), float(lo), float(hi)
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
            # Wall time is UTC: count the hours by their text, "YYYY-MM-DDTHH", when every
            # stamp starts so (one C-level pass instead of three).
            prefixes = Counter(map(_HOUR_TEXT, stamps))
            if all(map(_HOUR_PREFIX.fullmatch, prefixes)):
                return (lambda: self._text_hours.update(prefixes)), earliest, latest
        pairs = zip(map(datetime.toordinal, moments), map(_HOUR, moments))  # noqa: B905
        return (lambda: self._day_hours.update(pairs)), earliest, latest

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
        """Keep memory flat: flush the pairs, fold wide histograms, merge hour keys, and
        refuse absurd spans."""
        if len(self._pairs_in) + len(self._pairs_out) > HISTOGRAM_LIMIT:
            self.flush()
        self.merge_hours()
        if len(self.hours) > MAX_HOURS:
            raise OverflowError(
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
            self.inputs = _fold(self.inputs)
            self.approximate = True
        if len(self.outputs) > HISTOGRAM_LIMIT:
            self.outputs = _fold(self.outputs)
            self.approximate = True

    def merge_hours(self) -> None:
        for (ordinal, hour), count in self._day_hours.items():
            self.hours[(ordinal - EPOCH_ORDINAL) * 24 + hour] += count
        self._day_hours.clear()
        for key, count in self._unix_hours.items():
            self.hours[int(key)] += count
        self._unix_hours.clear()
        for text, count in self._text_hours.items():
            day = datetime(int(text[:4]), int(text[5:7]), int(text[8:10])).toordinal()
            self.hours[(day - EPOCH_ORDINAL) * 24 + int(text[11:13])] += count
        self._text_hours.clear()

    def finish(self) -> None:
        """Everything counted into `hours`, `inputs`, `outputs` and `models`."""
        self.flush()
        self.merge_hours()


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


def sparkline(values: Iterable[float]) -> str:
    """One character per value, eight levels (a blank for zero)."""
    values = list(values)
    top = max(values, default=0.0)
    if top <= 0:
        return " " * len(values)
    blocks = "▁▂▃▄▅▆▇█"
    return "".join(" " if v <= 0 else blocks[min(7, int(v / top * 8 - 1e-9))] for v in values)
