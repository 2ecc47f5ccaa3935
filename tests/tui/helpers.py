"""Shared helpers for Pilot tests."""

from __future__ import annotations

import html
import re

from textual.pilot import Pilot


async def wait_for(pilot: Pilot[int], condition, tries: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until `condition()` holds (the prefetch runs in another process)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


TEXT = re.compile(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>(.*?)</text>')


def screen_text(pilot: Pilot[int]) -> str:
    """The screen as plain text, line by line: what a person reads. Built from the public
    SVG export, where each run of text sits at x = column x character width."""
    rows: dict[float, dict[int, str]] = {}
    for x, y, length, raw in TEXT.findall(pilot.app.export_screenshot()):
        text = html.unescape(raw).replace("\xa0", " ")
        if not text:
            continue
        column = round(float(x) / (float(length) / len(text)))
        row = rows.setdefault(float(y), {})
        for offset, char in enumerate(text):
            row[column + offset] = char
    lines = []
    for _, cells in sorted(rows.items()):
        width = max(cells) + 1
        lines.append("".join(cells.get(i, " ") for i in range(width)).rstrip())
    return "\n".join(lines)
