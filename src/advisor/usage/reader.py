"""Detect a usage log's format and stream it, a chunk at a time, into an Accumulator.

Formats (`auto` decides from the first non-empty line):

- `csv`: a header with `timestamp,model,input_tokens,output_tokens` (any order, more columns
  allowed); `jsonl`: one JSON object per line with those keys;
- `litellm`: LiteLLM spend logs, CSV or JSON Lines, with `startTime`, `model`, `prompt_tokens`,
  `completion_tokens` (and `spend`, summed when present);
- `openai`: one OpenAI response per line: `created`, `model`, `usage.prompt_tokens`,
  `usage.completion_tokens` (also the Responses API's `created_at` and `usage.input_tokens` /
  `usage.output_tokens`, and Batch API output lines, whose response is under `response.body`).

Timestamps are ISO 8601 (no zone means UTC) or Unix time (seconds; above 1e11, milliseconds).
A file is never read whole: chunks of about a megabyte, cut at line ends. Bad rows are skipped
and counted, the first few kept with their line numbers; more than 1% of the rows bad and the
file is refused.
"""

from __future__ import annotations

import csv
import gc
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from advisor.core.errors import InputError
from advisor.usage.stats import Accumulator, BadBatch, BadRow

FORMATS = ("auto", "csv", "jsonl", "litellm", "openai")
CHUNK_CHARS = 1 << 20
LONGEST_LINE = 1 << 24  # a longer "line" is not a log's: it is cut, and its pieces are bad rows
BAD_ROW_LIMIT = 0.01  # more than 1% bad rows refuses the file
EXAMPLES_KEPT = 5

GENERIC = ("timestamp", "model", "input_tokens", "output_tokens")
LITELLM = ("starttime", "model", "prompt_tokens", "completion_tokens")
LITELLM_KEYS = ("startTime", "model", "prompt_tokens", "completion_tokens")

EXPECTED = (
    "a CSV header `timestamp,model,input_tokens,output_tokens`; JSON Lines with those keys; "
    "a LiteLLM spend log (CSV or JSON Lines with startTime, model, prompt_tokens, "
    "completion_tokens, spend); or OpenAI responses, one JSON object per line (created, model, "
    "usage.prompt_tokens, usage.completion_tokens)"
)

Progress = Callable[[int], None]  # bytes read so far in the current file

# What a batch that cannot go the fast way raises; its rows are then taken one by one.
_FALLBACK = (ValueError, TypeError, KeyError, AttributeError, OverflowError, ArithmeticError)


@dataclass
class FileReport:
    """What one file gave: its format, the requests counted, the bad rows skipped."""

    path: str
    format: str  # csv | jsonl | litellm-csv | litellm-jsonl | openai
    requests: int = 0
    bad: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    @property
    def rows(self) -> int:
        return self.requests + self.bad

    @property
    def bad_share(self) -> float:
        return self.bad / self.rows if self.rows else 0.0

    def note_bad(self, line: int, reason: str) -> None:
        self.bad += 1
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append((line, reason))

    def describe_bad(self) -> str:
        shown = "; ".join(f"line {line}: {reason}" for line, reason in self.examples)
        more = self.bad - len(self.examples)
        if more > 0:
            shown += f"; and {more:,} more"
        return shown


# -- opening and detecting -----------------------------------------------------------------


def _open(path: Path) -> IO[str]:
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(name, "is a folder, not a log file.")
        return open(path, encoding="utf-8-sig", errors="replace")
    except FileNotFoundError:
        raise InputError(name, "no such file.") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror}).") from None


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
    """A detected format: how to find the four (or five) fields."""

    format: str
    columns: tuple[int, ...] = ()  # CSV: indices of timestamp, model, in, out[, spend]
    width: int = 0  # CSV: fields per row


def _csv_layout(header: list[str], wanted: str, name: str, line: int) -> Layout:
    names = [h.strip().lower() for h in header]
    index = {n: i for i, n in enumerate(names)}
    if wanted in ("auto", "csv") and all(n in index for n in GENERIC):
        return Layout("csv", tuple(index[n] for n in GENERIC), len(names))
    if wanted in ("auto", "litellm") and all(n in index for n in LITELLM):
        columns = tuple(index[n] for n in LITELLM)
        if "spend" in index:
            columns += (index["spend"],)
        return Layout("litellm-csv", columns, len(names))
    need = {"csv": GENERIC, "litellm": LITELLM}.get(wanted)
    missing = [n for n in need if n not in index] if need else []
    if missing:
        what = f"is not a {wanted} log: its header lacks {', '.join(missing)}"
    else:
        what = "is in no format advisor reads"
    shown = _clip(", ".join(header))
    raise InputError(name, f"{what} (line {line} is {shown}).", allowed=EXPECTED)


