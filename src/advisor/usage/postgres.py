"""Usage read where it lives: LiteLLM's proxy keeps its spend logs in PostgreSQL, in the table
`"LiteLLM_SpendLogs"` (columns as LiteLLM's schema.prisma names them: `"startTime"`, `model`,
`prompt_tokens`, `completion_tokens`, `spend`, `cache_hit`, `metadata` (jsonb), ...).
`advisor import-usage postgresql://user@host:port/db` reads it there.

The database does the aggregation, in one statement and one pass over the table (GROUPING
SETS), so a year of logs never crosses the wire row by row:
- per (UTC hour, model, size band, kind): requests, input, cache reads and writes, output and
  spend sums: the bill's tallies (`advisor.usage.groups`);
- per UTC minute: requests (the traffic figures need minute counts: peaks, bursts, the day);
- per input and per output token count: requests (the histograms the percentiles come from);
- over everything: the first and last request, and the rows that are not requests, by reason.
Each row is read as the file readers read LiteLLM's exported spend logs
(`advisor.usage.cache_fields`: the cache reads and writes from `metadata`'s `usage_object` or
`additional_usage_values`, the writes added to the prompt tokens when an older LiteLLM left them
out, `cache_hit` 'True'; the checks of `advisor.usage.fields`), so the import of a table agrees
with the import of the same rows exported as CSV.

The connection is read-only. A connection, permission or schema error is one InputError naming
the database with its password left out; the password is never printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from advisor.core.errors import InputError
from advisor.usage.accumulator import Accumulator
from advisor.usage.fields import MAX_MODEL_CHARS, MAX_TOKENS
from advisor.usage.groups import PROXY_HIT, GroupKey, Tally
from advisor.usage.stamps import day_of

SCHEMES = ("postgresql://", "postgres://")
TABLE = "LiteLLM_SpendLogs"
CONNECT_TIMEOUT = 10  # seconds
FETCH = 10_000  # aggregated rows per round trip

LOWEST, HIGHEST = "2000-01-01", "2100-01-01"  # as advisor.usage.fields' MIN/MAX_SECONDS


def is_database(source: str) -> bool:
    return source.startswith(SCHEMES)


def shown(url: str) -> str:
    """The database as it may be printed: no password, no query (which may hold one)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if _port(parts) else "")
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return f"{parts.scheme}://{netloc}{parts.path}"


def _port(parts: Any) -> int | None:
    try:
        return int(parts.port) if parts.port is not None else None
    except ValueError:
        return None


def _read(column: str) -> str:
    """A JSON path's whole number (as `cache_fields._whole` reads one), else NULL."""
    return f"CASE WHEN ({column}) ~ '^[0-9]+(\\.0*)?$' THEN ({column})::numeric::bigint END"


_USAGE = ("metadata->'usage_object'", "metadata->'additional_usage_values'")
_READ = (
    "COALESCE("
    + ", ".join(
        _read(f"{u}->>'cache_read_input_tokens'")
        + ", "
        + _read(f"{u}->'prompt_tokens_details'->>'cached_tokens'")
        for u in _USAGE
    )
    + ")"
)
_WRITTEN = (
    "COALESCE(" + ", ".join(_read(f"{u}->>'cache_creation_input_tokens'") for u in _USAGE) + ")"
)


def _statement(thresholds: Sequence[int]) -> str:
    """The one statement: every row read and checked, then grouped four ways at once."""
    band = " + ".join(["(input > %s)::int"] * len(thresholds)) or "0"
    return f"""
WITH raw AS (
    SELECT "startTime" AS at, model, prompt_tokens AS prompt, completion_tokens AS output,
           spend, lower(trim(cache_hit)) IN ('true', '1') AS hit,
           {_READ} AS read_raw, {_WRITTEN} AS written_raw
    FROM "{TABLE}"
), known AS (
    SELECT *, (read_raw IS NOT NULL OR written_raw IS NOT NULL) AS cache_known,
           COALESCE(read_raw, 0) AS cache_read, COALESCE(written_raw, 0) AS cache_written
    FROM raw
), sized AS (
    SELECT *, CASE WHEN cache_known AND cache_read + cache_written > prompt
                   THEN prompt + cache_written ELSE prompt END AS input
    FROM known
), checked AS (
    SELECT *,
        at IS NOT NULL AND at >= '{LOWEST}' AND at < '{HIGHEST}' AS time_ok,
        input IS NOT NULL AND input BETWEEN 0 AND {MAX_TOKENS}
            AND output IS NOT NULL AND output BETWEEN 0 AND {MAX_TOKENS} AS tokens_ok,
        char_length(trim(coalesce(model, ''))) <= {MAX_MODEL_CHARS} AS model_ok,
        cache_read + cache_written <= input AS cache_ok,
        spend >= 0 AND spend < 'Infinity'::float8 AS spend_ok
    FROM sized
), rows AS (
    SELECT *, coalesce(time_ok AND tokens_ok AND model_ok AND cache_ok, false) AS ok,
           date_trunc('hour', at) AS hour,
           floor(extract(epoch FROM date_trunc('minute', at)) / 60)::bigint AS minute,
           {band} AS band
    FROM checked
)
SELECT GROUPING(hour, model, band, hit, minute, input, output) AS grouping_set,
       hour, model, band, hit, minute, input, output,
       count(*) FILTER (WHERE ok) AS requests,
       sum(input) FILTER (WHERE ok) AS inputs,
       sum(cache_read) FILTER (WHERE ok) AS cache_read,
       sum(cache_written) FILTER (WHERE ok) AS cache_written,
       sum(output) FILTER (WHERE ok) AS outputs,
       sum(spend) FILTER (WHERE ok AND spend_ok) AS spend,
       count(*) FILTER (WHERE ok AND spend_ok) AS spend_rows,
       count(*) FILTER (WHERE ok AND cache_known) AS cache_rows,
       min(at) FILTER (WHERE ok) AS first,
       max(at) FILTER (WHERE ok) AS last,
       count(*) FILTER (WHERE NOT coalesce(time_ok, false)) AS bad_time,
       count(*) FILTER (WHERE coalesce(time_ok, false) AND NOT coalesce(tokens_ok, false))
           AS bad_tokens,
       count(*) FILTER (WHERE coalesce(time_ok AND tokens_ok, false) AND NOT model_ok)
           AS bad_model,
       count(*) FILTER (WHERE coalesce(time_ok AND tokens_ok AND model_ok, false)
                        AND NOT coalesce(cache_ok, false)) AS bad_cache
FROM rows
GROUP BY GROUPING SETS ((hour, model, band, hit), (minute), (input), (output), ())
"""


