"""A chunk of CSV lines (the `csv` and `litellm-csv` formats) counted into an Accumulator.

The fast way takes the whole chunk as columns: split at commas when no field is quoted and every
line has as many fields as the header, else parsed by `csv` (quoted fields may span lines). A
chunk that cannot go the fast way is taken row by row, and each bad row is noted with its line
number and the reason.
"""

from __future__ import annotations

import csv
from itertools import repeat

from advisor.usage.accumulator import Accumulator
from advisor.usage.fields import FALLBACK, BadRow, NoteBad
from advisor.usage.formats import Layout


def add_csv_chunk(
    lines: list[str], quotes: bool, base: int, layout: Layout, acc: Accumulator, note_bad: NoteBad
) -> None:
    """Count `lines` (the first is line `base` + 1) into `acc`; `quotes`: some field is quoted."""
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
            except FALLBACK:
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
            except FALLBACK:
                pass
    pick = layout.columns
    for i, row in enumerate(rows):
        number = numbers[i] if numbers is not None else base + i + 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) != width:
            found = f"{len(row)} field{'s' if len(row) != 1 else ''}"
            note_bad(number, f"{found} where the header has {width}")
            continue
        try:
            acc.add_row(*(row[j] for j in pick))
        except BadRow as bad:
            note_bad(number, bad.reason)
