"""The horizon and the odds in the TUI: computed off the UI thread after the figures are up,
shown in tabs 8 and 9, and the confidence updated when they come."""

from __future__ import annotations

import time

import pytest
from tests.tui.helpers import decided, screen_text, settle, wait_for

from advisor.core.decision import guard
from advisor.core.decision.model import Decision
from advisor.tui.app import create_app


async def test_the_figures_come_first_then_the_outlook_and_its_confidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adopted: list[tuple[Decision, Decision]] = []
    original = guard.outlook_checked

    def spy(decision: Decision, label: str) -> Decision:
        full = original(decision, label)
        adopted.append((decision, full))
        return full

    monkeypatch.setattr(guard, "outlook_checked", spy)
    app = create_app("consumer-scale")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # waits for the outlook too
        assert adopted, "the outlook never came"
        first, full = adopted[-1]
        assert first.risk is None and "before the odds" in first.recommendation.confidence_basis
        assert app.decision is full and full.risk is not None and full.horizon is not None
        assert full.economics is first.economics  # the same figures, with the outlook added
        assert "of 2,000 draws" in full.recommendation.confidence_basis
        assert f"confidence {full.recommendation.confidence}" in screen_text(pilot)


async def test_tabs_8_and_9_show_the_horizon_and_the_odds_at_80x24() -> None:
    app = create_app("consumer-scale")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("8")
        await pilot.pause()
        text = screen_text(pilot)
        assert "Cumulative cost" in text and "self-hosting below the API from month 1" in text
        await pilot.press("9")
        await pilot.pause()
        text = screen_text(pilot)
        assert "P10" in text and "cheapest" in text and "Self-hosted" in text


async def test_an_edit_while_the_outlook_is_computed_never_shows_a_stale_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = guard.outlook_checked

    def slow_for_the_opened_profile(decision: Decision, label: str) -> Decision:
        if decision.workload.requests_per_day != 1_000:
            time.sleep(0.6)  # still computing when the edit comes
        return original(decision, label)

    monkeypatch.setattr(guard, "outlook_checked", slow_for_the_opened_profile)
    app = create_app("consumer-scale")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision is not None, tries=200)
        await wait_for(pilot, lambda: app.session.profile is not None)
        assert app.session.profile is not None and app.decision is not None
        assert app.decision.risk is None  # the opened profile's odds are still coming
        app.session.profile.workload.requests_per_day = 1_000
        app.recompute()
        await decided(pilot)
        edited = app.decision
        assert edited is not None and edited.workload.requests_per_day == 1_000
        seen: list[Decision] = []

        def outlook_shown() -> bool:
            if app.decision is not None:
                seen.append(app.decision)
            return app.decision is not None and app.decision.risk is not None

        await wait_for(pilot, outlook_shown, tries=200)
        await pilot.pause(0.8)  # long enough for the stale odds to have come, had they
        seen.append(app.decision)  # type: ignore[arg-type]
        assert all(d.workload.requests_per_day == 1_000 for d in seen)
        assert app.decision is not None and app.decision.risk is not None
