"""The economics move the verdict the right way, over generated profiles (DESIGN.md §6,
"Verdict stability"):

1. raising the API price never moves the verdict to the API;
2. raising the GPU price never moves it away from the API;
3. with no hard constraint and no strong non-cost rule, the verdict is never the API where the
   API costs more than 1.2 x friction x the cheapest self-hosted option;
and, sweeping volume up, no backward step (self-hosting, then the API, then self-hosting again)
where the API costs more than that. No figure is above a physical bound.
"""

from __future__ import annotations

import math
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.core.catalog.load import default_catalog
from advisor.core.costs.economics import compute
from advisor.core.costs.inputs import Inputs, resolve
from advisor.core.costs.options import group_costs, priced
from advisor.core.costs.throughput import bounds
from advisor.core.decision.verdict import decide_verdict, strong_for_api
from advisor.core.profile.model import Profile
from advisor.core.rules import evaluate_rules

CATALOG = default_catalog()
# ADVISOR_PROPERTY_EXAMPLES=2000 for a long hunt; the suite runs a quick pass.
EXAMPLES = int(os.environ.get("ADVISOR_PROPERTY_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def profiles(draw: st.DrawFn, hard: bool = False) -> dict[str, Any]:
    """Profiles across scales, traffic shapes, teams and needs (hard constraints optional)."""
    out: dict[str, Any] = {
        "workload": {
            "requests_per_day": draw(st.floats(50, 5e6).map(lambda x: round(x, 2))),
            "input_tokens": draw(st.integers(50, 12_000)),
            "output_tokens": draw(st.integers(10, 2_000)),
            "simple_task_share": draw(st.sampled_from([0.0, 0.0, 0.2, 0.5])),
            "sensitive_share": draw(st.sampled_from([0.0, 0.0, 0.3])),
        },
        "api": {
            "input_price_per_mtok": draw(st.sampled_from([0.15, 1.0, 2.5, 3.0, 5.0, 15.0])),
            "output_price_per_mtok": draw(st.sampled_from([0.6, 4.0, 10.0, 15.0, 25.0, 75.0])),
            "cached_input_share": draw(st.sampled_from([0.0, 0.0, 0.5, 0.9])),
            "batch_share": draw(st.sampled_from([0.0, 0.0, 0.5])),
            "hosted_open": draw(st.booleans()),
        },
        "traffic": {
            "variability": draw(st.sampled_from(["steady", "moderate", "bursty", "unpredictable"])),
            "growth_phase": draw(st.booleans()),
        },
        "team": {"ml_expertise": draw(st.sampled_from(["none", "some", "strong"]))},
        "needs": {
            "frontier_capability": draw(st.booleans()),
            "fine_tuned_model": draw(st.booleans()),
            "rapid_iteration": draw(st.booleans()),
            "multi_model": draw(st.booleans()),
        },
        "self_host": {"model": draw(st.sampled_from(["llama-3.3-70b", "llama-3.1-8b"]))},
    }
    if draw(st.booleans()):
        out["self_host"]["gpu"] = draw(st.sampled_from(["a100-80gb", "h100-80gb", "l40s"]))
    if hard:
        out["data"] = {"sovereignty": draw(st.sampled_from(["none", "residency", "on_prem"]))}
        out["latency"] = {"p95_target_ms": draw(st.sampled_from([50.0, 2000.0]))}
    return out


def inputs_of(data: dict[str, Any]) -> Inputs:
    return resolve(Profile.model_validate(data), CATALOG)


def verdict(inp: Inputs) -> str:
    e = compute(inp, full=False)
    return decide_verdict(inp, e, evaluate_rules(inp, e)).verdict


def api_dearer(inp: Inputs) -> Inputs:
    """Every API price doubled: the closed model's and the hosted open model's."""
    hosted = inp.hosted.scaled(2.0) if inp.hosted else None
    return inp._replace(api=inp.api.scaled(2.0), hosted=hosted)


def closed_dearer(inp: Inputs) -> Inputs:
    """The closed model's prices doubled, the hosted open model's unchanged."""
    return inp._replace(api=inp.api.scaled(2.0))


def gpus_dearer(inp: Inputs) -> Inputs:
    return inp._replace(
        main=inp.main._replace(gpu_price_scale=2.0), small=inp.small._replace(gpu_price_scale=2.0)
    )


@SETTINGS
@given(profiles(hard=True))
def test_a_dearer_api_never_moves_the_verdict_to_the_api(data: dict[str, Any]) -> None:
    inp = inputs_of(data)
    before, after = verdict(inp), verdict(api_dearer(inp))
    assert not (after == "api" and before != "api"), (before, after)


@SETTINGS
@given(profiles(hard=True))
def test_a_dearer_closed_model_never_moves_the_verdict_to_the_api(data: dict[str, Any]) -> None:
    inp = inputs_of(data)
    before, after = verdict(inp), verdict(closed_dearer(inp))
    assert not (after == "api" and before != "api"), (before, after)


@SETTINGS
@given(profiles(hard=True))
def test_dearer_gpus_never_move_the_verdict_away_from_the_api(data: dict[str, Any]) -> None:
    inp = inputs_of(data)
    before, after = verdict(inp), verdict(gpus_dearer(inp))
    assert not (before == "api" and after != "api"), (before, after)


def clear_gap(inp: Inputs) -> bool:
    """No hard constraint, no strong non-cost rule, and the API dearer than 1.2 x friction x
    the cheapest self-hosted option."""
    e = compute(inp, full=False)
    rules = evaluate_rules(inp, e)
    if any(r.fired and r.effect.kind == "hard" for r in rules):
        return False
    if strong_for_api(rules, inp.policy.weight_strong):
        return False
    groups = group_costs(priced(inp, e))
    return groups["api"].with_friction > 1.2 * groups["self_hosted"].with_friction


@SETTINGS
@given(profiles())
def test_never_the_api_where_it_costs_more_than_1_2_x_self_hosting(data: dict[str, Any]) -> None:
    inp = inputs_of(data)
    if clear_gap(inp):
        assert verdict(inp) != "api"


@settings(
    max_examples=max(1, EXAMPLES // 3), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(profiles())
def test_a_volume_sweep_never_steps_back_to_the_api_past_the_gap(data: dict[str, Any]) -> None:
    inp = inputs_of(data)
    seen_self_hosting = False
    for k in range(40):
        volume = 100 * 1.35**k
        at = inp._replace(requests_per_day=volume)
        v = verdict(at)
        if v != "api":
            seen_self_hosting = True
        elif seen_self_hosting:
            assert not clear_gap(at), f"back to the API at {volume:,.0f} requests/day"


@SETTINGS
@given(profiles())
def test_no_figure_above_a_physical_bound(data: dict[str, Any]) -> None:
    inp = inputs_of(data)
    e = compute(inp, full=False)
    for d in (e.self_host, *(h.deployment for h in e.hybrids)):
        spec = CATALOG.precisions[d.precision]
        model = CATALOG.models[d.model]
        b = bounds(model, spec, CATALOG.gpus[d.gpu], d.gpus_per_replica, d.precision)
        served = d.throughput.tokens_per_s(inp.input_tokens, inp.output_tokens)
        assert served <= b.compute * (1 + 1e-9)
        assert 0 <= d.utilization <= 1 and d.monthly_cost > 0 and math.isfinite(d.monthly_cost)
        assert d.memory.weights_gb <= d.memory.usable_gb
