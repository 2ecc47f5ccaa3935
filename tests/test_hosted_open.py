"""The same open model, hosted (DESIGN.md §6): the like-for-like comparator for self-hosting,
an option of the API group, excluded where the data rules or the profile forbid it; and the
API models on sale today, with retired ones priced at their last price."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.core.catalog.load import default_catalog
from advisor.core.costs.economics import compute
from advisor.core.costs.inputs import resolve
from advisor.core.decision.serialize import to_dict
from advisor.core.decision.verdict import decide_verdict
from advisor.core.profile.model import Profile
from advisor.core.rules import evaluate_rules
from conftest import decision

CATALOG = default_catalog()
HEAVY: dict[str, Any] = {
    "workload": {"requests_per_day": 100_000, "input_tokens": 7_500, "output_tokens": 500},
    "api": {"model": "claude-sonnet-4.6"},
}


def cheapest_host(model: str, tokens_in: float, tokens_out: float) -> tuple[str, float]:
    """The catalog's cheapest provider on sale for `model`, per request, worked out here."""
    offers = {
        key: (tokens_in * m.input_per_mtok + tokens_out * m.output_per_mtok) / 1e6
        for key, m in CATALOG.api_models.items()
        if m.open_model == model and m.retired is False
    }
    key = min(offers, key=lambda k: (offers[k], k))
    return key, offers[key]


def test_hosted_open_is_the_cheapest_provider_of_the_self_hosted_model_named_and_dated() -> None:
    d = decision(**HEAVY)
    key, per_request = cheapest_host(d.self_host.model, 7_500, 500)
    entry = CATALOG.api_models[key]
    option = next(o for o in to_dict(d)["options"] if o["id"] == "hosted_open")
    assert option["group"] == "api" and option["applicable"] and option["excluded"] is None
    assert option["model"] == d.self_host.model == "llama-3.3-70b"
    assert option["api_model"] == key and option["provider"] == entry.provider
    assert option["input_price_per_mtok"] == entry.input_per_mtok
    assert option["output_price_per_mtok"] == entry.output_per_mtok
    assert option["source"] == entry.source and option["as_of"] == entry.as_of.isoformat()
    assert option["per_request"] == pytest.approx(per_request)
    assert option["monthly_cost"] == pytest.approx(per_request * 100_000 * 30)
    assert entry.provider in d.option("hosted_open").note


def test_when_hosting_beats_self_hosting_the_recommendation_says_so_in_words() -> None:
    d = decision(**HEAVY)
    hosted = d.option("hosted_open")
    assert hosted.with_friction < d.option("self_host").with_friction
    r = d.recommendation
    assert r.verdict == "api" and r.api_route == "hosted_open" and hosted.chosen
    assert "a hosted Llama 3.3 70B Instruct" in r.headline
    assert "does what self-hosting would, for less" in r.headline
    assert not d.option("api").chosen
    assert any("Evaluate Llama 3.3 70B Instruct on your own tasks" in s for s in r.next_steps)
    assert to_dict(d)["recommendation"]["api_route"] == "hosted_open"


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"data": {"air_gapped": True}}, "air-gapped"),
        ({"data": {"sovereignty": "on_prem"}}, "must stay on your own servers"),
        ({"needs": {"frontier_capability": True}}, "open model lags the frontier"),
        ({"api": {"model": "claude-sonnet-4.6", "hosted_open": False}}, "ruled out other"),
    ],
)
def test_excluded_where_no_outside_provider_may_be_used(
    answers: dict[str, Any], reason: str
) -> None:
    d = decision(**{**HEAVY, **answers})
    option = d.option("hosted_open")
    assert not option.applicable and not option.chosen
    assert reason in option.note
    assert (
        reason in (next(o for o in to_dict(d)["options"] if o["id"] == "hosted_open")["excluded"])
    )
    assert d.recommendation.api_route == "closed"


def test_self_hosting_that_beats_the_hosted_model_keeps_its_verdict() -> None:
    """Consumer scale with other providers allowed but twenty times dearer: self-hosting wins
    against both routes, and the route is the closed model's (the API lost)."""
    profile = Profile.model_validate(
        {
            "workload": {"requests_per_day": 2_000_000, "input_tokens": 1200, "output_tokens": 300},
            "api": {"model": "gpt-4o"},
            "team": {"ml_expertise": "strong"},
        }
    )
    inp = resolve(profile, CATALOG)
    assert inp.hosted is not None
    dear = inp._replace(hosted=inp.hosted.scaled(20.0))
    e = compute(dear, full=False)
    v = decide_verdict(dear, e, evaluate_rules(dear, e))
    assert v.verdict == "self_host" and v.api_route == "closed"
    e = compute(inp, full=False)
    assert decide_verdict(inp, e, evaluate_rules(inp, e)).api_route == "hosted_open"


def test_the_break_even_rule_and_what_flips_count_the_hosted_model() -> None:
    d = decision(**HEAVY)
    rule = d.rule("break-even")
    assert rule.effect.toward == "api" and "hosted by" in rule.explanation
    assert "against the same model hosted" in rule.explanation
    assert any(f.assumption == "hosted_price" for f in d.sensitivity)
    assert d.break_even_hosted is not None and d.break_even_hosted in d.break_even_lines


def test_peaks_overflow_to_the_cheaper_route_the_same_model_hosted() -> None:
    bursty = {**HEAVY, "traffic": {"variability": "bursty"}}
    allowed, ruled_out = (
        decision(**bursty),
        decision(**{**bursty, "api": {"model": "claude-sonnet-4.6", "hosted_open": False}}),
    )
    volume, closed_volume = allowed.economics.hybrid("volume"), ruled_out.economics.hybrid("volume")
    assert volume.api_part > 0 and closed_volume.api_part > 0
    share = 1.0 - volume.self_host_share
    hosted = allowed.option("hosted_open").monthly_cost
    assert volume.api_part == pytest.approx(share * hosted)
    assert closed_volume.api_part == pytest.approx(
        (1.0 - closed_volume.self_host_share) * ruled_out.api.monthly_cost
    )


def test_a_profile_without_an_api_model_is_priced_on_a_model_on_sale_today() -> None:
    d = decision(workload={"requests_per_day": 1000})
    entry = CATALOG.api_models[d.api.model]
    assert entry.retired is False
    assert not any("retired" in w for w in d.warnings)


def test_a_retired_model_opens_at_its_last_price_and_names_its_successor() -> None:
    d = decision(workload={"requests_per_day": 1000}, api={"model": "claude-3.5-sonnet"})
    assert d.api.input_price_per_mtok == 3.0 and d.api.output_price_per_mtok == 15.0
    warning = next(w for w in d.warnings if "retired" in w)
    assert "Claude 3.5 Sonnet (claude-3.5-sonnet) was retired" in warning
    assert (
        "its successor, Claude Sonnet 4.6 (claude-sonnet-4.6), costs $3.00 in / $15.00 out"
        in warning
    )
    assert to_dict(d)["api"]["successor"] == "claude-sonnet-4.6"
