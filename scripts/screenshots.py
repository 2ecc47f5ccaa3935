"""`make screenshots`: SVGs of the real app for the README, at 80x24 and 120x40.

Each shot starts the app as a person would (`advisor` or `advisor PROFILE`), waits for the
screen to settle, presses the keys, and saves what is on screen.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import NamedTuple

OUT = Path(__file__).resolve().parent.parent / "screenshots"


class Shot(NamedTuple):
    name: str
    profile: str | None  # None: the welcome screen
    keys: tuple[str, ...]


SHOTS = (
    Shot("welcome", None, ()),
    Shot("results", "customer-service", ()),
    Shot("deployment", "consumer-scale", ("2",)),
    Shot("breakeven", "heavy", ("3",)),
    Shot("rules", "regulated-health", ("4",)),
    Shot("questionnaire", "medium", ("e",)),
    Shot("help", "medium", ("f1",)),
)
SIZES = ((80, 24), (120, 40))


async def take(shot: Shot, width: int, height: int) -> Path:
    from advisor.tui.app import create_app

    app = create_app(shot.profile)
    async with app.run_test(size=(width, height)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            ready = app.decision is not None and getattr(app.screen, "tabs_ready", False)
            if (ready or shot.profile is None) and len(app.screen_stack) > 1:
                break
        else:
            raise SystemExit(f"{shot.name}: the app never settled")
        await pilot.pause(0.3)
        for key in shot.keys:
            await pilot.press(key)
            await pilot.pause(0.3)
        path = OUT / f"{shot.name}-{width}x{height}.svg"
        app.save_screenshot(path.name, str(OUT))
    return path


async def main() -> None:
    os.environ.setdefault("ADVISOR_TODAY", "2026-11-26")  # reproducible dates on screen
    OUT.mkdir(exist_ok=True)
    only = set(sys.argv[1:])
    for shot in SHOTS:
        if only and shot.name not in only:
            continue
        for width, height in SIZES:
            print(await take(shot, width, height))


if __name__ == "__main__":
    asyncio.run(main())
