"""Stream usage logs, a chunk at a time, into an Accumulator, and report what each file gave
(a LiteLLM database, `postgresql://...`, is aggregated where it is: `advisor.usage.postgres`).

Each file's format is detected first (`advisor.usage.formats`); then the file is read in chunks
of about a megabyte, cut at line ends (a CSV chunk also outside quotes), never whole; a gzip file
is decompressed as it is read. Each chunk
is counted by its format's reader (`advisor.usage.csv_chunks`, `advisor.usage.jsonl_chunks`).
Bad rows are skipped and counted, the first few kept with their line numbers; more than 1% of
the rows bad and the file is refused.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from advisor.core.errors import InputError
from advisor.usage.accumulator import Accumulator, TooManyHours
from advisor.usage.csv_chunks import add_csv_chunk
from advisor.usage.formats import (
    EXPECTED,
    LONGEST_LINE,
    READ_ERRORS,
    Layout,
    detect,
    open_log,
    unreadable,
)
from advisor.usage.jsonl_chunks import add_jsonl_chunk
from advisor.usage.postgres import is_database, shown

CHUNK_CHARS = 1 << 20
BAD_ROW_LIMIT = 0.01  # more than 1% bad rows refuses the file
EXAMPLES_KEPT = 5

Progress = Callable[[int], None]  # bytes read so far in the current file


@dataclass
class FileReport:
    """What one file gave: its format, the requests counted, the bad rows skipped."""

    path: str
    # csv | jsonl | litellm-csv | litellm-jsonl | litellm-postgresql | openai | anthropic | azure
    format: str
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
        shown = "; ".join(
            f"line {line}: {reason}" if line else reason for line, reason in self.examples
        )
        more = self.bad - len(self.examples)
        if more > 0:
            shown += f"; and {more:,} more"
        return shown


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
    """Bytes of the file read so far (of a gzip file: compressed bytes, as its size is)."""
    buffer = getattr(handle, "buffer", None)
    raw = getattr(buffer, "fileobj", None) or buffer  # gzip.GzipFile reads from .fileobj
    try:
        return int(raw.tell())  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        return 0


def read_file(
    path: Path, acc: Accumulator, wanted: str = "auto", progress: Progress | None = None
) -> FileReport:
    """Stream one log into `acc`. Raises InputError for a file it cannot read or refuses."""
    layout, header_line = detect(path, wanted)
    name = str(path)
    report = FileReport(name, layout.format)
    try:
        _read(path, layout, header_line, acc, report, progress)
    except READ_ERRORS as exc:
        raise unreadable(name, exc) from None
    if report.rows == 0:
        raise InputError(name, "has no requests, only a header.", allowed=EXPECTED)
    if report.bad_share > BAD_ROW_LIMIT:
        raise InputError(
            name,
            f"refused: {report.bad:,} of {report.rows:,} rows ({report.bad_share:.1%}) are not "
            f"requests, more than the 1% advisor accepts: {report.describe_bad()}.",
        )
    return report


def _read(
    path: Path,
    layout: Layout,
    header_line: int,
    acc: Accumulator,
    report: FileReport,
    progress: Progress | None,
) -> None:
    name, fmt = str(path), layout.format
    is_csv = fmt in ("csv", "litellm-csv", "azure")
    with open_log(path) as handle:
        line = 0
        if is_csv:  # skip up to and including the header
            for _ in range(header_line):
                handle.readline(LONGEST_LINE)
            line = header_line
        for lines, quotes in _chunks(handle, is_csv):
            before = acc.requests
            try:
                if is_csv:
                    add_csv_chunk(lines, quotes, line, layout, acc, report.note_bad)
                else:
                    add_jsonl_chunk(lines, line, fmt, acc, report.note_bad)
                acc.check_bounds()
            except TooManyHours as exc:
                raise InputError(name, f"is not a usage log: {exc}.") from None
            report.requests += acc.requests - before
            line += len(lines)
            if progress is not None:
                progress(_position(handle))


def read_files(
    paths: Sequence[str | Path],
    wanted: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    thresholds: Sequence[int] = (),
) -> tuple[Accumulator, list[FileReport]]:
    """Every file into one Accumulator. `progress(done, total)` is called in bytes;
    `thresholds`: the catalog's long-context thresholds (`groups.tier_thresholds`)."""
    databases = [str(p) for p in paths if is_database(str(p))]
    files = [Path(p) for p in paths if not is_database(str(p))]
    if databases and wanted not in ("auto", "litellm"):
        raise InputError(shown(databases[0]), f"is LiteLLM's database, not a {wanted} log.")
    for file in files:  # missing files first, before a long read
        if not file.exists():
            raise InputError(str(file), "no such file.")
    sizes = [f.stat().st_size if f.is_file() else 0 for f in files]
    total = sum(sizes)
    acc = Accumulator(thresholds)
    reports: list[FileReport] = []
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived lists and no cycles: the collector only costs time
    try:
        _read_all(files, sizes, acc, reports, wanted, progress, total)
    finally:
        if collecting:
            gc.enable()
    for url in databases:
        reports.append(_read_database(url, acc))
    acc.finish()
    return acc, reports


def _read_database(url: str, acc: Accumulator) -> FileReport:
    """LiteLLM's spend logs where the proxy keeps them (`advisor.usage.postgres`)."""
    from advisor.usage.postgres import read_database

    name = shown(url)
    report = FileReport(name, "litellm-postgresql")
    requests, bad = read_database(url, acc)
    try:
        acc.check_bounds()
    except TooManyHours as exc:
        raise InputError(name, f"is not a usage log: {exc}.") from None
    report.requests = requests
    for why, rows in bad:
        report.bad += rows
        if len(report.examples) < EXAMPLES_KEPT:
            report.examples.append((0, f"{rows:,} row{'s' if rows != 1 else ''} with {why}"))
    if report.rows == 0:
        raise InputError(name, 'has no requests in "LiteLLM_SpendLogs".')
    if report.bad_share > BAD_ROW_LIMIT:
        raise InputError(
            name,
            f"refused: {report.bad:,} of {report.rows:,} rows ({report.bad_share:.1%}) are not "
            f"requests, more than the 1% advisor accepts: {report.describe_bad()}.",
        )
    return report


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
