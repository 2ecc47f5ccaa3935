"""SVG snapshots of each screen at 80x24 (pytest-textual-snapshot).

After an intended change of the screens: `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the new SVGs (and `make screenshots` for the README)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.tui.helpers import settle
from textual.pilot import Pilot

from advisor.tui.app import create_app


def settled(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """Wait for the decision and the deferred tabs (failing loudly if they never come), then
    press the keys."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await still(pilot)

    return run_before


async def still(pilot: Pilot[Any]) -> None:
    """Until the screen stops changing: two exports 0.1 s apart that agree (a loaded machine
    may need more than one frame to draw what the last message changed)."""
    before = None
    for _ in range(50):
        now = pilot.app.export_screenshot()
        if now == before:
            return
        before = now
        await pilot.pause(0.1)
    raise AssertionError("the screen never stopped changing")


def test_welcome(snap_compare: Any) -> None:
    assert snap_compare(create_app(), run_before=settled())


def test_results_of_the_articles_worked_example(snap_compare: Any) -> None:
    assert snap_compare(create_app("customer-service"), run_before=settled())


def test_rule_trace(snap_compare: Any) -> None:
    assert snap_compare(create_app("regulated-health"), run_before=settled("4"))


def test_what_flips(snap_compare: Any) -> None:
    assert snap_compare(create_app("heavy"), run_before=settled("5"))


def test_the_deployment_search(snap_compare: Any) -> None:
    assert snap_compare(create_app("consumer-scale"), run_before=settled("2"))


def test_open_dialog(snap_compare: Any) -> None:
    assert snap_compare(create_app(), run_before=settled("o"))


def test_the_horizon(snap_compare: Any) -> None:
    assert snap_compare(create_app("consumer-scale"), run_before=settled("8"))


def test_the_odds(snap_compare: Any) -> None:
    assert snap_compare(create_app("heavy"), run_before=settled("9"))
