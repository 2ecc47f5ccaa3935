"""Over three years, with the odds (DESIGN.md §6 "Horizon and uncertainty"): the month-by-month
projection against figures worked out here, the break-even month, and seeded draws."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.core.costs.economics import compute
from advisor.core.costs.horizon import project
from advisor.core.decision.serialize import to_dict
from conftest import decision
from test_breakeven_search import pinned_profiles, servable

GROWING: dict[str, Any] = {
    "workload": {"requests_per_day": 20_000, "input_tokens": 3_000, "output_tokens": 500},
    "api": {"model": "claude-sonnet-4.6", "hosted_open": False},
    "team": {"ml_expertise": "strong"},
    "horizon": {"months": 36, "volume_growth_per_year": 1.0, "api_price_change_per_year": -0.3},
}


def test_the_api_month_by_month_compounds_growth_and_price_change() -> None:
    d = decision(**GROWING)
    assert d.horizon is not None and len(d.horizon.monthly) == 36
    per_request = (3_000 * 3.0 + 500 * 15.0) / 1e6
    for m, row in enumerate(d.horizon.monthly):
        volume = 20_000 * 2.0 ** (m / 12)
        factor = 0.7 ** (m / 12)
        assert row.month == m
        assert row.requests_per_day == pytest.approx(volume)
        assert row.costs["api"] == pytest.approx(volume * 30 * per_request * factor)
    cumulative = d.horizon.cumulative["api"]
    assert cumulative[-1] == pytest.approx(sum(r.costs["api"] for r in d.horizon.monthly))


def test_self_hosting_is_resized_as_volume_grows_and_pays_migration_once() -> None:
    d = decision(**GROWING)
    h = d.horizon
    assert h is not None
    own = [r.costs["self_host"] for r in h.monthly]
    assert own[0] == pytest.approx(d.self_host.compared_cost)  # month 0 is today
    assert own[-1] > own[0]  # four times the volume needs more replicas
    assert h.migration_cost == pytest.approx(2 * 4_000)
    assert h.cumulative["self_host"][0] == pytest.approx(h.migration_cost + own[0])
    assert h.cumulative["self_host"][-1] == pytest.approx(h.migration_cost + sum(own))


def test_the_break_even_month_is_the_first_whose_cumulative_self_hosting_is_below_the_api() -> None:
    d = decision(**GROWING)
    h = d.horizon
    assert h is not None
    api, own = h.cumulative["api"], h.cumulative["self_host"]
    expected = next((m for m in range(h.months) if own[m] < api[m]), None)
    assert h.break_even_month == expected
    data = to_dict(d)["horizon"]
    assert data["break_even_month"] == expected
    assert data["months"] == 36 and len(data["monthly"]) == 36 and "api" in data["cumulative"]


def test_no_break_even_when_self_hosting_never_catches_up() -> None:
    d = decision(
        workload={"requests_per_day": 500, "input_tokens": 1_000, "output_tokens": 200},
        horizon={"months": 24},
    )
    assert d.horizon is not None and d.horizon.break_even_month is None
    assert d.growth is not None and "volume growth" in d.growth.sentence


def test_growth_that_changes_the_answer_really_changes_it() -> None:
    d = decision(
        workload={"requests_per_day": 3_000, "input_tokens": 3_000, "output_tokens": 500},
        api={"model": "claude-sonnet-4.6", "hosted_open": False},
    )
    g = d.growth
    assert g is not None
    if g.flips:
        assert g.growth is not None
        inp = d.inputs
        at = inp._replace(horizon=inp.horizon._replace(growth=g.growth))
        assert (project(at, compute(at)).break_even_month is not None) != g.pays_back


def test_the_same_seed_gives_the_same_odds_and_they_sum_to_one() -> None:
    a, b = decision(**GROWING), decision(**GROWING)
    assert a.risk is not None and b.risk is not None
    assert json.dumps(to_dict(a)["uncertainty"]) == json.dumps(to_dict(b)["uncertainty"])
    assert math.isclose(sum(a.risk.p_cheapest.values()), 1.0)
    other = decision(**{**GROWING, "uncertainty": {"seed": 7}})
    assert other.risk is not None and other.risk.quantiles != a.risk.quantiles
    data = to_dict(a)["uncertainty"]
    assert data["draws"] == 2000 and data["seed"] == 2026
    for q in data["quantiles"].values():
        assert q["p10"] <= q["p50"] <= q["p90"]


def test_an_option_that_wins_every_draw_is_reported_at_least_0_99() -> None:
    d = decision(
        workload={"requests_per_day": 2_000_000, "input_tokens": 1_200, "output_tokens": 300},
        api={"model": "gpt-4o", "hosted_open": False},
        team={"ml_expertise": "strong"},
    )
    assert d.risk is not None
    assert d.risk.p_group["self_hosted"] >= 0.99
    assert d.risk.p_cheapest["api"] == 0.0


def test_a_near_tie_reports_neither_above_0_9() -> None:
    """A volume near the break-even against the closed model: either may win a draw."""
    base = decision(
        workload={"requests_per_day": 20_000, "input_tokens": 3_000, "output_tokens": 500},
        api={"model": "claude-sonnet-4.6", "hosted_open": False},
        team={"ml_expertise": "strong"},
    )
    volume = base.break_even.requests_per_day
    assert volume is not None
    d = decision(
        workload={"requests_per_day": volume, "input_tokens": 3_000, "output_tokens": 500},
        api={"model": "claude-sonnet-4.6", "hosted_open": False},
        team={"ml_expertise": "strong"},
    )
    assert d.risk is not None
    assert max(d.risk.p_cheapest.values()) < 0.9


def test_your_own_ranges_are_used_and_named() -> None:
    d = decision(**{**GROWING, "uncertainty": {"requests_per_day": [19_000, 21_000]}})
    assert d.risk is not None
    r = next(x for x in d.risk.ranges if x.key == "requests_per_day")
    assert (r.low, r.high, r.why) == (19_000, 21_000, "yours")


def test_confidence_says_it_comes_from_the_odds() -> None:
    d = decision(**GROWING)
    assert "draws" in d.recommendation.confidence_basis
    assert to_dict(d)["recommendation"]["confidence_basis"] == d.recommendation.confidence_basis


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pinned_profiles(),
    st.sampled_from([-0.5, 0.0, 0.3, 4.0]),
    st.sampled_from([-0.3, 0.0, 0.2]),
)
def test_the_growth_flips_lean_projection_is_the_full_ones(
    data: dict[str, Any], growth: float, api_change: float
) -> None:
    """The growth flip's bisection projects the API and full self-hosting alone, with the
    bill of each month's re-sizing only (horizon.resized_cost): the same months, to the cent,
    and the same break-even month as the full projection."""
    data["horizon"] = {"volume_growth_per_year": growth, "api_price_change_per_year": api_change}
    inp = servable(data)
    e = compute(inp, full=False)
    full, lean = project(inp, e), project(inp, e, every_option=False)
    assert lean.break_even_month == full.break_even_month
    for a, b in zip(full.monthly, lean.monthly, strict=True):
        assert b.costs == {k: a.costs[k] for k in b.costs}
        assert b.with_friction == {k: a.with_friction[k] for k in b.with_friction}
