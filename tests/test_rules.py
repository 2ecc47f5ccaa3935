"""The rule engine and the verdict order (DESIGN.md section 3).

Every rule id fires in one case and stays quiet in another; effects (kind, toward, weight) come
from the policy; explanations carry the numbers the rule used; thresholds and weights follow a
profile's [policy]; the verdict follows the documented order; conflicts cap the confidence.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import ValidationError

from advisor.core.costs.options import Priced
from advisor.core.decision.decide import decide
from advisor.core.decision.model import Decision
from advisor.core.decision.verdict import confidence
from advisor.core.errors import InputError, InputErrors
from advisor.core.profile.model import Profile
from advisor.core.rules import RULE_IDS, Effect, RuleResult, money
from advisor.core.rules.costs import api_or_not, label

# API prices are given explicitly so that a catalog update cannot move the API figures; the
# same open model hosted is left out, so these cases weigh the API against self-hosting
# (tests/test_hosted_open.py covers it).
SONNET = {
    "model": "claude-3.5-sonnet",
    "input_price_per_mtok": 3.0,
    "output_price_per_mtok": 15.0,
    "hosted_open": False,
}
ALWAYS_FIRE = {"break-even", "api-fallback"}


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def workload(requests_per_day: float, **extra: Any) -> dict[str, Any]:
    return {
        "requests_per_day": requests_per_day,
        "input_tokens": 5600,
        "output_tokens": 500,
        **extra,
    }


# $729/month on the API.
SMALL: dict[str, Any] = {"workload": workload(1_000), "api": SONNET}
# The article's customer-service example: $7,290/month on the API.
ARTICLE: dict[str, Any] = {"workload": workload(10_000), "api": SONNET}
# $72,900/month on the API.
BIG: dict[str, Any] = {"workload": workload(100_000), "api": SONNET}
# $145,800/month, flat traffic, a strong team: full self-hosting is the cheapest option.
HUGE: dict[str, Any] = {
    "workload": workload(200_000),
    "api": SONNET,
    "traffic": {"peak_to_average": 1.0},
    "team": {"ml_expertise": "strong"},
}
# An expensive API ($15/$75 per M) with bursty traffic: baseline self-hosted plus API overflow
# (the volume hybrid) is the cheapest option.
BURSTY_PRICEY: dict[str, Any] = {
    "workload": workload(100_000),
    "api": {"input_price_per_mtok": 15.0, "output_price_per_mtok": 75.0, "hosted_open": False},
    "traffic": {"variability": "bursty"},
}


def decide_with(base: dict[str, Any], **extra: Any) -> Decision:
    return decide(Profile.model_validate(merge(base, extra)))


def decide_before_odds(base: dict[str, Any], **extra: Any) -> Decision:
    """The decision as the TUI first shows it: confidence from the cost margin."""
    return decide(Profile.model_validate(merge(base, extra)), outlook=False)


def exact_spend(requests_per_day: float) -> dict[str, Any]:
    """$0.25 a request, 20 days a month: requests_per_day x $5 a month, exact in binary."""
    return {
        "workload": {
            "requests_per_day": requests_per_day,
            "input_tokens": 125_000,
            "output_tokens": 0,
            "days_per_month": 20,
        },
        "api": {"input_price_per_mtok": 2.0, "output_price_per_mtok": 1.0},
    }


# ---------------------------------------------------------------------------------------------
# Every rule: one case where it fires, one where it does not, with effect and explanation.
# ---------------------------------------------------------------------------------------------

# (case id, rule id, profile, fired, kind, toward, weight, fragments of the explanation)
RULE_CASES: list[tuple[str, str, dict[str, Any], bool, str, str | None, float, list[str]]] = [
    (
        "spend-under-5k fires at $729",
        "spend-under-5k",
        SMALL,
        True,
        "weight",
        "api",
        3,
        ["$729/month", "under $5,000"],
    ),
    (
        "spend-under-5k quiet at $7,290",
        "spend-under-5k",
        ARTICLE,
        False,
        "weight",
        "api",
        0,
        ["$7,290", "not under $5,000"],
    ),
    (
        "spend-5k-20k with 30% simple tasks leans hybrid",
        "spend-5k-20k",
        merge(ARTICLE, {"workload": {"simple_task_share": 0.3}}),
        True,
        "weight",
        "hybrid",
        1,
        ["$7,290", "$5,000-$20,000", "30%"],
    ),
    (
        "spend-5k-20k without simple tasks only says analyse",
        "spend-5k-20k",
        ARTICLE,
        True,
        "info",
        None,
        0,
        ["$7,290", "$5,000-$20,000", "0%", "under 30%"],
    ),
    (
        "spend-5k-20k quiet at $729",
        "spend-5k-20k",
        SMALL,
        False,
        "info",
        None,
        0,
        ["$729", "outside"],
    ),
    (
        "spend-over-20k fires at $72,900",
        "spend-over-20k",
        BIG,
        True,
        "weight",
        "hybrid",
        1,
        ["$72,900", "over $20,000"],
    ),
    (
        "spend-over-20k quiet at $7,290",
        "spend-over-20k",
        ARTICLE,
        False,
        "weight",
        "hybrid",
        0,
        ["$7,290", "not over $20,000"],
    ),
    (
        "utilization-trap fires at 30%",
        "utilization-trap",
        merge(ARTICLE, {"self_host": {"utilization": 0.3}}),
        True,
        "weight",
        "api",
        1,
        ["30%", "below 40%", "3.3x"],
    ),
    (
        "utilization-trap quiet at 50%",
        "utilization-trap",
        merge(ARTICLE, {"self_host": {"utilization": 0.5}}),
        False,
        "weight",
        "api",
        0,
        ["50%", "at or above 40%"],
    ),
    (
        "variable-traffic fires on bursty traffic",
        "variable-traffic",
        merge(ARTICLE, {"traffic": {"variability": "bursty"}}),
        True,
        "weight",
        "api",
        1,
        ["bursty", "peak 4x average"],
    ),
    (
        "variable-traffic fires in a growth phase",
        "variable-traffic",
        merge(ARTICLE, {"traffic": {"growth_phase": True}}),
        True,
        "weight",
        "api",
        1,
        ["growth phase"],
    ),
    (
        "variable-traffic adds nothing when self-hosting sized for it is still cheaper",
        "variable-traffic",
        BURSTY_PRICEY,
        True,
        "info",
        None,
        0,
        ["bursty", "still cheaper than the API", "$364,500"],
    ),
    (
        "variable-traffic quiet on steady traffic",
        "variable-traffic",
        ARTICLE,
        False,
        "weight",
        "api",
        0,
        ["steady"],
    ),
    (
        "latency fires for 20% critical: hybrid",
        "latency-under-100ms",
        merge(ARTICLE, {"latency": {"p95_target_ms": 50, "critical_share": 0.2}}),
        True,
        "hard",
        "hybrid",
        0,
        ["50 ms", "under 100 ms", "20%"],
    ),
    (
        "latency fires for all critical: self_host",
        "latency-under-100ms",
        merge(ARTICLE, {"latency": {"p95_target_ms": 50, "critical_share": 1.0}}),
        True,
        "hard",
        "self_host",
        0,
        ["50 ms", "100 ms", "100%"],
    ),
    (
        "latency quiet at 2000 ms",
        "latency-under-100ms",
        ARTICLE,
        False,
        "hard",
        "self_host",
        0,
        ["2,000 ms", "not under 100 ms"],
    ),
    (
        "data-sovereignty on_prem with a 30% sensitive share: hybrid",
        "data-sovereignty",
        merge(ARTICLE, {"workload": {"sensitive_share": 0.3}, "data": {"sovereignty": "on_prem"}}),
        True,
        "hard",
        "hybrid",
        0,
        ["30%"],
    ),
    (
        "data-sovereignty on_prem with no share given: all self-hosted",
        "data-sovereignty",
        merge(ARTICLE, {"data": {"sovereignty": "on_prem"}}),
        True,
        "hard",
        "self_host",
        0,
        ["all requests"],
    ),
    (
        "data-sovereignty quiet when a provider offer is acceptable",
        "data-sovereignty",
        merge(ARTICLE, {"data": {"sovereignty": "on_prem", "api_compliance_ok": True}}),
        False,
        "hard",
        "self_host",
        0,
        ["compliance"],
    ),
    (
        "data-sovereignty quiet for residency only",
        "data-sovereignty",
        merge(ARTICLE, {"data": {"sovereignty": "residency"}}),
        False,
        "hard",
        "self_host",
        0,
        ["residency"],
    ),
    (
        "air-gapped fires",
        "air-gapped",
        merge(ARTICLE, {"data": {"air_gapped": True}}),
        True,
        "hard",
        "self_host",
        0,
        ["local inference only"],
    ),
    (
        "air-gapped quiet",
        "air-gapped",
        ARTICLE,
        False,
        "hard",
        "self_host",
        0,
        ["Internet access"],
    ),
    (
        "fine-tuned-model fires",
        "fine-tuned-model",
        merge(ARTICLE, {"needs": {"fine_tuned_model": True}}),
        True,
        "weight",
        "self_host",
        1,
        ["fine-tuned"],
    ),
    (
        "fine-tuned-model quiet",
        "fine-tuned-model",
        ARTICLE,
        False,
        "weight",
        "self_host",
        0,
        ["No fine-tuned model"],
    ),
    (
        "frontier-capability fires",
        "frontier-capability",
        merge(ARTICLE, {"needs": {"frontier_capability": True}}),
        True,
        "weight",
        "api",
        3,
        ["6-18 months"],
    ),
    (
        "frontier-capability quiet",
        "frontier-capability",
        ARTICLE,
        False,
        "weight",
        "api",
        0,
        ["capable enough"],
    ),
    (
        "limited-expertise fires with no expertise",
        "limited-expertise",
        merge(ARTICLE, {"team": {"ml_expertise": "none"}}),
        True,
        "weight",
        "api",
        3,
        ["No ML infrastructure expertise"],
    ),
    (
        "limited-expertise quiet with some expertise",
        "limited-expertise",
        merge(ARTICLE, {"team": {"ml_expertise": "some"}}),
        False,
        "weight",
        "api",
        0,
        ["some"],
    ),
    (
        "rapid-iteration fires",
        "rapid-iteration",
        merge(ARTICLE, {"needs": {"rapid_iteration": True}}),
        True,
        "weight",
        "api",
        1,
        ["iterating"],
    ),
    (
        "rapid-iteration quiet",
        "rapid-iteration",
        ARTICLE,
        False,
        "weight",
        "api",
        0,
        ["settled"],
    ),
    (
        "multi-model fires",
        "multi-model",
        merge(ARTICLE, {"needs": {"multi_model": True}}),
        True,
        "weight",
        "api",
        1,
        ["Several models"],
    ),
    (
        "multi-model quiet",
        "multi-model",
        ARTICLE,
        False,
        "weight",
        "api",
        0,
        ["One model"],
    ),
    (
        "extreme-volume fires at 200,000 requests/day",
        "extreme-volume",
        HUGE,
        True,
        "weight",
        "self_host",
        3,
        ["66,667 requests/day", "already beats the API", "at least 40%"],
    ),
    (
        "extreme-volume quiet at 10,000 requests/day",
        "extreme-volume",
        ARTICLE,
        False,
        "weight",
        "self_host",
        0,
        ["3,333 requests/day", "does not yet beat the API"],
    ),
    (
        "output-token-trap fires when output lengths are a guess",
        "output-token-trap",
        ARTICLE,
        True,
        "warning",
        None,
        0,
        ["500 tokens", "31%", "5.0x"],
    ),
    (
        "output-token-trap quiet when output lengths are measured",
        "output-token-trap",
        merge(ARTICLE, {"workload": {"output_tokens_measured": True}}),
        False,
        "warning",
        None,
        0,
        ["500 tokens", "measured"],
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "profile", "fired", "kind", "toward", "weight", "fragments"),
    [pytest.param(*case[1:], id=case[0]) for case in RULE_CASES],
)
def test_rule_fires_with_policy_effect_and_explains_with_its_numbers(
    rule_id: str,
    profile: dict[str, Any],
    fired: bool,
    kind: str,
    toward: str | None,
    weight: float,
    fragments: list[str],
) -> None:
    r = decide_with(profile).rule(rule_id)
    assert r.fired is fired
    assert r.effect == Effect(kind, toward, weight)
    for fragment in fragments:
        assert fragment in r.explanation, (fragment, r.explanation)
    assert r.title
    assert r.source


def test_every_rule_id_has_a_firing_and_a_quiet_case_in_the_table() -> None:
    fires = {case[1] for case in RULE_CASES if case[3]}
    quiet = {case[1] for case in RULE_CASES if not case[3]}
    expected = set(RULE_IDS) - ALWAYS_FIRE
    assert fires == expected
    assert quiet == expected


def test_a_decision_carries_every_rule_once_in_the_documented_order() -> None:
    d = decide_with(ARTICLE)
    assert tuple(r.id for r in d.rules) == RULE_IDS
    assert len(set(RULE_IDS)) == 17


def test_extreme_volume_explanation_names_the_break_even_volume_and_utilisation() -> None:
    d = decide_with(HUGE)
    be = d.economics.break_even.requests_per_day
    assert be is not None and 3 * be <= 200_000
    r = d.rule("extreme-volume")
    assert f"(break-even volume {be:,})" in r.explanation
    assert f"now {d.economics.self_host.utilization:.0%}" in r.explanation


def test_variable_traffic_names_both_costs_when_self_hosting_absorbs_it() -> None:
    d = decide_with(BURSTY_PRICEY)
    api, _ = api_or_not(d.inputs, d.economics)
    own = min(o.with_friction for o in d.options if o.group == "self_hosted" and o.applicable)
    assert own < api.with_friction
    text = d.rule("variable-traffic").explanation
    assert money(own) in text and money(api.with_friction) in text


# ---------------------------------------------------------------------------------------------
# The rules that always fire: api-fallback and break-even.
# ---------------------------------------------------------------------------------------------


def test_api_fallback_always_fires_as_info_and_says_keep_an_api_fallback() -> None:
    r = decide_with(ARTICLE).rule("api-fallback")
    assert r.fired
    assert r.effect == Effect("info", None, 0)
    assert "API fallback" in r.explanation


def test_api_fallback_when_air_gapped_says_second_local_deployment() -> None:
    d = decide_with(ARTICLE, data={"air_gapped": True})
    r = d.rule("api-fallback")
    assert r.fired
    assert r.effect == Effect("info", None, 0)
    assert "spare local replica (N+1)" in r.explanation
    assert d.recommendation.api_fallback is False


@pytest.mark.parametrize(
    ("profile", "cheapest"),
    [
        pytest.param(ARTICLE, "api", id="10k requests/day: the API"),
        pytest.param(HUGE, "self_host", id="200k requests/day, flat: self-hosting"),
        pytest.param(BURSTY_PRICEY, "self_host", id="pricey API, bursty: self-hosting"),
    ],
)
def test_break_even_points_from_the_api_to_the_cheapest_way_of_self_hosting(
    profile: dict[str, Any], cheapest: str
) -> None:
    """The article's break-even: the API against the cheapest way of self-hosting anything,
    friction included; the weight grows with the margin up to 2x."""
    d = decide_with(profile)
    r = d.rule("break-even")
    api, alternative = api_or_not(d.inputs, d.economics)
    assert alternative is not None
    low, high = sorted((api.with_friction, alternative.with_friction))
    winner = "api" if api.with_friction <= alternative.with_friction else cheapest
    assert r.fired and r.effect.kind == "weight"
    assert r.effect.toward == winner
    assert r.effect.weight == pytest.approx(2 + 2 * min(1.0, math.log2(high / low)))
    name = label(d.inputs, "api" if winner == "api" else alternative.id)
    assert f"Cheapest is {name} at {money(low)}/month" in r.explanation
    assert money(high) in r.explanation


def test_break_even_explanation_names_the_article_figures_and_break_even_volume() -> None:
    d = decide_with(ARTICLE)
    r = d.rule("break-even")
    be = d.economics.break_even.requests_per_day
    assert r.effect.toward == "api"
    assert "Cheapest is the API (Claude 3.5 Sonnet) at $7,290/month" in r.explanation
    assert be is not None
    assert f"against Claude 3.5 Sonnet, {be:,} requests/day" in r.explanation


def test_break_even_weight_comes_from_policy_weights() -> None:
    d = decide_with(ARTICLE, policy={"weights": {"break_even": 1.0, "break_even_margin": 0.5}})
    api, alternative = api_or_not(d.inputs, d.economics)
    assert alternative is not None
    margin = math.log2(alternative.with_friction / api.with_friction)
    assert 0 < margin < 1  # a partial margin: the weight is between the base and base + margin
    assert d.rule("break-even").effect.weight == pytest.approx(1.0 + 0.5 * margin)


def test_break_even_weight_grows_with_margin_up_to_2x() -> None:
    weights = [
        decide_with(ARTICLE, workload={"requests_per_day": n}).rule("break-even").effect.weight
        for n in (2_000, 8_000, 11_000, 14_000, 400_000)
    ]
    assert all(2.0 <= w <= 4.0 for w in weights)
    assert weights[0] == 4.0 and weights[-1] == 4.0  # far beyond 2x either way: full
    assert any(w < 4.0 for w in weights[1:-1])  # near the break-even: partial


def test_free_api_prices_still_give_a_decision_toward_the_api() -> None:
    d = decide_with(ARTICLE, api={"input_price_per_mtok": 0.0, "output_price_per_mtok": 0.0})
    assert d.rule("break-even").effect.toward == "api"


# ---------------------------------------------------------------------------------------------
# Thresholds and weights come from the profile's [policy].
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "policy", "rule_id", "fired_by_default", "fragment"),
    [
        pytest.param(
            ARTICLE, {"small_spend": 8000}, "spend-under-5k", False, "$8,000", id="small_spend"
        ),
        pytest.param(
            ARTICLE, {"large_spend": 7000}, "spend-over-20k", False, "$7,000", id="large_spend"
        ),
        pytest.param(
            BIG, {"large_spend": 100_000}, "spend-over-20k", True, "$100,000", id="large_spend up"
        ),
        pytest.param(
            merge(ARTICLE, {"self_host": {"utilization": 0.3}}),
            {"utilization_floor": 0.25},
            "utilization-trap",
            True,
            "25%",
            id="utilization_floor",
        ),
        pytest.param(
            merge(ARTICLE, {"latency": {"p95_target_ms": 150}}),
            {"latency_ms": 200},
            "latency-under-100ms",
            False,
            "200 ms",
            id="latency_ms",
        ),
        pytest.param(
            HUGE,
            {"extreme_multiple": 1000},
            "extreme-volume",
            True,
            "1/1,000",
            id="extreme_multiple",
        ),
    ],
)
def test_thresholds_come_from_the_profile_policy(
    base: dict[str, Any],
    policy: dict[str, Any],
    rule_id: str,
    fired_by_default: bool,
    fragment: str,
) -> None:
    default = decide_with(base).rule(rule_id)
    moved = decide_with(base, policy=policy).rule(rule_id)
    assert default.fired is fired_by_default
    assert moved.fired is not fired_by_default
    assert fragment in moved.explanation


def test_raising_small_spend_makes_spend_under_5k_fire_at_the_same_spend() -> None:
    d = decide_with(ARTICLE, policy={"small_spend": 8000})
    assert d.economics.api.monthly_cost == pytest.approx(7290)
    r = d.rule("spend-under-5k")
    assert r.fired
    assert r.effect == Effect("weight", "api", 3)
    assert "$8,000" in r.title
    assert "$7,290/month is under $8,000" in r.explanation
    assert not d.rule("spend-5k-20k").fired


def test_significant_share_comes_from_policy() -> None:
    base = merge(ARTICLE, {"workload": {"simple_task_share": 0.25}})
    assert decide_with(base).rule("spend-5k-20k").effect == Effect("info", None, 0)
    r = decide_with(base, policy={"significant_share": 0.2}).rule("spend-5k-20k")
    assert r.effect == Effect("weight", "hybrid", 1)
    assert "25%" in r.explanation
    assert "at least 20%" in r.explanation


@pytest.mark.parametrize(
    ("base", "rule_id"),
    [
        pytest.param(SMALL, "spend-under-5k", id="spend-under-5k"),
        pytest.param(
            merge(ARTICLE, {"team": {"ml_expertise": "none"}}),
            "limited-expertise",
            id="limited-expertise",
        ),
        pytest.param(
            merge(ARTICLE, {"needs": {"frontier_capability": True}}),
            "frontier-capability",
            id="frontier-capability",
        ),
        pytest.param(HUGE, "extreme-volume", id="extreme-volume"),
    ],
)
def test_strong_rules_weigh_policy_weights_strong(base: dict[str, Any], rule_id: str) -> None:
    assert decide_with(base).rule(rule_id).effect.weight == 3
    d = decide_with(base, policy={"weights": {"strong": 5}})
    assert d.rule(rule_id).effect.weight == 5


@pytest.mark.parametrize(
    ("base", "rule_id"),
    [
        pytest.param(BIG, "spend-over-20k", id="spend-over-20k"),
        pytest.param(
            merge(ARTICLE, {"workload": {"simple_task_share": 0.5}}),
            "spend-5k-20k",
            id="spend-5k-20k",
        ),
        pytest.param(
            merge(ARTICLE, {"self_host": {"utilization": 0.3}}),
            "utilization-trap",
            id="utilization-trap",
        ),
        pytest.param(
            merge(ARTICLE, {"traffic": {"growth_phase": True}}),
            "variable-traffic",
            id="variable-traffic",
        ),
        pytest.param(
            merge(ARTICLE, {"needs": {"fine_tuned_model": True}}),
            "fine-tuned-model",
            id="fine-tuned-model",
        ),
        pytest.param(
            merge(ARTICLE, {"needs": {"rapid_iteration": True}}),
            "rapid-iteration",
            id="rapid-iteration",
        ),
        pytest.param(
            merge(ARTICLE, {"needs": {"multi_model": True}}), "multi-model", id="multi-model"
        ),
    ],
)
def test_normal_rules_weigh_policy_weights_normal(base: dict[str, Any], rule_id: str) -> None:
    assert decide_with(base).rule(rule_id).effect.weight == 1
    d = decide_with(base, policy={"weights": {"normal": 2.5}})
    assert d.rule(rule_id).effect.weight == 2.5


# ---------------------------------------------------------------------------------------------
# Boundaries.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requests_per_day", "spend", "band"),
    [
        pytest.param(999, 4995, "spend-under-5k", id="$4,995 is under"),
        pytest.param(1000, 5000, "spend-5k-20k", id="exactly $5,000 is the middle band"),
        pytest.param(4000, 20000, "spend-5k-20k", id="exactly $20,000 is the middle band"),
        pytest.param(4001, 20005, "spend-over-20k", id="$20,005 is over"),
    ],
)
def test_spend_bands_are_exclusive_and_the_middle_band_is_inclusive(
    requests_per_day: int, spend: float, band: str
) -> None:
    d = decide_with(exact_spend(requests_per_day))
    assert d.economics.api.monthly_cost == spend
    fired = {r for r in ("spend-under-5k", "spend-5k-20k", "spend-over-20k") if d.rule(r).fired}
    assert fired == {band}


def test_spend_bands_never_overlap_whatever_policy_is_accepted() -> None:
    data = merge(exact_spend(3000), {"policy": {"small_spend": 30_000, "large_spend": 10_000}})
    try:
        d = decide(Profile.model_validate(data))
    except (ValidationError, InputError, InputErrors):
        return  # refusing the contradictory policy is a fine answer too
    assert d.economics.api.monthly_cost == 15_000
    fired = [r for r in ("spend-under-5k", "spend-5k-20k", "spend-over-20k") if d.rule(r).fired]
    assert len(fired) <= 1, fired


def test_spend_exactly_at_a_policy_small_spend_is_the_middle_band() -> None:
    d = decide_with(ARTICLE, policy={"small_spend": 7290})
    assert d.economics.api.monthly_cost == 7290
    assert not d.rule("spend-under-5k").fired
    assert d.rule("spend-5k-20k").fired


def test_spend_exactly_at_a_policy_large_spend_is_the_middle_band() -> None:
    d = decide_with(ARTICLE, policy={"large_spend": 7290})
    assert d.rule("spend-5k-20k").fired
    assert not d.rule("spend-over-20k").fired


def test_simple_share_exactly_at_significant_share_leans_hybrid() -> None:
    r = decide_with(ARTICLE, workload={"simple_task_share": 0.3}).rule("spend-5k-20k")
    assert r.effect == Effect("weight", "hybrid", 1)


def test_latency_target_exactly_at_the_limit_does_not_fire() -> None:
    assert (
        not decide_with(ARTICLE, latency={"p95_target_ms": 100}).rule("latency-under-100ms").fired
    )
    assert decide_with(ARTICLE, latency={"p95_target_ms": 99.9}).rule("latency-under-100ms").fired


def test_utilisation_exactly_at_the_floor_is_no_trap() -> None:
    d = decide_with(ARTICLE, self_host={"utilization": 0.4})
    assert d.economics.self_host.utilization == 0.4
    assert not d.rule("utilization-trap").fired


# ---------------------------------------------------------------------------------------------
# The verdict order: air gap, sovereignty, latency, then weights (ties to the API).
# ---------------------------------------------------------------------------------------------


def test_air_gapped_beats_every_other_rule() -> None:
    d = decide_with(
        ARTICLE,
        workload={"sensitive_share": 0.3},
        data={"air_gapped": True, "sovereignty": "on_prem"},
        latency={"p95_target_ms": 50, "critical_share": 0.2},
        needs={"frontier_capability": True, "rapid_iteration": True, "multi_model": True},
    )
    assert d.rule("data-sovereignty").fired
    assert d.rule("latency-under-100ms").fired
    assert d.recommendation.verdict == "self_host"
    assert d.recommendation.pattern is None
    assert d.recommendation.decided_by == "air-gapped"
    assert d.recommendation.api_fallback is False
    assert d.recommendation.scores["api"] > d.recommendation.scores["self_host"]  # the weights lost


@pytest.mark.parametrize(
    ("share", "verdict", "pattern"),
    [
        pytest.param(0.0, "self_host", None, id="share 0 means all sensitive"),
        pytest.param(0.3, "hybrid", "sensitivity", id="share 0.3"),
        pytest.param(0.999, "hybrid", "sensitivity", id="share 0.999"),
        pytest.param(1.0, "self_host", None, id="share 1"),
    ],
)
def test_data_sovereignty_on_prem_decides_by_sensitive_share(
    share: float, verdict: str, pattern: str | None
) -> None:
    d = decide_with(ARTICLE, workload={"sensitive_share": share}, data={"sovereignty": "on_prem"})
    assert d.recommendation.decided_by == "data-sovereignty"
    assert (d.recommendation.verdict, d.recommendation.pattern) == (verdict, pattern)
    # Every request on premises: no API may be the fallback; a spare replica (N+1) is.
    everything = verdict == "self_host"
    assert d.recommendation.api_fallback is not everything
    assert d.economics.self_host.redundancy == (1 if everything else 0)


def test_data_sovereignty_with_api_compliance_ok_leaves_it_to_the_weights() -> None:
    d = decide_with(
        ARTICLE,
        workload={"sensitive_share": 0.3},
        data={"sovereignty": "on_prem", "api_compliance_ok": True},
    )
    assert not d.rule("data-sovereignty").fired
    assert d.recommendation.decided_by in ("weights", "cost")
    assert d.recommendation.verdict == "api"


def test_data_sovereignty_beats_latency() -> None:
    d = decide_with(
        ARTICLE,
        workload={"sensitive_share": 0.3},
        data={"sovereignty": "on_prem"},
        latency={"p95_target_ms": 50, "critical_share": 0.2},
    )
    assert d.recommendation.decided_by == "data-sovereignty"
    assert (d.recommendation.verdict, d.recommendation.pattern) == ("hybrid", "sensitivity")


@pytest.mark.parametrize(
    ("critical_share", "verdict", "pattern"),
    [
        pytest.param(0.2, "hybrid", "latency", id="20% critical"),
        pytest.param(1.0, "self_host", None, id="all critical"),
    ],
)
def test_latency_under_100ms_decides_by_critical_share(
    critical_share: float, verdict: str, pattern: str | None
) -> None:
    d = decide_with(ARTICLE, latency={"p95_target_ms": 50, "critical_share": critical_share})
    assert d.recommendation.decided_by == "latency-under-100ms"
    assert (d.recommendation.verdict, d.recommendation.pattern) == (verdict, pattern)
    assert d.recommendation.api_fallback is True


@pytest.mark.parametrize(
    ("profile", "verdict", "pattern"),
    [
        pytest.param(ARTICLE, "api", None, id="article: api"),
        pytest.param(HUGE, "self_host", None, id="huge flat volume: self_host"),
        pytest.param(
            merge(BURSTY_PRICEY, {"team": {"ml_expertise": "some"}}),
            "self_host",
            None,
            id="pricey and bursty: self_host",
        ),
    ],
)
def test_without_hard_constraints_a_clear_cost_gap_decides(
    profile: dict[str, Any], verdict: str, pattern: str | None
) -> None:
    """Beyond the close-call margin (1.2x with friction) the dearer side is out of the running;
    the scores are still the sum of the fired weights."""
    d = decide_with(profile)
    v = d.recommendation
    assert v.decided_by == "cost"
    expected = {"api": 0.0, "hybrid": 0.0, "self_host": 0.0}
    for r in d.rules:
        if r.fired and r.effect.kind == "weight" and r.effect.toward:
            expected[r.effect.toward] += r.effect.weight
    assert v.scores == pytest.approx(expected)
    assert (v.verdict, v.pattern) == (verdict, pattern)


def close_call(**extra: Any) -> Decision:
    """API and self-hosting within 20% of each other (with friction): the rules decide."""
    for requests in range(11_000, 16_000, 250):
        d = decide_with(ARTICLE, workload={"requests_per_day": requests}, **extra)
        api, alternative = api_or_not(d.inputs, d.economics)
        assert alternative is not None
        low, high = sorted((api.with_friction, alternative.with_friction))
        if high <= 1.2 * low:
            return d
    raise AssertionError("no close call found")


@pytest.mark.parametrize(
    "extra",
    [
        {"needs": {"fine_tuned_model": True}},
        {"needs": {"fine_tuned_model": True, "rapid_iteration": True}},
        {"needs": {"rapid_iteration": True, "multi_model": True}},
        {},
    ],
    ids=["fine-tuned", "fine-tuned, iterating", "iterating, several models", "nothing"],
)
def test_in_a_close_call_the_weighted_sum_decides_and_a_tie_goes_to_the_api(
    extra: dict[str, Any],
) -> None:
    d = close_call(team={"ml_expertise": "strong"}, **extra)
    v = d.recommendation
    assert v.decided_by == "weights"
    api, alternative = v.scores["api"], v.scores["self_host"] + v.scores["hybrid"]
    assert (v.verdict == "api") == (api >= alternative), v.scores


def test_a_strong_rule_keeps_the_api_in_the_running_despite_the_cost() -> None:
    """No ML expertise (strong) at a volume where self-hosting is far cheaper: the API stays
    in the running and the weights decide (the strong rule against the cost weight)."""
    d = decide_with(HUGE, team={"ml_expertise": "none"})
    api, alternative = api_or_not(d.inputs, d.economics)
    assert alternative is not None and api.with_friction > 1.2 * alternative.with_friction
    assert d.recommendation.decided_by == "weights"


# ---------------------------------------------------------------------------------------------
# Conflicts and confidence.
# ---------------------------------------------------------------------------------------------


def test_air_gapped_with_frontier_capability_is_a_conflict_that_caps_confidence_at_0_6() -> None:
    alone = decide_with(HUGE, data={"air_gapped": True})
    both = decide_with(HUGE, data={"air_gapped": True}, needs={"frontier_capability": True})
    assert alone.recommendation.conflicts == ()
    assert alone.recommendation.confidence_score > 0.6
    assert both.recommendation.verdict == "self_host"
    assert any(
        "air-gapped" in c and "frontier capability" in c for c in both.recommendation.conflicts
    ), both.recommendation.conflicts
    assert both.recommendation.confidence_score == pytest.approx(0.6)
    assert both.recommendation.confidence == "medium"
    assert any("Frontier capability" in c for c in both.recommendation.caveats)


def test_a_conflict_caps_an_otherwise_certain_confidence_at_0_6() -> None:
    # Self-hosting far cheaper than the API, and a hard rule: full confidence (1.0), capped.
    d = decide_with(HUGE, data={"air_gapped": True}, needs={"frontier_capability": True})
    assert d.recommendation.conflicts
    assert d.recommendation.confidence_score == pytest.approx(0.6)


def test_frontier_capability_without_a_hard_constraint_is_no_conflict() -> None:
    d = decide_with(ARTICLE, needs={"frontier_capability": True})
    assert d.recommendation.conflicts == ()


def _margin(d: Decision) -> float:
    """The verdict's group against the cheapest option of any other group, signed: 0 when
    another group is cheaper, 1 from twice as cheap."""
    groups = {"api": "api", "self_host": "self_hosted", "hybrid": "hybrid"}
    mine = groups[d.recommendation.verdict]
    cost = {}
    for o in d.options:
        if o.applicable:
            cost[o.group] = min(cost.get(o.group, math.inf), o.with_friction)
    others = min(v for g, v in cost.items() if g != mine)
    return min(1.0, max(0.0, math.log(others / cost[mine]) / math.log(2)))


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(ARTICLE, id="article"),
        pytest.param(HUGE, id="huge"),
        pytest.param(BURSTY_PRICEY, id="pricey-bursty"),
    ],
)
def test_weighted_confidence_is_half_cost_margin_half_agreeing_weight(
    profile: dict[str, Any],
) -> None:
    d = decide_before_odds(profile)
    weighed = [r for r in d.rules if r.fired and r.effect.kind == "weight" and r.effect.toward]
    total = sum(r.effect.weight for r in weighed)
    agree = sum(r.effect.weight for r in weighed if r.effect.toward == d.recommendation.verdict)
    expected = 0.5 * _margin(d) + 0.5 * agree / total
    assert d.recommendation.confidence_score == pytest.approx(expected)


def test_a_verdict_that_costs_more_than_another_group_gets_no_cost_confidence() -> None:
    """No expertise holds the API although self-hosting is far cheaper: confidence's cost half
    is 0, never the size of a gap that argues against the verdict."""
    d = decide_before_odds(HUGE, team={"ml_expertise": "none"}, needs={"rapid_iteration": True})
    if d.recommendation.verdict == "api":
        assert _margin(d) == 0.0
        weighed = [r for r in d.rules if r.fired and r.effect.kind == "weight" and r.effect.toward]
        total = sum(r.effect.weight for r in weighed)
        agree = sum(r.effect.weight for r in weighed if r.effect.toward == "api")
        assert d.recommendation.confidence_score == pytest.approx(0.5 * agree / total)


def test_a_hard_constraint_gives_full_agreement_in_confidence() -> None:
    d = decide_before_odds(HUGE, data={"air_gapped": True})
    assert d.recommendation.confidence_score == pytest.approx(0.5 * _margin(d) + 0.5)
    with_odds = decide_with(HUGE, data={"air_gapped": True})
    assert with_odds.risk is not None
    p = with_odds.risk.p_group.get("self_hosted", 0.0)
    assert with_odds.recommendation.confidence_score == pytest.approx(0.5 * p + 0.5)


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(ARTICLE, id="article"),
        pytest.param(HUGE, id="huge"),
        pytest.param(BURSTY_PRICEY, id="pricey-bursty"),
    ],
)
def test_with_the_odds_confidence_is_half_probability_half_agreeing_weight(
    profile: dict[str, Any],
) -> None:
    d = decide_with(profile)
    assert d.risk is not None
    group = {"api": "api", "self_host": "self_hosted", "hybrid": "hybrid"}
    p = d.risk.p_group.get(group[d.recommendation.verdict], 0.0)
    weighed = [r for r in d.rules if r.fired and r.effect.kind == "weight" and r.effect.toward]
    total = sum(r.effect.weight for r in weighed)
    agree = sum(r.effect.weight for r in weighed if r.effect.toward == d.recommendation.verdict)
    expected = 0.5 * p + 0.5 * agree / total
    if d.recommendation.conflicts:
        expected = min(expected, 0.6)
    assert d.recommendation.confidence_score == pytest.approx(expected)
    assert "of 2,000 draws" in d.recommendation.confidence_basis


def _rule(rule_id: str, toward: str, weight: float) -> RuleResult:
    return RuleResult(rule_id, rule_id, "test", True, Effect("weight", toward, weight), "", {})


def _groups(api: float, self_hosted: float) -> dict[str, Priced]:
    return {
        "api": Priced("api", "api", api, api, True),
        "self_hosted": Priced("self_host", "self_hosted", self_hosted, self_hosted, True),
    }


@pytest.mark.parametrize(
    ("cost_ratio", "agree", "against", "score", "label"),
    [
        pytest.param(1.0, 39, 11, 0.39, "low", id="0.39 is low"),
        pytest.param(1.0, 4, 1, 0.4, "medium", id="0.40 is medium"),
        pytest.param(4.0, 19, 31, 0.69, "medium", id="0.69 is medium"),
        pytest.param(4.0, 2, 3, 0.7, "high", id="0.70 is high"),
        pytest.param(4.0, 1, 0, 1.0, "high", id="1.00 is high"),
        pytest.param(1.0, 0, 1, 0.0, "low", id="0.00 is low"),
    ],
)
def test_confidence_label_thresholds(
    cost_ratio: float, agree: float, against: float, score: float, label: str
) -> None:
    """The API verdict, with self-hosting `cost_ratio` x dearer."""
    rules = (_rule("for", "api", agree), _rule("against", "self_host", against))
    got = confidence(rules, _groups(1000.0, 1000.0 * cost_ratio), "api", False, False)
    assert got[0] == pytest.approx(score)
    assert got[1] == label


def test_confidence_with_a_conflict_is_capped_at_0_6_and_medium() -> None:
    rules = (_rule("for", "api", 1),)
    assert confidence(rules, _groups(1000, 4000), "api", False, False) == (1.0, "high")
    assert confidence(rules, _groups(1000, 4000), "api", False, True) == (0.6, "medium")
    # Dearer than another group: nothing from the cost half.
    assert confidence(rules, _groups(4000, 1000), "api", False, False) == (0.5, "medium")


@pytest.mark.parametrize(
    "profile",
    [SMALL, ARTICLE, BIG, HUGE, BURSTY_PRICEY],
    ids=["small", "article", "big", "huge", "pricey-bursty"],
)
def test_every_decision_labels_its_confidence_by_the_thresholds(profile: dict[str, Any]) -> None:
    v = decide_with(profile).recommendation
    assert 0.0 <= v.confidence_score <= 1.0
    expected = (
        "low" if v.confidence_score < 0.4 else "high" if v.confidence_score >= 0.7 else "medium"
    )
    assert v.confidence == expected


def test_a_latency_target_for_no_request_does_not_fire() -> None:
    d = decide_with(ARTICLE, latency={"p95_target_ms": 50, "critical_share": 0.0})
    assert not d.rule("latency-under-100ms").fired
    assert "no request needs it" in d.rule("latency-under-100ms").explanation
    assert d.recommendation.decided_by in ("weights", "cost")
