"""Next steps and "what would flip the verdict" fit the verdict and its reason.

A verdict forced by a hard constraint (air gap, data sovereignty, latency) gets steps about
self-hosting well, never cost-saving advice, and its flip list says which answer fixes it. A
verdict reached by weighing costs keeps the article's spend-band advice. Every face shows the
same: the text report, the Markdown memo and the JSON the TUI renders.
"""

from __future__ import annotations

from typing import Any

import pytest

from advisor.core.decision.decide import decide
from advisor.core.decision.model import Decision
from advisor.core.decision.serialize import to_dict
from advisor.core.decision.words import flip_sentence
from advisor.core.profile.io import load_profile
from advisor.core.profile.store import bundled_profiles
from advisor.report import markdown, text
from conftest import decision

COST_ADVICE = ("Don't self-host for cost", "Self-host for the reasons above, not for cost")


def bundled(name: str) -> Decision:
    return decide(load_profile(bundled_profiles()[name]))


def on_prem(**more: Any) -> Decision:
    """A new profile whose data must stay on its own servers: all requests sensitive."""
    return decision(data={"sovereignty": "on_prem"}, **more)


def steps_text(d: Decision) -> str:
    return "\n".join(d.recommendation.next_steps)


def test_air_gapped_self_host_gets_self_hosting_steps_not_cost_advice() -> None:
    d = bundled("air-gapped")
    assert (d.recommendation.verdict, d.recommendation.decided_by) == ("self_host", "air-gapped")
    assert d.economics.api.monthly_cost < d.inputs.policy.small_spend  # the band of the bug
    steps = steps_text(d)
    assert not any(advice in steps for advice in COST_ADVICE)
    assert "optimise prompts" not in steps
    assert "air-gapped environment fixes the verdict" in steps
    assert "without a network" in steps  # updates reach an offline site
    assert "Name an owner for the deployment" in steps  # ml_expertise = "some"
    assert d.recommendation.next_steps[-1].startswith(
        "Run a second local deployment as the fallback."
    )
    assert "N+1" in d.recommendation.next_steps[-1]


def test_on_prem_sovereignty_self_host_gets_team_and_on_prem_fallback_steps() -> None:
    d = on_prem()
    assert (d.recommendation.verdict, d.recommendation.decided_by) == (
        "self_host",
        "data-sovereignty",
    )
    assert d.economics.api.monthly_cost < d.inputs.policy.small_spend
    steps = steps_text(d)
    assert not any(advice in steps for advice in COST_ADVICE)
    assert "optimise prompts" not in steps
    assert "Data sovereignty fixes the verdict" in steps
    assert "Staff it before building it" in steps  # ml_expertise defaults to "none"
    assert "Plan the fallback on your own servers" in d.recommendation.next_steps[-1]


@pytest.mark.parametrize(
    ("expertise", "phrase"),
    [
        ("none", "hire or contract engineers"),
        ("some", "Name an owner"),
        ("strong", "Give your ML infrastructure team ownership"),
    ],
)
def test_constraint_steps_fit_the_team(expertise: str, phrase: str) -> None:
    assert phrase in steps_text(on_prem(team={"ml_expertise": expertise}))


def test_a_frontier_need_under_a_constraint_is_called_out_in_the_steps() -> None:
    d = decision(data={"air_gapped": True}, needs={"frontier_capability": True})
    assert d.recommendation.conflicts
    assert "Frontier capability was asked for" in steps_text(d)


def test_sensitivity_hybrid_routes_by_sensitivity_and_optimises_only_the_api_part() -> None:
    d = bundled("regulated-health")
    assert (d.recommendation.verdict, d.recommendation.pattern) == ("hybrid", "sensitivity")
    steps = steps_text(d)
    assert not any(advice in steps for advice in COST_ADVICE)
    assert "sensitive 40% of requests must never leave your servers" in steps
    assert "For the requests on the API, optimise prompts" in steps
    assert "spare on-premises replica (N+1" in d.recommendation.next_steps[-1]


