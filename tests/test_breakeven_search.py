"""The break-even search skips volumes where self-hosting cannot win (breakeven.volume): an API
bill no larger than the self-hosted side at a smaller volume. That is exact only because the
self-hosted side never falls as volume grows; both are property tests over generated profiles,
with the pins and ways of buying that shape the self-hosted cost."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from advisor.core.costs.api import per_request
from advisor.core.costs.breakeven import BISECTIONS, GRID, SEARCH_MULTIPLE, compared_at, volume
from advisor.core.costs.economics import compute
from advisor.core.costs.inputs import Inputs
from advisor.core.errors import InputError
from test_properties import EXAMPLES, inputs_of, profiles

SETTINGS = settings(
    max_examples=max(1, EXAMPLES // 2), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def pinned_profiles(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(profiles(hard=True))
    pins = {
        "scaling": st.sampled_from(["fixed", "autoscale"]),
        "min_replicas": st.integers(1, 4),
        "purchase": st.sampled_from(["on_demand", "spot", "reserved_1y", "reserved_3y"]),
        "utilization": st.sampled_from([0.3, 0.7]),
        "redundancy": st.sampled_from(["none", "n_plus_1", "auto"]),
        "precisions": st.sampled_from([["fp16"], ["fp8"], ["int4", "fp8"]]),
        "gpus": st.sampled_from([1, 2, 4, 8]),
        "ops_monthly_cost": st.sampled_from([0, 500, 20_000]),
    }
    for key, values in pins.items():
        if draw(st.booleans()):
            data["self_host"][key] = draw(values)
    if draw(st.booleans()):
        data["policy"] = {"gpus_per_ops_step": draw(st.integers(1, 16))}
    return data


def servable(data: dict[str, Any]) -> Inputs:
    """The inputs, where some deployment can hold the model at all (else not a case)."""
    try:
        inp = inputs_of(data)
        compared_at(inp, inp.requests_per_day)
    except InputError:
        assume(False)
        raise
    return inp


@SETTINGS
@given(pinned_profiles(), st.floats(1e-4, 1e3))
def test_the_self_hosted_side_never_falls_as_volume_grows(data: dict[str, Any], at: float) -> None:
    inp = servable(data)
    volumes = [inp.requests_per_day * at * 1.15**k for k in range(30)]
    sides = [compared_at(inp, v)[1] for v in volumes]
    for k in range(1, len(volumes)):
        (v0, low), (v1, high) = (volumes[k - 1], sides[k - 1]), (volumes[k], sides[k])
        assert high >= low, f"${low:,.2f} at {v0:,.1f}/day, then ${high:,.2f} at {v1:,.1f}/day"


def every_point(inp: Inputs, each: float) -> int | None:
    """The search without its skipping: every grid point tried, then plain bisection."""

    def wins(v: float) -> bool:
        api, self_hosted = compared_at(inp, v, each)
        return api > self_hosted

    top = SEARCH_MULTIPLE * inp.requests_per_day
    low = top / 1e9
    ratio = (top / low) ** (1 / (GRID - 1))
    previous = 0.0
    for i in range(GRID):
        v = low * ratio**i
        if wins(v):
            lo, hi = math.floor(previous), math.ceil(v)
            if not wins(float(hi)):
                hi += 1
            for _ in range(BISECTIONS):
                if hi - lo <= 1:
                    break
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if wins(float(mid)) else (mid, hi)
            return int(max(1, hi))
        previous = v
    return None


@SETTINGS
@given(pinned_profiles())
def test_the_search_finds_what_trying_every_volume_finds(data: dict[str, Any]) -> None:
    inp = servable(data)
    closed = per_request(inp)
    assert volume(inp) == every_point(inp, closed)
    if inp.hosted is not None and inp.hosted_excluded is None:
        hosted = inp.bill_of(inp.hosted).per_request
        assert volume(inp, hosted) == every_point(inp, hosted)


@SETTINGS
@given(pinned_profiles())
def test_at_todays_volume_the_search_prices_self_hosting_as_the_decision_does(
    data: dict[str, Any],
) -> None:
    """The break-even search and the chart compare what the decision compares: the same
    deployment, spare replica included (it was left out: a break-even volume below today's
    at which self-hosting did not win)."""
    inp = servable(data)
    e = compute(inp, full=False)
    main = e.self_host
    shortfall = main.shortfall.api_cost if main.shortfall else 0.0
    own = inp.policy.friction_multiplier * main.monthly_cost + shortfall
    assert compared_at(inp, inp.requests_per_day) == (e.api.monthly_cost, own)


def test_a_spare_replica_is_in_the_break_even_volume() -> None:
    """N+1: the break-even volume is where self-hosting with its spare wins, so a volume
    below it never wins and the volume itself does."""
    case = {
        "workload": {"requests_per_day": 50_000, "input_tokens": 2000, "output_tokens": 500},
        "api": {"model": "claude-sonnet-4.6"},
        "self_host": {"model": "llama-3.3-70b", "gpu": "a100-80gb", "redundancy": "n_plus_1"},
    }
    inp = inputs_of(case)
    found = volume(inp)
    assert found is not None and found > 50_000  # it does not win today
    for v, wins in ((found - 1, False), (found, True)):
        what_if = compute(inp._replace(requests_per_day=float(v)), full=False)
        assert what_if.self_host.redundancy == 1
        own = inp.policy.friction_multiplier * what_if.self_host.monthly_cost
        assert (what_if.api.monthly_cost > own) == wins, v
