"""Shared fixtures: a fixed 'today', and profiles built from plain dicts."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.core.decision.decide import decide
from advisor.core.decision.model import Decision
from advisor.core.profile.model import Profile

TODAY = "2026-11-26"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs that depend on the date (price staleness) stay reproducible."""
    monkeypatch.setenv("ADVISOR_TODAY", TODAY)
    monkeypatch.delenv("ADVISOR_CATALOG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent-advisor-test-config")
    # The default profiles folder, shown on screen: the same on every machine.
    monkeypatch.setenv("XDG_DATA_HOME", "/nonexistent-advisor-test-data")


def profile(**sections: Any) -> Profile:
    return Profile.model_validate(sections)


def decision(**sections: Any) -> Decision:
    return decide(profile(**sections))
