"""Rules about the organisation and the product: traffic, team, needs."""

from __future__ import annotations

from collections.abc import Callable

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.options import group_costs, priced
from advisor.core.fmt import number
from advisor.core.rules.base import WHEN_API, RuleResult, _r, money


def variable_traffic(inp: Inputs, e: Economics) -> RuleResult:
    variable = inp.variability in ("bursty", "unpredictable")
    fired = variable or inp.growth_phase
    groups = group_costs(priced(inp, e))
    api, self_hosted = groups["api"], groups["self_hosted"]
    # Self-hosting sized and scaled for this traffic (or with peaks on the API) already
    # prices the variability in: when it still beats the API, the rule adds nothing.
    by_volume = self_hosted.with_friction < api.with_friction
    why = []
    if variable:
        why.append(f"traffic is {inp.variability} (peak {number(inp.peak_to_average)}x average)")
    if inp.growth_phase:
        why.append("the product is in a growth phase")
    text = (
        "Traffic is steady enough to plan capacity."
        if not fired
        else " and ".join(why).capitalize() + ": self-hosting bills for capacity whether used "
        "or not, APIs per request"
        + (
            ", but self-hosting sized for this traffic is still cheaper than the API "
            f"({money(self_hosted.with_friction)} vs {money(api.with_friction)} with friction)."
            if by_volume
            else "."
        )
    )
    return _r(
        "variable-traffic",
        "Variable or unpredictable traffic",
        WHEN_API,
        fired,
        "info" if by_volume else "weight",
        None if by_volume else "api",
        0.0 if by_volume else inp.policy.weight_normal,
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
