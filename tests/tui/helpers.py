"""Shared helpers for Pilot tests."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def wait_for(pilot: Pilot[Any], condition: Callable[[], Any], tries: int = 100) -> None:
    """Let the app run until `condition()` holds; fail loudly after `tries` short pauses."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


async def decided(pilot: Pilot[Any]) -> None:
    """The newest answers decided and shown (the app decides off the UI thread)."""
    await wait_for(pilot, lambda: not getattr(pilot.app, "deciding", False))
    await pilot.pause()


async def settle(pilot: Pilot[Any]) -> None:
    """The app's start-up done: the decision shown with its horizon and odds and the results'
    deferred tabs added (or the welcome screen up). Fails loudly instead of giving up."""
    app = pilot.app
    for worker in list(app.workers):
        if worker.name == "start-up":  # the decision being opened (never waits on a person)
            await worker.wait()

    def ready() -> bool:
        if len(app.screen_stack) < 2:
            return False
        return bool(getattr(app.screen, "tabs_ready", False) or app.screen.query("#welcome-menu"))

    await wait_for(pilot, ready)
    decision = getattr(app, "decision", None)
    if decision is not None:  # the horizon and the odds follow off the UI thread
        await wait_for(pilot, lambda: app.decision is None or app.decision.risk is not None)
    await pilot.pause()


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


def reads(pilot: Pilot[int], words: str) -> bool:
    """`words` are on the screen, wherever its lines break them."""
    return " ".join(words.split()) in " ".join(screen_text(pilot).split())