# GROUPING(hour, model, band, hit, minute, input, output): a bit set for each column NOT in the
# row's grouping set, the first column the highest bit.
_GROUPS = 0b0000111
_MINUTES = 0b1111011
_INPUTS = 0b1111101
_OUTPUTS = 0b1111110
_TOTAL = 0b1111111
_BAD_REASONS = (
    ("bad_time", "timestamps outside 2000-2099"),
    ("bad_tokens", f"token counts outside 0-{MAX_TOKENS:,}"),
    ("bad_model", f"model names over {MAX_MODEL_CHARS} characters"),
    ("bad_cache", "cache reads and writes above the input tokens"),
)


def _utc(moment: datetime) -> float:
    """Unix seconds of a `timestamp without time zone` (LiteLLM writes UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _fail(url: str, error: BaseException, password: str | None) -> InputError:
    import psycopg
    from psycopg import errors

    where = shown(url)
    text = " ".join(str(error).split()) or type(error).__name__
    if password:
        text = text.replace(password, "***")
    if isinstance(error, errors.InsufficientPrivilege):
        why = f'permission denied: the role cannot read the table "{TABLE}" ({text}).'
    elif isinstance(error, errors.UndefinedTable):
        why = f'has no table "{TABLE}": is this LiteLLM\'s database? ({text})'
    elif isinstance(error, errors.UndefinedColumn):
        why = f'its "{TABLE}" lacks a column LiteLLM\'s spend logs have ({text}).'
    elif isinstance(error, psycopg.OperationalError):
        why = f"cannot connect or read ({text})."
    else:
        why = f"cannot be read ({type(error).__name__}: {text})."
    return InputError(where, why)


def read_database(url: str, acc: Accumulator) -> tuple[int, list[tuple[str, int]]]:
    """Aggregate LiteLLM's spend logs in the database into `acc`: (requests, [(reason, rows)]
    of the rows that are not requests). Raises InputError for any database error."""
    import psycopg

    password = urlsplit(url).password
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=False) as conn:
            conn.read_only = True
            with conn.cursor(name="advisor_usage") as cursor:
                cursor.itersize = FETCH
                cursor.execute(_statement(acc.thresholds), list(acc.thresholds))
                return _count(cursor, acc)
    except psycopg.Error as error:
        raise _fail(url, error, password) from None
    except (ValueError, UnicodeError) as error:  # a malformed URL
        raise InputError(shown(url), f"is not a database URL advisor can use ({error}).") from None


def _count(cursor: Any, acc: Accumulator) -> tuple[int, list[tuple[str, int]]]:
    minutes: dict[int, int] = {}
    inputs: dict[int, int] = {}
    outputs: dict[int, int] = {}
    tallies: dict[GroupKey, list[Any]] = {}
    requests, bad = 0, []
    for row in cursor:
        (grouping, hour, model, band, hit, minute, n_in, n_out, count) = row[:9]
        if grouping == _TOTAL:
            requests = int(count)
            bad = [(why, int(row[name_index])) for name_index, why in _reasons(cursor)]
            first, last = row[-6], row[-5]
            if first is not None and last is not None:
                acc.add_span(_utc(first), _utc(last))
            continue
        if not count:
            continue  # a group of rows that are not requests
        if grouping == _GROUPS:
            name = (model or "").strip() or None
            key = (name, day_of(_utc(hour)), int(band), PROXY_HIT if hit else 0)
            sums = [int(count), int(row[9]), int(row[10]), int(row[11]), int(row[12])]
            spend, spend_rows, cache_rows = float(row[13] or 0.0), int(row[14]), int(row[15])
            found = tallies.setdefault(key, [0, 0, 0, 0, 0, 0.0, 0, 0])  # type: ignore[arg-type]
            for i, value in enumerate((*sums, spend, spend_rows, cache_rows)):
                found[i] += value
        elif grouping == _MINUTES:
            minutes[int(minute)] = int(count)
        elif grouping == _INPUTS:
            inputs[int(n_in)] = int(count)
        elif grouping == _OUTPUTS:
            outputs[int(n_out)] = int(count)
    from advisor.usage.fields import UNKNOWN_MODEL

    for (name, day, band_, kind), t in tallies.items():
        tally = Tally(t[0], t[1], t[2], t[3], t[4], t[5], t[6])
        acc.add_aggregate(GroupKey(name or UNKNOWN_MODEL, day, band_, kind), tally, t[7])
    acc.add_minutes(minutes)
    acc.add_histograms(inputs, outputs)
    return requests, [(why, n) for why, n in bad if n]


def _reasons(cursor: Any) -> list[tuple[int, str]]:
    names = [d.name for d in cursor.description]
    return [(names.index(column), why) for column, why in _BAD_REASONS]
