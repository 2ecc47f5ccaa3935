"""A batch's column of timestamps, checked and read the fastest way its form allows: Unix
seconds or milliseconds; ISO 8601 text in UTC, counted by its "YYYY-MM-DDTHH:MM" prefix; any
other ISO 8601 (zones, no zone = UTC). Each gives the minute keys to count, the earliest and
latest moment, and each request's UTC date.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import repeat
from operator import add, attrgetter, floordiv, itemgetter
from typing import Any, NamedTuple

from advisor.usage.fields import MAX_SECONDS, MILLISECONDS_ABOVE, MIN_SECONDS, BadBatch

EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()
DAY_SECONDS = 86_400

_ZERO = timedelta(0)
_HOUR = attrgetter("hour")
_MINUTE = attrgetter("minute")
_ZONE = attrgetter("tzinfo")
_MINUTE_TEXT = itemgetter(slice(0, 16))
_DAY_TEXT = itemgetter(slice(0, 10))
_MINUTE_PREFIX = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
_fromiso = datetime.fromisoformat


class StampColumn(NamedTuple):
    """How to count a checked column: its minutes in one of three forms (the accumulator
    merges them), its span, and each row's UTC date ordinal."""

    unix_minutes: Any  # an iterable of Unix seconds // 60, or None
    text_minutes: Counter[str] | None  # "YYYY-MM-DDTHH:MM" (UTC) -> requests
    day_minutes: Any  # an iterable of (date ordinal, hour, minute), or None
    earliest: float
    latest: float
    days: list[int]


def day_of(seconds: float) -> int:
    """The UTC date ordinal of a Unix time."""
    return int(seconds // DAY_SECONDS) + EPOCH_ORDINAL


def _numbers(stamps: Sequence[Any], kinds: set[type]) -> list[float] | list[int] | None:
    """Unix times, when the column holds numbers (or numbers as text)."""
    if kinds <= {int, float}:
        return list(stamps)
    if kinds == {str}:
        first = stamps[0].strip()
        if first[:1].isdigit() and "-" not in first and ":" not in first:
            try:
                return list(map(int, stamps))
            except ValueError:
                return list(map(float, stamps))
        return None
    raise BadBatch


def read_column(stamps: Sequence[Any], text: bool) -> StampColumn:
    """Check a column of timestamps; raises BadBatch (or ValueError...) having counted nothing."""
    kinds: set[type] = {str} if text else set(map(type, stamps))
    seconds = _numbers(stamps, kinds)
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
        per_day = per_minute * 1440
        days = list(
            map(add, map(int, map(floordiv, seconds, repeat(per_day))), repeat(EPOCH_ORDINAL))
        )
        minutes = map(floordiv, seconds, repeat(per_minute))
        return StampColumn(minutes, None, None, float(lo), float(hi), days)
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
        # Wall time is UTC: count the minutes by their text, "YYYY-MM-DDTHH:MM", when every
        # stamp starts so (one C-level pass instead of four).
        prefixes = Counter(map(_MINUTE_TEXT, stamps))
        if all(map(_MINUTE_PREFIX.fullmatch, prefixes)):
            day_text = list(map(_DAY_TEXT, stamps))
            ordinals = {
                t: date(int(t[:4]), int(t[5:7]), int(t[8:10])).toordinal() for t in set(day_text)
            }
            days = list(map(ordinals.__getitem__, day_text))
            return StampColumn(None, prefixes, None, earliest, latest, days)
    ordinals_list = list(map(datetime.toordinal, moments))
    triples = zip(ordinals_list, map(_HOUR, moments), map(_MINUTE, moments))  # noqa: B905
    return StampColumn(None, None, triples, earliest, latest, ordinals_list)
