"""The log formats advisor reads, and how to tell which one a file is in.

Formats (`auto` decides from the first non-empty line):

- `csv`: a header with `timestamp,model,input_tokens,output_tokens` (any order, more columns
  allowed; without `model` every request's model is unknown), and optionally `cost` (what was
  paid, dollars), `cached_input_tokens` (input read from the prompt cache) and
  `cache_write_tokens` (written to it), both counted inside `input_tokens`; `jsonl`: one JSON
  object per line with those keys;
- `litellm`: LiteLLM spend logs, CSV or JSON Lines, with `startTime`, `model`, `prompt_tokens`,
  `completion_tokens`, and when present `spend`, `cache_hit` (answered from LiteLLM's own
  cache) and `metadata` (its `usage_object` or `additional_usage_values` say the cache reads
  and writes);
- `openai`: one OpenAI response per line: `created`, `model`, `usage.prompt_tokens`,
  `usage.completion_tokens`, `usage.prompt_tokens_details.cached_tokens` (also the Responses
  API's `created_at`, `usage.input_tokens` / `usage.output_tokens` /
  `usage.input_tokens_details.cached_tokens`, and Batch API output lines, whose response is
  under `response.body`);
- `anthropic`: one Anthropic Messages API response per line (`"type": "message"`, `model`,
  `usage.input_tokens`, `usage.output_tokens`, `usage.cache_read_input_tokens`,
  `usage.cache_creation_input_tokens`), with the time the caller logged in `created_at`,
  `timestamp` or `created` beside or around it (the API returns none); also Message Batches
  result lines (`result.message`). Anthropic's `input_tokens` leaves the cache reads and
  writes out: the input is the three added up;
- `azure`: Azure's public LLM inference traces (`TIMESTAMP,ContextTokens,GeneratedTokens`,
  github.com/Azure/AzurePublicDataset): context tokens are input, generated tokens output, and
  there is no model.

Any of them may be gzip-compressed (told by its first bytes, whatever the file's name).

`detect` reads the first non-empty line (for JSON Lines whose first line is broken, the next
few) and gives a `Layout`: the format found (`csv`, `jsonl`, `litellm-csv`, `litellm-jsonl`,
`openai`, `anthropic` or `azure`) and, for CSV, the columns of the fields. A file in no format
advisor reads, or not in the one asked for, raises InputError naming what was expected.
"""

from __future__ import annotations

import csv
import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from advisor.core.errors import InputError
from advisor.usage.text import printable

FORMATS = ("auto", "csv", "jsonl", "litellm", "openai", "anthropic", "azure")
LONGEST_LINE = 1 << 24  # a longer "line" is not a log's: it is cut, and its pieces are bad rows
FIELD_LIMIT = csv.field_size_limit()  # Python's csv refuses longer fields: 131,072 characters
JSON_LOOKAHEAD = 20  # lines looked at for the format when the first JSON line is broken
GZIP_MAGIC = b"\x1f\x8b"
# What reading a broken or truncated gzip file raises (besides InputError).
READ_ERRORS = (OSError, EOFError, zlib.error)

GENERIC = ("timestamp", "model", "input_tokens", "output_tokens")
GENERIC_NEEDED = ("timestamp", "input_tokens", "output_tokens")  # no model: unknown
LITELLM = ("starttime", "model", "prompt_tokens", "completion_tokens")
LITELLM_KEYS = ("startTime", "model", "prompt_tokens", "completion_tokens")
AZURE = ("timestamp", "model", "contexttokens", "generatedtokens")
AZURE_NEEDED = ("timestamp", "contexttokens", "generatedtokens")
NO_COLUMN = -1  # Layout.columns: a field the file does not have (the model)
# Columns some logs add (any one of each spelling); LiteLLM's own are spend, cache_hit, metadata.
COST = ("cost", "spend", "cost_usd")
CACHED = ("cached_input_tokens", "cached_tokens", "cache_read_input_tokens")
WRITTEN = ("cache_write_tokens", "cache_creation_input_tokens")

