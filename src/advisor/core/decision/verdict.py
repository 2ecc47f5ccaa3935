"""From fired rules to a verdict, in DESIGN.md's order: hard constraints, then weights."""

from __future__ import annotations

import math
from typing import NamedTuple

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.rules import RuleResult, cost_options

NEEDS = {True: "self-hosting", False: "in-house inference for part of the traffic"}
ORDER = ("api", "hybrid", "self_host")  # ties go to the earlier one: the API first


class Verdict(NamedTuple):
    verdict: str
    pattern: str | None
    decided_by: str  # a hard rule id, or "weights"
    scores: dict[str, float]
    confidence_score: float
    confidence: str
    conflicts: tuple[str, ...]
    api_fallback: bool
    note: str | None  # e.g. why a hybrid verdict fell back


def _by_id(rules: tuple[RuleResult, ...]) -> dict[str, RuleResult]:
    return {r.id: r for r in rules}


def cheapest_hybrid(inp: Inputs, e: Economics) -> str | None:
    f = inp.policy.friction_multiplier
    applicable = [h for h in e.hybrids if h.applicable]
    if not applicable:
        return None
    return min(applicable, key=lambda h: h.compared_cost(f)).pattern


# Rules about money never "conflict" with a hard constraint: the constraint overrides the
# economics by definition. Conflicts are between what must be and what the team or the task
# needs (air-gapped but frontier capability required; on-prem but no ML expertise).
ECONOMIC = frozenset(
    {
        "spend-under-5k",
        "spend-5k-20k",
        "spend-over-20k",
        "break-even",
        "utilization-trap",
        "extreme-volume",
    }
)


def conflicts_of(rules: tuple[RuleResult, ...], strong: float) -> tuple[str, ...]:
    hard = [r for r in rules if r.fired and r.effect.kind == "hard"]
    against = [
        r
        for r in rules
        if r.fired
        and r.id not in ECONOMIC
        and r.effect.kind == "weight"
        and r.effect.toward == "api"
        and r.effect.weight >= strong > 0
    ]
    return tuple(
        f"{h.id} requires {NEEDS[h.effect.toward == 'self_host']}, "
        f"but {s.id} strongly favours the API: {s.explanation}"
        for h in hard
        for s in against
    )


def confidence(
    inp: Inputs,
    e: Economics,
    rules: tuple[RuleResult, ...],
    verdict: str,
    hard: bool,
    conflicts: bool,
) -> tuple[float, str]:
    """Half from the cost margin, half from agreement of the fired weight (DESIGN.md 3)."""
    compared = e.break_even.self_host_compared
    api = e.api.monthly_cost
    margin = (
        min(1.0, abs(math.log(api / compared)) / math.log(2)) if api > 0 and compared > 0 else 1.0
    )
    if hard:
        agreement = 1.0
    else:
        weighed = [r for r in rules if r.fired and r.effect.kind == "weight" and r.effect.toward]
        total = sum(r.effect.weight for r in weighed)
        agree = sum(r.effect.weight for r in weighed if r.effect.toward == verdict)
        agreement = agree / total if total > 0 else 0.0
    score = 0.5 * margin + 0.5 * agreement
    if conflicts:
        score = min(score, 0.6)
    label = "low" if score < 0.4 else "high" if score >= 0.7 else "medium"
    return score, label


def decide_verdict(inp: Inputs, e: Economics, rules: tuple[RuleResult, ...]) -> Verdict:
    by_id = _by_id(rules)
    scores = {v: 0.0 for v in ORDER}
    for r in rules:
        if r.fired and r.effect.kind == "weight" and r.effect.toward in scores:
            scores[r.effect.toward] += r.effect.weight
    conflicts = conflicts_of(rules, inp.policy.weight_strong)
    note = None
    pattern: str | None = None
    if by_id["air-gapped"].fired:
        verdict, decided = "self_host", "air-gapped"
    elif by_id["data-sovereignty"].fired:
        decided = "data-sovereignty"
        share = inp.sensitive_share
        verdict, pattern = ("hybrid", "sensitivity") if 0 < share < 1 else ("self_host", None)
    elif by_id["latency-under-100ms"].fired:
        decided = "latency-under-100ms"
        verdict, pattern = ("hybrid", "latency") if inp.critical_share < 1 else ("self_host", None)
    else:
        decided = "weights"
        verdict = max(ORDER, key=lambda v: (scores[v], -ORDER.index(v)))
        if verdict == "hybrid":
            pattern = cheapest_hybrid(inp, e)
            if pattern is None:
                rest = ("api", "self_host")
                verdict = max(rest, key=lambda v: (scores[v], -rest.index(v)))
                note = (
                    "the rules lean hybrid, but no hybrid pattern applies to this workload "
                    f"(no simple or sensitive share, no overflow): {verdict} instead"
                )
    hard = decided != "weights"
    score, label = confidence(inp, e, rules, verdict, hard, bool(conflicts))
    return Verdict(
        verdict=verdict,
        pattern=pattern,
        decided_by=decided,
        scores=scores,
        confidence_score=score,
        confidence=label,
        conflicts=conflicts,
        api_fallback=not inp.air_gapped,
        note=note,
    )


__all__ = ["Verdict", "cost_options", "decide_verdict"]
