"""One request's fields, checked and converted, and what a row or a batch that is not clean
raises.

A row is a timestamp, a model, input and output token counts, and optionally a spend and
the input tokens read from and written to the prompt cache:

- timestamps are ISO 8601 (no zone means UTC) or Unix time (seconds; above 1e11, milliseconds),
  and must fall in 2000-2099;
- token counts are whole numbers from 0 to `MAX_TOKENS` (a JSON 12.0 or a CSV "12.0" is 12);
- a missing or blank model is `UNKNOWN_MODEL`; a name longer than `MAX_MODEL_CHARS` is junk;
- a spend that is absent or unreadable is ignored, never a bad row;
- cache reads and writes, when the log has them, are token counts too (absent or blank: the log
  does not say), and together at most the input tokens, which include them.

A value that fails raises `BadRow`, whose reason names the field and the value. A batch that
cannot be counted the fast way raises one of `FALLBACK` (`BadBatch` among them): its rows are
then taken one by one, so that the bad ones are named.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime

MIN_SECONDS = 946_684_800.0  # 2000-01-01: anything earlier is a unit or parsing mistake
MAX_SECONDS = 4_102_444_800.0  # 2100-01-01
MILLISECONDS_ABOVE = 1e11  # a Unix time above this is in milliseconds
MAX_TOKENS = 10_000_000  # per request: more is junk, not a request
MAX_MODEL_CHARS = 500  # the longest gateway model paths are ~150 characters
UNKNOWN_MODEL = "(no model)"

_fromiso = datetime.fromisoformat


class BadRow(Exception):
    """One row that is not a request: the reason names the field and the value."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadBatch(ValueError):
    """A batch that cannot go the fast way: its rows are then taken one by one."""


# What a batch that cannot go the fast way raises; its rows are then taken one by one.
FALLBACK = (ValueError, TypeError, KeyError, AttributeError, OverflowError, ArithmeticError)

NoteBad = Callable[[int, str], None]  # where a skipped row goes: its line number, the reason


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
        try:
            seconds = float(value)
        except OverflowError:  # an int of hundreds of digits
            raise BadRow(f"timestamp {_show(value)} is outside 2000-2099") from None
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
        raise BadRow(f"{what} {_show(number)} is outside 0-{MAX_TOKENS:,}")
    return number


def parse_optional_tokens(value: object, what: str) -> int | None:
    """A token count some logs have (cache reads, cache writes): None when absent or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_tokens(value, what)


def parse_model(value: object) -> str:
    if value is None:
        return UNKNOWN_MODEL
    if not isinstance(value, str):
        raise BadRow(f"model {_show(value)} is not a name")
    name = value.strip()
    if len(name) > MAX_MODEL_CHARS:
        raise BadRow(f"model name of {len(name):,} characters is not a name")
    return name or UNKNOWN_MODEL


def parse_spend(value: object) -> float | None:
    """A LiteLLM spend in dollars, or None when absent or unreadable (never a bad row)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        spend = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return spend if math.isfinite(spend) and spend >= 0 else None
