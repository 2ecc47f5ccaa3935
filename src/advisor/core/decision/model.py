"""The one function every face calls: a profile in, a Decision out."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from advisor import __version__
from advisor.core import clock
from advisor.core.catalog.load import default_catalog
from advisor.core.catalog.model import Catalog
from advisor.core.costs.economics import Economics, compute
from advisor.core.costs.inputs import Inputs, resolve
from advisor.core.decision.advice import fixed_by, next_steps
from advisor.core.decision.assumptions import Assumption, assumptions_of, stale_prices
from advisor.core.decision.sensitivity import Flip, analyse
from advisor.core.decision.verdict import Verdict, decide_verdict
from advisor.core.profile.model import Profile
from advisor.core.rules import RuleResult, evaluate_rules, money

CONTRACT_VERSION = 1

PHRASES = {
    "api": "Stay on the API",
    "self_host": "Self-host",
    "hybrid": "Go hybrid",
}
PATTERN_WORDS = {
    "complexity": "simple tasks on a small self-hosted model, the rest on the API",
    "volume": "baseline load self-hosted, peaks on the API",
    "sensitivity": "sensitive requests self-hosted, the rest on the API",
    "latency": "latency-critical requests on a local model, the rest on the API",
}


class Decision(NamedTuple):
    advisor_version: str
    contract_version: int
    profile_name: str
    notes: str
    today: date
    inputs: Inputs
    economics: Economics
    rules: tuple[RuleResult, ...]
    verdict: Verdict
    summary: str
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    next_steps: tuple[str, ...]
    sensitivity: tuple[Flip, ...]
    assumptions: tuple[Assumption, ...]
    warnings: tuple[str, ...]
    # The answer that forces the verdict (a hard constraint), so no cost change flips it;
    # None when the verdict comes from weighing the rules.
    fixed_by: str | None = None

    def rule(self, rule_id: str) -> RuleResult:
        return next(r for r in self.rules if r.id == rule_id)


def headline(v: Verdict) -> str:
    text = PHRASES[v.verdict]
    if v.pattern:
        text += f" by {v.pattern} ({PATTERN_WORDS[v.pattern]})"
    return text


def _summary(inp: Inputs, e: Economics, rules: tuple[RuleResult, ...], v: Verdict) -> str:
    if v.decided_by != "weights":
        hard = next(r for r in rules if r.id == v.decided_by)
        return f"{headline(v)}: {hard.explanation[0].lower()}{hard.explanation[1:]}"
    weighed = [r for r in rules if r.fired and r.effect.kind == "weight" and r.effect.toward]
    agree = [r for r in weighed if r.effect.toward == v.verdict]
    costs = (
        f"the API costs {money(e.api.monthly_cost)}/month against "
        f"{money(e.break_even.self_host_compared)} for self-hosting with friction"
    )
    if v.verdict == "hybrid" and v.pattern:
        hybrid = e.hybrid(v.pattern).compared_cost(inp.policy.friction_multiplier)
        costs += f" and {money(hybrid)} for this hybrid"
    return f"{headline(v)}: {costs}, and {len(agree)} of {len(weighed)} weighed rules agree."


def decide(profile: Profile, catalog: Catalog | None = None, today: date | None = None) -> Decision:
    """Compute the whole decision for a profile. Raises InputError on unknown catalog ids."""
    catalog = catalog or default_catalog()
    today = today or clock.today()
    inp = resolve(profile, catalog)
    e = compute(inp)
    rules = evaluate_rules(inp, e)
    v = decide_verdict(inp, e, rules)
    toward = v.verdict
    reasons = tuple(
        r.explanation
        for r in rules
        if r.fired
        and (r.id == v.decided_by or (r.effect.kind == "weight" and r.effect.toward == toward))
    )
    against = tuple(
        f"{r.id}: {r.explanation}"
        for r in rules
        if r.fired
        and r.effect.kind in ("weight", "hard")
        and r.effect.toward not in (toward, None)
        and r.id != v.decided_by
    )
    warnings = [*e.self_host.warnings]
    warnings += [r.explanation for r in rules if r.fired and r.effect.kind == "warning"]
    if inp.monthly_spend is not None and e.api.monthly_cost > 0:
        ratio = inp.monthly_spend / e.api.monthly_cost
        if abs(ratio - 1) > 0.2:
            warnings.append(
                f"the bill you pay ({money(inp.monthly_spend)}/month) differs from the computed "
                f"API cost ({money(e.api.monthly_cost)}) by {ratio - 1:+.0%}: check the volume, "
                "token counts and prices in this profile."
            )
    warnings += stale_prices(profile, inp, today)
    caveats = (*against, *v.conflicts, *((v.note,) if v.note else ()))
    answer = fixed_by(inp, v)
    flips = tuple(
        f if f.flips or answer is None else f._replace(fixed_by=answer)
        for f in analyse(inp, v.verdict)
    )
    return Decision(
        advisor_version=__version__,
        contract_version=CONTRACT_VERSION,
        profile_name=profile.name,
        notes=profile.notes,
        today=today,
        inputs=inp,
        economics=e,
        rules=rules,
        verdict=v,
        summary=_summary(inp, e, rules, v),
        reasons=reasons,
        caveats=caveats,
        next_steps=next_steps(inp, e, v),
        sensitivity=flips,
        assumptions=assumptions_of(profile, inp),
        warnings=tuple(warnings),
        fixed_by=answer,
    )
