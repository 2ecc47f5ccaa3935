"""Shared helpers for Pilot tests."""

from __future__ import annotations

from textual.pilot import Pilot


async def wait_for(pilot: Pilot[int], condition, tries: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until `condition()` holds (the prefetch runs in another process)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


def screen_text(pilot: Pilot[int]) -> str:
    """Everything on screen as plain text (what a person would read)."""
    return pilot.app.export_screenshot(simplify=True)