def _json_layout(obj: object, wanted: str, name: str, line: int) -> Layout:
    if not isinstance(obj, dict):
        raise InputError(name, f"line {line} is JSON but not an object.", allowed=EXPECTED)
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
    keys = ", ".join(list(obj)[:8])
    raise InputError(
        name,
        f"is in no format advisor reads{'' if wanted == 'auto' else ' as ' + wanted}: "
        f"line {line} has keys {keys}.",
        allowed=EXPECTED,
    )


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def detect(path: Path, wanted: str = "auto") -> tuple[Layout, int]:
    """The file's layout and the line number of its header / first object."""
    name = str(path)
    with _open(path) as handle:
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
        if wanted == "csv":
            raise InputError(name, "is JSON, not CSV.", allowed=EXPECTED)
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            raise InputError(
                name, f"line {number} starts like JSON but is not valid JSON.", allowed=EXPECTED
            ) from None
        return _json_layout(obj, wanted, name, number), number
    if wanted in ("jsonl", "openai"):
        raise InputError(
            name, f"is not JSON Lines (line {number} is not an object).", allowed=EXPECTED
        )
    header = next(csv.reader([first]))
    return _csv_layout(header, wanted, name, number), number


# -- streaming -------------------------------------------------------------------------------


def _chunks(handle: IO[str], quoted_csv: bool) -> Iterator[tuple[list[str], bool]]:
    """Lists of lines (without line ends), about CHUNK_CHARS at a time, cut at line ends; a CSV
    chunk also ends outside quotes. With each: whether it has quotes (then csv must parse)."""
    while True:
        text = handle.read(CHUNK_CHARS)
        if not text:
            return
        if not text.endswith("\n"):
            text += handle.readline(LONGEST_LINE)
        quotes = '"' in text
        if quoted_csv and quotes:
            while text.count('"') % 2 and len(text) < LONGEST_LINE:
                more = handle.readline(LONGEST_LINE)
                if not more:
                    break
                text += more
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        yield lines, quotes


def _position(handle: IO[str]) -> int:
    try:
        return int(handle.buffer.tell())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return 0


def read_file(
    path: Path, acc: Accumulator, wanted: str = "auto", progress: Progress | None = None
) -> FileReport:
    """Stream one log into `acc`. Raises InputError for a file it cannot read or refuses."""
    layout, header_line = detect(path, wanted)
    name = str(path)
    report = FileReport(name, layout.format)
    is_csv = layout.format in ("csv", "litellm-csv")
    with _open(path) as handle:
        line = 0
        if is_csv:  # skip up to and including the header
            for _ in range(header_line):
                handle.readline(LONGEST_LINE)
            line = header_line
        for lines, quotes in _chunks(handle, is_csv):
            before = acc.requests
            try:
                if is_csv:
                    _csv_chunk(lines, quotes, line, layout, acc, report)
                else:
                    _json_chunk(lines, line, layout.format, acc, report)
                acc.check_bounds()
            except OverflowError as exc:
                raise InputError(name, f"is not a usage log: {exc}.") from None
            report.requests += acc.requests - before
            line += len(lines)
            if progress is not None:
                progress(_position(handle))
    if report.rows == 0:
        raise InputError(name, "has no requests, only a header.", allowed=EXPECTED)
    if report.bad_share > BAD_ROW_LIMIT:
        raise InputError(
            name,
            f"refused: {report.bad:,} of {report.rows:,} rows ({report.bad_share:.1%}) are not "
            f"requests, more than the 1% advisor accepts: {report.describe_bad()}.",
        )
    return report


def read_files(
    paths: Sequence[str | Path],
    wanted: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Accumulator, list[FileReport]]:
    """Every file into one Accumulator. `progress(done, total)` is called in bytes."""
    files = [Path(p) for p in paths]
    for file in files:  # missing files first, before a long read
        if not file.exists():
            raise InputError(str(file), "no such file.")
    sizes = [f.stat().st_size if f.is_file() else 0 for f in files]
    total = sum(sizes)
    acc = Accumulator()
    reports: list[FileReport] = []
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived lists and no cycles: the collector only costs time
    try:
        _read_all(files, sizes, acc, reports, wanted, progress, total)
    finally:
        if collecting:
            gc.enable()
    acc.finish()
    return acc, reports