def test_latency_hybrid_steps_are_about_local_inference() -> None:
    d = bundled("latency-critical")
    assert d.recommendation.decided_by == "latency-under-100ms"
    steps = steps_text(d)
    assert not any(advice in steps for advice in COST_ADVICE)
    assert "The latency target fixes the verdict" in steps
    assert "slower answer from an API beats none" in d.recommendation.next_steps[-1]


def test_a_cost_driven_api_verdict_keeps_the_prompt_optimisation_advice() -> None:
    d = bundled("light")
    assert d.recommendation.verdict == "api"
    assert d.recommendation.decided_by in ("weights", "cost")
    assert any(
        s.startswith("Don't self-host for cost: optimise prompts")
        for s in d.recommendation.next_steps
    )
    assert "fixes the verdict" not in steps_text(d)
    assert d.recommendation.next_steps[-1] == "Keep API fallback capability whatever you run."


def test_an_api_verdict_over_the_large_band_is_not_told_to_self_host() -> None:
    d = decision(
        workload={"requests_per_day": 100_000, "input_tokens": 7500, "output_tokens": 500},
        team={"ml_expertise": "none"},
        needs={"frontier_capability": True, "rapid_iteration": True},
    )
    assert d.recommendation.verdict == "api" and d.economics.api.monthly_cost > 20_000
    steps = steps_text(d)
    assert "Self-host at least part" not in steps and "Stay on the API for now" in steps


def test_a_cost_driven_self_host_keeps_the_spend_band_advice() -> None:
    d = bundled("consumer-scale")
    assert d.recommendation.decided_by in ("weights", "cost")
    assert d.recommendation.verdict in ("hybrid", "self_host")
    assert any(
        s.startswith("Self-host at least part of the workload") for s in d.recommendation.next_steps
    )
    assert any(s.startswith("Price the self-hosted side") for s in d.recommendation.next_steps)


@pytest.mark.parametrize(
    ("make", "answer"),
    [
        (lambda: bundled("air-gapped"), "offline or air-gapped: yes"),
        (on_prem, "data on your own servers only"),
        (lambda: bundled("regulated-health"), "data on your own servers only"),
        (lambda: bundled("latency-critical"), "a p95 time to first token of 60 ms"),
    ],
    ids=["air-gapped", "on-prem", "sensitivity hybrid", "latency"],
)
def test_the_flip_list_names_the_answer_that_fixes_the_verdict(make: Any, answer: str) -> None:
    d: Decision = make()
    assert d.recommendation.fixed_by is not None and answer in d.recommendation.fixed_by
    fixed = d.recommendation.fixed_by
    assert d.sensitivity and all(not f.flips and f.fixed_by == fixed for f in d.sensitivity)
    data = to_dict(d)
    assert data["recommendation"]["fixed_by"] == fixed
    assert all(f["fixed_by"] == fixed for f in data["sensitivity"])
    # Every face renders each entry with flip_sentence: each names the answer.
    assert all(answer in flip_sentence(f) for f in d.sensitivity)
    for report in (text.render(d, width=200), markdown.render(d)):
        flips = report.split("What would flip the verdict", 1)[1]
        assert "No cost change flips this verdict: it is fixed by" in flips
        assert answer in flips


def test_a_cost_driven_verdict_has_no_fixing_answer() -> None:
    d = bundled("medium")
    assert d.recommendation.fixed_by is None and all(f.fixed_by is None for f in d.sensitivity)
    data = to_dict(d)
    assert data["recommendation"]["fixed_by"] is None
    assert not any("fixed by" in flip_sentence(f) for f in d.sensitivity)
    assert "No cost change flips this verdict" not in text.render(d, width=200)


@pytest.mark.parametrize("name", ["air-gapped", "regulated-health", "light", "heavy"])
def test_every_face_shows_the_same_next_steps(name: str) -> None:
    d = bundled(name)
    assert to_dict(d)["recommendation"]["next_steps"] == list(d.recommendation.next_steps)
    memo = markdown.render(d)
    assert all(f"1. {step}" in memo for step in d.recommendation.next_steps)
    report = " ".join(text.render(d, width=400).split())
    assert all(" ".join(step.split()) in report for step in d.recommendation.next_steps)
