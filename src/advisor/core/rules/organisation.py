"""Rules about the organisation and the product: traffic, team, needs."""

from __future__ import annotations

from collections.abc import Callable

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.rules.base import WHEN_API, RuleResult, _r, money


def variable_traffic(inp: Inputs, e: Economics) -> RuleResult:
    variable = inp.variability in ("bursty", "unpredictable")
    fired = variable or inp.growth_phase
    volume = e.hybrid("volume")
    f = inp.policy.friction_multiplier
    by_volume = volume.applicable and volume.compared_cost(f) < e.api.monthly_cost
    why = []
    if variable:
        why.append(f"traffic is {inp.variability} (peak {inp.peak_to_average:g}x average)")
    if inp.growth_phase:
        why.append("the product is in a growth phase")
    text = (
        "Traffic is steady enough to plan capacity."
        if not fired
        else " and ".join(why).capitalize() + ": self-hosting bills for capacity whether used "
        "or not, APIs per request"
        + (
            ", but baseline self-hosted with API overflow is "
            f"cheaper than the API ({money(volume.compared_cost(f))} vs "
            f"{money(e.api.monthly_cost)})."
            if by_volume
            else "."
        )
    )
    return _r(
        "variable-traffic",
        "Variable or unpredictable traffic",
        WHEN_API,
        fired,
        "weight",
        "hybrid" if by_volume else "api",
        inp.policy.weight_normal,
        text,
        {
            "variability": inp.variability,
            "peak_to_average": inp.peak_to_average,
            "growth_phase": inp.growth_phase,
        },
    )


def _flag(
    rule_id: str, title: str, source: str, attr: str, toward: str, strong: bool, yes: str, no: str
) -> Callable[[Inputs, Economics], RuleResult]:
    def rule(inp: Inputs, e: Economics) -> RuleResult:
        fired = bool(getattr(inp, attr))
        weight = inp.policy.weight_strong if strong else inp.policy.weight_normal
        return _r(
            rule_id,
            title,
            source,
            fired,
            "weight",
            toward,
            weight,
            yes if fired else no,
            {attr: fired},
        )

    return rule


def limited_expertise(inp: Inputs, e: Economics) -> RuleResult:
    fired = inp.expertise == "none"
    return _r(
        "limited-expertise",
        "Limited ML infrastructure expertise",
        WHEN_API,
        fired,
        "weight",
        "api",
        inp.policy.weight_strong,
        "No ML infrastructure expertise: time spent debugging CUDA errors and batch sizes "
        "is time not spent on the product; strongly prefer APIs."
        if fired
        else f"ML infrastructure expertise: {inp.expertise}.",
        {"ml_expertise": inp.expertise},
    )
