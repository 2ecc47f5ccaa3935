"""A chunk of CSV lines (the `csv`, `litellm-csv` and `azure` formats) counted into an
Accumulator.

The fast way takes the whole chunk as columns: split at commas when no field is quoted, no line
is longer than Python's csv field limit and every line has as many fields as the header, else
parsed by `csv` (quoted fields may span lines). A chunk that cannot go the fast way is taken row
by row, and each bad row is noted with its line number and the reason; a row with a field
longer than csv's limit (131,072 characters) is one of them. A format without a model column
(Azure's traces) counts every request under the unknown model.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from typing import Any

from advisor.usage.accumulator import Accumulator, Columns
from advisor.usage.cache_fields import litellm_cache, litellm_input, proxy_hit
from advisor.usage.fields import FALLBACK, UNKNOWN_MODEL, BadBatch, BadRow, NoteBad
from advisor.usage.formats import FIELD_LIMIT, NO_COLUMN, Layout

_TOO_LONG = f"a field longer than {FIELD_LIMIT:,} characters"


def _pick(column: Callable[[int], Sequence[str]], layout: Layout, n: int) -> Columns:
    """The fields' columns in the Accumulator's order; a missing model is the unknown one."""
    base: list[Sequence[Any]] = [
        column(i) if i != NO_COLUMN else [UNKNOWN_MODEL] * n for i in layout.columns
    ]
    stamps, models = base[0], base[1]

    def optional(i: int) -> Sequence[str] | None:
        return column(i) if i != NO_COLUMN else None

    cached, written = optional(layout.cached), optional(layout.written)
    kinds = None
    if layout.metadata != NO_COLUMN and cached is None and written is None:
        caches = list(map(litellm_cache, column(layout.metadata)))
        read, wrote = [c[0] for c in caches], [c[1] for c in caches]
        if any(w is not None for w in wrote) or any(r is not None for r in read):
            if None in wrote or None in read:
                raise BadBatch  # some rows say, some do not: one by one
            inputs = list(map(litellm_input, base[2], read, wrote))
            spends = optional(layout.spend)
            return Columns(
                stamps, models, inputs, base[3], spends, read, wrote, _kinds(layout, column)
            )
    if layout.hit != NO_COLUMN:
        kinds = _kinds(layout, column)
    return Columns(stamps, models, base[2], base[3], optional(layout.spend), cached, written, kinds)


def _kinds(layout: Layout, column: Callable[[int], Sequence[str]]) -> list[int] | None:
    return None if layout.hit == NO_COLUMN else list(map(proxy_hit, column(layout.hit)))


def _row(row: list[str], layout: Layout) -> tuple[object, ...]:
    """One row's add_row arguments."""

    def get(i: int) -> str | None:
        return row[i] if i != NO_COLUMN else None

    stamp, model, inputs, outputs = (get(i) for i in layout.columns)
    cached, written = get(layout.cached), get(layout.written)
    if layout.metadata != NO_COLUMN and cached is None and written is None:
        read, wrote = litellm_cache(get(layout.metadata))
        inputs = litellm_input(inputs, read, wrote)  # type: ignore[assignment]
        cached, written = read, wrote  # type: ignore[assignment]
    kind = proxy_hit(get(layout.hit)) if layout.hit != NO_COLUMN else 0
    return stamp, model, inputs, outputs, get(layout.spend), cached, written, kind


def _csv_rows(lines: list[str], base: int) -> Iterator[tuple[int, list[str] | None]]:
    """(line number, row) for each row csv reads; row None for one it refuses (too long)."""
    reader = csv.reader(lines)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield base + reader.line_num, None
            continue
        yield base + reader.line_num, row


def add_csv_chunk(
    lines: list[str], quotes: bool, base: int, layout: Layout, acc: Accumulator, note_bad: NoteBad
) -> None:
    """Count `lines` (the first is line `base` + 1) into `acc`; `quotes`: some field is quoted."""
    width = layout.width
    long_lines = max(map(len, lines), default=0) > FIELD_LIMIT
    numbered: list[tuple[int, list[str] | None]]
    if not quotes and not long_lines:
        # The fast way: every line has width - 1 commas, so the chunk's fields, split at once,
        # fall into columns by slicing.
        if set(map(str.count, lines, repeat(","))) == {width - 1}:
            flat = ",".join(lines).split(",")
            try:
                columns = _pick(lambda i: flat[i::width], layout, len(lines))
                acc.add_columns(columns, text=True)
                return
            except FALLBACK:
                pass
        numbered = [(base + i + 1, line.split(",")) for i, line in enumerate(lines)]
    else:
        numbered = list(_csv_rows(lines, base))
        rows = [row for _, row in numbered]
        if rows and all(row is not None and len(row) == width for row in rows):
            fields = list(zip(*rows, strict=True))
            try:
                acc.add_columns(_pick(fields.__getitem__, layout, len(rows)), text=True)
                return
            except FALLBACK:
                pass
    for number, row in numbered:
        if row is None:
            note_bad(number, _TOO_LONG)
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) != width:
            found = f"{len(row)} field{'s' if len(row) != 1 else ''}"
            note_bad(number, f"{found} where the header has {width}")
            continue
        try:
            acc.add_row(*_row(row, layout))  # type: ignore[arg-type]
        except BadRow as bad:
            note_bad(number, bad.reason)
