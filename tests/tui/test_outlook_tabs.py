"""The horizon and the odds in the TUI: computed off the UI thread after the figures are up,
shown in tabs 8 and 9, and the confidence updated when they come."""

from __future__ import annotations

import pytest
from tests.tui.helpers import screen_text, settle, wait_for

from advisor.core.decision.model import Decision
from advisor.tui.app import AdvisorApp, create_app


async def test_the_figures_come_first_then_the_outlook_and_its_confidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adopted: list[tuple[Decision, Decision]] = []
    original = AdvisorApp._adopt_outlook

    def spy(self: AdvisorApp, decision: Decision, full: Decision) -> None:
        adopted.append((decision, full))
        original(self, decision, full)

    monkeypatch.setattr(AdvisorApp, "_adopt_outlook", spy)
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


async def test_an_edit_while_the_outlook_is_computed_never_shows_a_stale_one() -> None:
    app = create_app("consumer-scale")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.session.profile is not None)
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 1_000
        app.recompute()
        edited = app.decision
        assert edited is not None and edited.workload.requests_per_day == 1_000
        await wait_for(pilot, lambda: app.decision is not None and app.decision.risk is not None)
        assert app.decision.workload.requests_per_day == 1_000  # type: ignore[union-attr]