EXPECTED = (
    "a CSV header `timestamp,model,input_tokens,output_tokens`; JSON Lines with those keys; "
    "a LiteLLM spend log (CSV or JSON Lines with startTime, model, prompt_tokens, "
    "completion_tokens, spend); OpenAI responses, one JSON object per line (created, model, "
    "usage.prompt_tokens, usage.completion_tokens); Anthropic messages, one per line, with "
    "the time logged beside them (created_at or timestamp); an Azure LLM inference trace "
    "(TIMESTAMP,ContextTokens,GeneratedTokens); or a LiteLLM database "
    "(postgresql://user@host:port/db); any file may be gzip-compressed"
)


def open_log(path: Path) -> IO[str]:
    """The log as text (UTF-8, a byte order mark skipped; gunzipped when its first bytes say
    gzip). Raises InputError when it cannot be read."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(name, "is a folder, not a log file.")
        with open(path, "rb") as raw:
            magic = raw.read(2)
        if magic == GZIP_MAGIC:
            return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace")
        return open(path, encoding="utf-8-sig", errors="replace")
    except FileNotFoundError:
        raise InputError(name, "no such file.") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror}).") from None


def unreadable(name: str, exc: BaseException) -> InputError:
    """The message for a read that failed part way (a broken gzip file, a disk error)."""
    if isinstance(exc, OSError) and exc.strerror:
        why = exc.strerror
    else:
        why = str(exc) or type(exc).__name__
    return InputError(name, f"cannot be read ({printable(why)}).")


def _first_line(handle: IO[str], name: str) -> tuple[str, int]:
    """The first non-empty line and its number (1-based)."""
    number = 0
    while line := handle.readline(LONGEST_LINE):
        number += 1
        if "\x00" in line:
            raise InputError(name, "is a binary file, not a text log.", allowed=EXPECTED)
        if not line.endswith("\n") and len(line) == LONGEST_LINE:
            raise InputError(
                name, f"line {number} is longer than {LONGEST_LINE:,} characters: not a log."
            )
        if line.strip():
            return line.rstrip("\n"), number
    raise InputError(name, "is empty: no requests to measure.", allowed=EXPECTED)


@dataclass
class Layout:
    """A detected format: how to find the fields (CSV: their columns, NO_COLUMN when absent)."""

    format: str
    columns: tuple[int, ...] = ()  # CSV: timestamp, model (NO_COLUMN when absent), in, out
    width: int = 0  # CSV: fields per row
    spend: int = NO_COLUMN  # what was paid
    cached: int = NO_COLUMN  # cache reads
    written: int = NO_COLUMN  # cache writes
    metadata: int = NO_COLUMN  # LiteLLM: JSON holding the usage (cache reads and writes)
    hit: int = NO_COLUMN  # LiteLLM: cache_hit

    @property
    def extra(self) -> tuple[int, ...]:
        return (self.spend, self.cached, self.written, self.metadata, self.hit)


def _first(index: dict[str, int], spellings: tuple[str, ...]) -> int:
    return next((index[s] for s in spellings if s in index), NO_COLUMN)


def _csv_layout(header: list[str], wanted: str, name: str, line: int) -> Layout:
    names = [h.strip().lower() for h in header]
    index = {n: i for i, n in enumerate(names)}
    cached, written = _first(index, CACHED), _first(index, WRITTEN)
    if wanted in ("auto", "csv") and all(n in index for n in GENERIC_NEEDED):
        columns = tuple(index.get(n, NO_COLUMN) for n in GENERIC)
        return Layout("csv", columns, len(names), _first(index, COST), cached, written)
    if wanted in ("auto", "litellm") and all(n in index for n in LITELLM):
        columns = tuple(index[n] for n in LITELLM)
        return Layout(
            "litellm-csv",
            columns,
            len(names),
            index.get("spend", NO_COLUMN),
            cached,
            written,
            index.get("metadata", NO_COLUMN),
            index.get("cache_hit", NO_COLUMN),
        )
    if wanted in ("auto", "azure") and all(n in index for n in AZURE_NEEDED):
        return Layout("azure", tuple(index.get(n, NO_COLUMN) for n in AZURE), len(names))
    need = {"csv": GENERIC_NEEDED, "litellm": LITELLM, "azure": AZURE_NEEDED}.get(wanted)
    missing = [n for n in need if n not in index] if need else []
    if missing:
        kind = "an Azure trace" if wanted == "azure" else f"a {wanted} log"
        what = f"is not {kind}: its header lacks {', '.join(missing)}"
    else:
        what = "is in no format advisor reads"
    shown = _clip(", ".join(header))
    raise InputError(name, f"{what} (line {line} is {shown}).", allowed=EXPECTED)


def _json_layout(obj: object, wanted: str, name: str, line: int) -> Layout:
    if not isinstance(obj, dict):
        raise InputError(name, f"line {line} is JSON but not an object.", allowed=EXPECTED)
    if wanted in ("auto", "anthropic") and anthropic_message(obj) is not None:
        return Layout("anthropic")
    if wanted in ("auto", "openai") and ("usage" in obj or isinstance(obj.get("response"), dict)):
        return Layout("openai")
    if wanted in ("auto", "litellm") and "startTime" in obj:
        return Layout("litellm-jsonl")
    if wanted in ("auto", "jsonl") and all(k in obj for k in GENERIC):
        return Layout("jsonl")
    if wanted == "openai":
        raise InputError(
            name, f"is not an OpenAI response log: no `usage` on line {line}.", allowed=EXPECTED
        )
    if wanted == "anthropic":
        raise InputError(
            name,
            f"is not an Anthropic message log: line {line} holds no message with its usage.",
            allowed=EXPECTED,
        )
    keys = _clip(", ".join(list(obj)[:8]))
    raise InputError(
        name,
        f"is in no format advisor reads{'' if wanted == 'auto' else ' as ' + wanted}: "
        f"line {line} has keys {keys}.",
        allowed=EXPECTED,
    )


def anthropic_message(obj: dict[str, object]) -> dict[str, object] | None:
    """The Anthropic message a line holds (itself; under `message` or `response`; a Message
    Batches result's `result.message`), or None."""
    result = obj.get("result")
    for candidate in (
        obj,
        obj.get("message"),
        obj.get("response"),
        result.get("message") if isinstance(result, dict) else None,
    ):
        if (
            isinstance(candidate, dict)
            and candidate.get("type") == "message"
            and isinstance(candidate.get("usage"), dict)
        ):
            return candidate
    return None


def _clip(text: str, width: int = 80) -> str:
    """Text from the file, shown safely: clipped, control characters escaped."""
    text = text if len(text) <= width else text[: width - 3] + "..."
    return printable(text)


class _Broken:
    """A line that starts like JSON but does not parse (or nests too deep, or holds a number
    of thousands of digits)."""


def _json_value(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _Broken


def detect(path: Path, wanted: str = "auto") -> tuple[Layout, int]:
    """The file's layout and the line number of its header / first object."""
    name = str(path)
    try:
        with open_log(path) as handle:
            return _detect(handle, name, wanted)
    except READ_ERRORS as exc:
        raise unreadable(name, exc) from None


def _detect(handle: IO[str], name: str, wanted: str) -> tuple[Layout, int]:
    first, number = _first_line(handle, name)
    stripped = first.strip()
    if stripped.startswith("["):
        raise InputError(
            name,
            "is a JSON array; advisor reads JSON Lines, one object per line "
            "(convert with: jq -c '.[]' FILE > FILE.jsonl).",
            allowed=EXPECTED,
        )
    if stripped.startswith("{"):
        if wanted in ("csv", "azure"):
            raise InputError(name, "is JSON, not CSV.", allowed=EXPECTED)
        obj, found = _json_value(stripped), number
        # A broken first line is one bad row when the lines after it show the format.
        looked = 0
        while obj is _Broken and looked < JSON_LOOKAHEAD:
            line = handle.readline(LONGEST_LINE)
            if not line:
                break
            found += 1
            if line.strip():
                looked += 1
                obj = _json_value(line.strip())
        if obj is _Broken:
            raise InputError(
                name, f"line {number} starts like JSON but is not valid JSON.", allowed=EXPECTED
            )
        return _json_layout(obj, wanted, name, found), number
    if wanted in ("jsonl", "openai", "anthropic"):
        raise InputError(
            name, f"is not JSON Lines (line {number} is not an object).", allowed=EXPECTED
        )
    try:
        header = next(csv.reader([first]))
    except csv.Error:
        raise InputError(
            name,
            f"is in no format advisor reads: line {number} has a field longer than "
            f"{FIELD_LIMIT:,} characters.",
            allowed=EXPECTED,
        ) from None
    return _csv_layout(header, wanted, name, number), number
