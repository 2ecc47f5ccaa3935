"""What every rule returns: whether it fired, its typed effect, and why."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.fmt import money

__all__ = ["Effect", "Facts", "RuleResult", "money"]

Facts = dict[str, float | int | str | bool | None]


class Effect(NamedTuple):
    kind: str  # "hard" | "weight" | "warning" | "info"
    toward: str | None  # "api" | "self_host" | "hybrid" | None
    weight: float


class RuleResult(NamedTuple):
    id: str
    title: str
    source: str  # the article section it comes from
    fired: bool
    effect: Effect
    explanation: str
    facts: Facts


def _r(
    rule_id: str,
    title: str,
    source: str,
    fired: bool,
    kind: str,
    toward: str | None,
    weight: float,
    explanation: str,
    facts: Facts,
) -> RuleResult:
    return RuleResult(
        rule_id,
        title,
        source,
        fired,
        Effect(kind, toward, weight if fired else 0.0),
        explanation,
        facts,
    )


PRACTICAL = "Practical Recommendations"
WHEN_SELF = "When Self-Hosting Makes Sense"
WHEN_API = "When APIs Win"