def _read_all(
    files: list[Path],
    sizes: list[int],
    acc: Accumulator,
    reports: list[FileReport],
    wanted: str,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    done = 0
    for file, size in zip(files, sizes, strict=True):
        on_bytes = None
        if progress is not None:
            base = done

            def on_bytes(position: int, base: int = base) -> None:
                progress(base + position, total)

        reports.append(read_file(file, acc, wanted, on_bytes))
        done += size
        if progress is not None:
            progress(done, total)


# -- CSV -------------------------------------------------------------------------------------


def _csv_chunk(
    lines: list[str], quotes: bool, base: int, layout: Layout, acc: Accumulator, report: FileReport
) -> None:
    width = layout.width
    numbers: list[int] | None = None
    if not quotes:
        # The fast way: every line has width - 1 commas, so the chunk's fields, split at once,
        # fall into columns by slicing.
        if set(map(str.count, lines, repeat(","))) == {width - 1}:
            flat = ",".join(lines).split(",")
            try:
                acc.add_columns([flat[i::width] for i in layout.columns], text=True)
                return
            except _FALLBACK:
                pass
        rows = [line.split(",") for line in lines]
    else:
        rows = list(csv.reader(lines))
        if len(rows) != len(lines):  # a quoted field spans lines: number rows by the reader
            reader = csv.reader(lines)
            rows, numbers = [], []
            for row in reader:
                rows.append(row)
                numbers.append(base + reader.line_num)
        if rows and set(map(len, rows)) == {width}:
            columns = list(zip(*rows, strict=True))
            try:
                acc.add_columns([columns[i] for i in layout.columns], text=True)
                return
            except _FALLBACK:
                pass
    pick = layout.columns
    for i, row in enumerate(rows):
        number = numbers[i] if numbers is not None else base + i + 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) != width:
            found = f"{len(row)} field{'s' if len(row) != 1 else ''}"
            report.note_bad(number, f"{found} where the header has {width}")
            continue
        try:
            acc.add_row(*(row[j] for j in pick))
        except BadRow as bad:
            report.note_bad(number, bad.reason)


# -- JSON Lines ------------------------------------------------------------------------------

_GENERIC_GET = itemgetter(*GENERIC)


def _generic(obj: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return tuple(_GENERIC_GET(obj))
    except KeyError as missing:
        raise BadRow(f"no {missing.args[0]}") from None


def _litellm(obj: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return (*(obj[k] for k in LITELLM_KEYS), obj.get("spend"))
    except KeyError as missing:
        raise BadRow(f"no {missing.args[0]}") from None


def _openai(obj: dict[str, Any]) -> tuple[Any, ...]:
    response = obj.get("response")
    if isinstance(response, dict) and "usage" not in obj:  # a Batch API output line
        body = response.get("body")
        if not isinstance(body, dict):
            raise BadRow("a batch line without a response body")
        obj = body
    usage = obj.get("usage")
    if not isinstance(usage, dict):
        raise BadRow("no usage")
    created = obj.get("created", obj.get("created_at"))
    if created is None:
        raise BadRow("no created")
    prompt = usage.get("prompt_tokens", usage.get("input_tokens"))
    completion = usage.get("completion_tokens", usage.get("output_tokens"))
    if prompt is None:
        raise BadRow("no usage.prompt_tokens")
    if completion is None:
        raise BadRow("no usage.completion_tokens")
    return created, obj.get("model"), prompt, completion


_EXTRACT = {"jsonl": _generic, "litellm-jsonl": _litellm, "openai": _openai}


def _json_columns(objs: list[Any], fmt: str) -> list[Sequence[Any]]:
    """The columns of a clean batch, or an exception (then one by one)."""
    if fmt == "jsonl":
        return [list(map(itemgetter(k), objs)) for k in GENERIC]
    if fmt == "litellm-jsonl":
        columns: list[Sequence[Any]] = [list(map(itemgetter(k), objs)) for k in LITELLM_KEYS]
        spends = [o.get("spend") for o in objs]
        return [*columns, spends]
    usages = list(map(itemgetter("usage"), objs))
    return [
        list(map(itemgetter("created"), objs)),
        list(map(itemgetter("model"), objs)),
        list(map(itemgetter("prompt_tokens"), usages)),
        list(map(itemgetter("completion_tokens"), usages)),
    ]


def _json_chunk(
    lines: list[str], base: int, fmt: str, acc: Accumulator, report: FileReport
) -> None:
    try:
        # One parse for the chunk: the lines as the items of one array (a blank or broken line
        # breaks it, and a line holding two values shows in the count).
        objs = json.loads("[" + ",".join(lines) + "]")
        if len(objs) != len(lines):
            raise BadBatch
        acc.add_columns(_json_columns(objs, fmt))
        return
    except _FALLBACK:
        pass  # take the lines one by one, naming the bad ones
    extract = _EXTRACT[fmt]
    for i, text in enumerate(lines):
        if not text.strip():
            continue
        number = base + i + 1
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError):
            report.note_bad(number, "not a JSON object")
            continue
        if not isinstance(obj, dict):
            report.note_bad(number, "not a JSON object")
            continue
        try:
            acc.add_row(*extract(obj))
        except BadRow as bad:
            report.note_bad(number, bad.reason)
