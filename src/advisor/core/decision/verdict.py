"""From fired rules and priced options to a verdict (DESIGN.md §3, §6 "Verdict stability").

1. A hard constraint fixes the verdict: air-gapped, data that must stay on premises, a latency
   target no API round trip can meet.
2. Otherwise, first: the API, or self-hosting in some form? The API group's cheapest option is
   compared with the cheapest way of self-hosting anything (the self-hosted or the hybrid group),
   friction included. A side dearer than `policy.close_call` (1.2) x the other is out of the
   running, unless a strong rule about the team or the product (no ML expertise, frontier
   capability) keeps the API in. Within a close call, the fired rules' weights decide (the
   break-even rule among them); ties go to the API.
3. Then, if self-hosting: full self-hosting (possibly with peaks on the API) or a hybrid? The
   cheaper gets the break-even weight (more with the margin), the rules toward each add theirs.

Every step only ever moves away from the API as the API gets dearer, and toward it as GPUs get
dearer; and with no hard constraint and no strong non-cost rule, the verdict is never the API
where the API costs more than close_call x friction x the cheapest self-hosted option
(tests/test_properties.py).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from advisor.core.costs.economics import Economics
from advisor.core.costs.hybrids import no_api
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.options import Priced, group_costs, priced
from advisor.core.fmt import money
from advisor.core.rules import RuleResult

NEEDS = {True: "self-hosting", False: "in-house inference for part of the traffic"}
ORDER = ("api", "hybrid", "self_host")  # ties go to the earlier one: the API first

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
        "variable-traffic",
    }
)


class Verdict(NamedTuple):
    verdict: str
    pattern: str | None
    decided_by: str  # a hard rule id, "cost" (one side out of the running) or "weights"
    scores: dict[str, float]
    confidence_score: float
    confidence: str
    conflicts: tuple[str, ...]
    api_fallback: bool
    fallback_reason: str | None  # why no API may be the fallback
    note: str | None  # e.g. why a hybrid verdict fell back
    api_route: str  # "closed" (the closed model) or "hosted_open"


def _by_id(rules: tuple[RuleResult, ...]) -> dict[str, RuleResult]:
    return {r.id: r for r in rules}


def _weighed(rules: tuple[RuleResult, ...]) -> list[RuleResult]:
    return [r for r in rules if r.fired and r.effect.kind == "weight" and r.effect.toward]


def strong_for_api(rules: tuple[RuleResult, ...], strong: float) -> bool:
    """A strong rule about the team or the product (not about money) favours the API."""
    return any(
        r.id not in ECONOMIC and r.effect.toward == "api" and r.effect.weight >= strong > 0
        for r in _weighed(rules)
    )


def conflicts_of(rules: tuple[RuleResult, ...], strong: float) -> tuple[str, ...]:
    hard = [r for r in rules if r.fired and r.effect.kind == "hard"]
    against = [
        r
        for r in _weighed(rules)
        if r.id not in ECONOMIC and r.effect.toward == "api" and r.effect.weight >= strong > 0
    ]
    return tuple(
        f"{h.title} requires {NEEDS[h.effect.toward == 'self_host']}, "
        f"but {s.title.lower()} strongly favours the API: {s.explanation}"
        for h in hard
        for s in against
    )


def _cost_weight(inp: Inputs, cheaper: float, dearer: float) -> float:
    p = inp.policy
    margin = math.log(dearer / cheaper) / math.log(2) if cheaper > 0 else 1.0
    return p.weight_break_even + p.weight_break_even_margin * min(1.0, max(0.0, margin))


def _self_host_or_hybrid(
    inp: Inputs, groups: dict[str, Priced], scores: dict[str, float]
) -> tuple[str, str | None]:
    """Stage 3: which way of self-hosting, and its pattern."""
    own, hybrid = groups.get("self_hosted"), groups.get("hybrid")
    if own is None:
        assert hybrid is not None
        return "hybrid", hybrid.id
    pattern = "volume" if own.id == "volume" else None
    if hybrid is None:
        return "self_host", pattern
    s_score, h_score = scores["self_host"], scores["hybrid"]
    lo, hi = sorted((own.with_friction, hybrid.with_friction))
    if own.with_friction <= hybrid.with_friction:
        s_score += _cost_weight(inp, lo, hi)
    else:
        h_score += _cost_weight(inp, lo, hi)
    if h_score > s_score or (h_score == s_score and hybrid.with_friction < own.with_friction):
        return "hybrid", hybrid.id
    return "self_host", pattern


def _weigh(
    inp: Inputs,
    rules: tuple[RuleResult, ...],
    scores: dict[str, float],
    groups: dict[str, Priced],
) -> tuple[str, str | None, str]:
    """Stages 2 and 3: (verdict, pattern, decided_by)."""
    api = groups["api"]
    others = [groups[g] for g in ("self_hosted", "hybrid") if g in groups]
    if not others:
        return "api", None, "cost"
    alt = min(others, key=lambda o: o.with_friction)
    close = inp.policy.close_call
    keep_api = strong_for_api(rules, inp.policy.weight_strong)
    stage_scores = {**scores}
    be = next(r for r in rules if r.id == "break-even")
    if api.with_friction > close * alt.with_friction and not keep_api:
        go, decided = "self-hosting", "cost"
    elif alt.with_friction > close * api.with_friction:
        go, decided = "api", "cost"
    else:
        api_score = stage_scores["api"]
        alt_score = stage_scores["self_host"] + stage_scores["hybrid"]
        go, decided = ("api" if api_score >= alt_score else "self-hosting"), "weights"
    if go == "api":
        return "api", None, decided
    # Stage 3 weighs the two ways of self-hosting against each other: the break-even rule's
    # weight (which compared the API with them) is replaced by a cost weight between them.
    if be.fired and be.effect.toward in ("self_host", "hybrid"):
        stage_scores[be.effect.toward] -= be.effect.weight
    verdict, pattern = _self_host_or_hybrid(inp, groups, stage_scores)
    return verdict, pattern, decided


def confidence(
    rules: tuple[RuleResult, ...],
    groups: dict[str, Priced],
    verdict: str,
    hard: bool,
    conflicts: bool,
) -> tuple[float, str]:
    """Half from the cost margin of the verdict over the cheapest option of another group
    (0 when another group is cheaper), half from the agreement of the fired weight."""
    group = {"api": "api", "self_host": "self_hosted", "hybrid": "hybrid"}[verdict]
    mine = groups.get(group)
    others = [o.with_friction for g, o in groups.items() if g != group]
    if mine is None or not others or mine.with_friction <= 0:
        margin = 1.0 if mine is not None and others else 0.0
    else:
        margin = min(1.0, max(0.0, math.log(min(others) / mine.with_friction) / math.log(2)))
    score = 0.5 * margin + 0.5 * agreement(rules, verdict, hard)
    return scored(score, conflicts)


def agreement(rules: tuple[RuleResult, ...], verdict: str, hard: bool) -> float:
    """The share of the fired weight that points to the verdict (1 for a hard constraint)."""
    if hard:
        return 1.0
    weighed = _weighed(rules)
    total = sum(r.effect.weight for r in weighed)
    agree = sum(r.effect.weight for r in weighed if r.effect.toward == verdict)
    return agree / total if total > 0 else 0.0


def scored(score: float, conflicts: bool) -> tuple[float, str]:
    """The score (capped at 0.6 with conflicts) and its label."""
    if conflicts:
        score = min(score, 0.6)
    label = "low" if score < 0.4 else "high" if score >= 0.7 else "medium"
    return score, label


def decide_verdict(inp: Inputs, e: Economics, rules: tuple[RuleResult, ...]) -> Verdict:
    by_id = _by_id(rules)
    scores = {v: 0.0 for v in ORDER}
    for r in _weighed(rules):
        if r.effect.toward in scores:
            scores[r.effect.toward] += r.effect.weight
    conflicts = conflicts_of(rules, inp.policy.weight_strong)
    groups = group_costs(priced(inp, e))
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
        if by_id["frontier-capability"].fired:
            # Open models lag the frontier: full self-hosting cannot meet that need; a hybrid
            # (the frontier work on the API) and the API remain.
            own = groups["self_hosted"]
            if own.with_friction < groups["api"].with_friction:
                note = (
                    f"full self-hosting would cost less ({money(own.with_friction)}/month with "
                    "friction), but frontier capability is needed and open models lag the "
                    "frontier: only the API, or a hybrid that keeps the hard work on it"
                )
            groups = {g: o for g, o in groups.items() if g != "self_hosted"}
        verdict, pattern, decided = _weigh(inp, rules, scores, groups)
    hard = decided not in ("weights", "cost")
    api = groups.get("api")
    route = "hosted_open" if verdict == "api" and api and api.id == "hosted_open" else "closed"
    score, label = confidence(rules, groups, verdict, hard, bool(conflicts))
    reason = no_api(inp)
    return Verdict(
        verdict=verdict,
        pattern=pattern,
        decided_by=decided,
        scores=scores,
        confidence_score=score,
        confidence=label,
        conflicts=conflicts,
        api_fallback=reason is None,
        fallback_reason=reason,
        note=note,
        api_route=route,
    )


__all__ = ["Verdict", "decide_verdict"]
