"""The rule engine: one rule per decision criterion of the article (DESIGN.md section 3).

Each rule reads facts from the inputs and the economics, and says whether it fired, its
typed effect and why, with the numbers it used. Thresholds and weights come from the policy.
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.rules.base import WHEN_API, WHEN_SELF, Effect, RuleResult, money
from advisor.core.rules.constraints import air_gapped, api_fallback, latency, sovereignty
from advisor.core.rules.costs import (
    break_even_rule,
    extreme_volume,
    output_trap,
    spend_middle,
    spend_over,
    spend_under,
    utilization_trap,
)
from advisor.core.rules.organisation import _flag, limited_expertise, variable_traffic

__all__ = ["RULES", "RULE_IDS", "Effect", "RuleResult", "evaluate_rules", "money"]

RULES: tuple[Callable[[Inputs, Economics], RuleResult], ...] = (
    spend_under,
    spend_middle,
    spend_over,
    break_even_rule,
    utilization_trap,
    variable_traffic,
    latency,
    sovereignty,
    air_gapped,
    _flag(
        "fine-tuned-model",
        "A fine-tuned model with significant quality gains",
        WHEN_SELF,
        "fine_tuned",
        "self_host",
        False,
        "A fine-tuned model brings significant quality: serving it yourself gives control.",
        "No fine-tuned model that matters.",
    ),
    _flag(
        "frontier-capability",
        "Frontier capability needed",
        WHEN_API,
        "frontier",
        "api",
        True,
        "Frontier reasoning or coding is needed: open models lag frontier APIs by 6-18 months.",
        "Open models are capable enough for the task.",
    ),
    limited_expertise,
    _flag(
        "rapid-iteration",
        "Rapid iteration on prompts and models",
        WHEN_API,
        "rapid_iteration",
        "api",
        False,
        "Still iterating on prompts and models: APIs switch models instantly; self-hosting "
        "means redeploying.",
        "Prompts and models are settled.",
    ),
    _flag(
        "multi-model",
        "Several models in the product",
        WHEN_API,
        "multi_model",
        "api",
        False,
        "Several models in the product: trivial with APIs, complex to self-host.",
        "One model serves the product.",
    ),
    extreme_volume,
    output_trap,
    api_fallback,
)

RULE_IDS = (
    "spend-under-5k",
    "spend-5k-20k",
    "spend-over-20k",
    "break-even",
    "utilization-trap",
    "variable-traffic",
    "latency-under-100ms",
    "data-sovereignty",
    "air-gapped",
    "fine-tuned-model",
    "frontier-capability",
    "limited-expertise",
    "rapid-iteration",
    "multi-model",
    "extreme-volume",
    "output-token-trap",
    "api-fallback",
)


def evaluate_rules(inp: Inputs, e: Economics) -> tuple[RuleResult, ...]:
    return tuple(rule(inp, e) for rule in RULES)
