"""The one function every face calls: a profile in, a Decision out."""

from __future__ import annotations

import functools
from datetime import date
from typing import TYPE_CHECKING

from advisor import __version__
from advisor.core import clock
from advisor.core.catalog.load import default_catalog
from advisor.core.catalog.model import Catalog
from advisor.core.costs.curve import cost_curve
from advisor.core.costs.economics import Economics, compute
from advisor.core.costs.inputs import Inputs, resolve
from advisor.core.costs.uncertainty import simulate
from advisor.core.decision.advice import conditions, fixed_by, next_steps
from advisor.core.decision.api_words import retired_warning
from advisor.core.decision.assumptions import assumptions_of, stale_prices
from advisor.core.decision.breakeven_words import break_even_lines, hosted_line
from advisor.core.decision.choices import deployment_flips
from advisor.core.decision.model import CONTRACT_VERSION, Decision, Recommendation, Workload
from advisor.core.decision.options import build_options
from advisor.core.decision.outlook import FROM_MARGIN, with_outlook
from advisor.core.decision.sensitivity import analyse
from advisor.core.decision.verdict import Verdict, decide_verdict
from advisor.core.decision.words import (
    fallback,
    fixed_lead,
    headline,
    hosted_words,
    short_headline,
)
from advisor.core.fmt import VERDICT_MARKS, money
from advisor.core.forked import Forked
from advisor.core.rules import RuleResult, evaluate_rules

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile


def _hosted(inp: Inputs, e: Economics, v: Verdict) -> str | None:
    """'a hosted Llama 3.3 70B Instruct (Groq)' when that is the API route, else None."""
    if v.api_route != "hosted_open" or e.hosted is None:
        return None
    return hosted_words(inp.main.model.name, e.hosted.provider)


def _summary(inp: Inputs, e: Economics, rules: tuple[RuleResult, ...], v: Verdict) -> str:
    hosted = _hosted(inp, e, v)
    said = headline(v.verdict, v.pattern, hosted)
    if v.decided_by not in ("weights", "cost"):
        hard = next(r for r in rules if r.id == v.decided_by)
        return f"{said}: {hard.explanation[0].lower()}{hard.explanation[1:]}"
    weighed = [r for r in rules if r.fired and r.effect.kind == "weight" and r.effect.toward]
    agree = [r for r in weighed if r.effect.toward == v.verdict]
    costs = (
        f"the API costs {money(e.api.monthly_cost)}/month against "
        f"{money(e.break_even.self_host_compared)} for self-hosting with friction"
    )
    if v.verdict == "hybrid" and v.pattern:
        hybrid = e.hybrid(v.pattern).compared_cost(inp.policy.friction_multiplier)
        costs += f" and {money(hybrid)} for this hybrid"
    if hosted and e.hosted is not None:
        said = f"Use {hosted}"
        costs = (
            f"{money(e.hosted.cost.monthly_cost)}/month against "
            f"{money(e.break_even.self_host_compared)} for self-hosting it with friction and "
            f"{money(e.api.monthly_cost)} on {inp.api.name}"
        )
    return f"{said}: {costs}, and {len(agree)} of {len(weighed)} weighed rules agree."


def _warnings(
    profile: Profile, inp: Inputs, e: Economics, rules: tuple[RuleResult, ...], today: date
) -> tuple[str, ...]:
    warnings = [*e.choice.warnings]
    warnings += [r.explanation for r in rules if r.fired and r.effect.kind == "warning"]
    if inp.monthly_spend is not None and e.api.monthly_cost > 0:
        ratio = inp.monthly_spend / e.api.monthly_cost
        if abs(ratio - 1) > 0.2:
            warnings.append(
                f"the bill you pay ({money(inp.monthly_spend)}/month) differs from the computed "
                f"API cost ({money(e.api.monthly_cost)}) by {ratio - 1:+.0%}: check the volume, "
                "token counts and prices in this profile."
            )
    retired = retired_warning(inp.catalog, inp.api_model_id)
    if retired:
        warnings.append(retired)
    warnings += stale_prices(profile, inp, e.self_host, today)
    return tuple(warnings)


def _migration_note(version: int | None) -> tuple[str, ...]:
    from advisor.core.profile.version import SCHEMA_VERSION

    if version is None or version >= SCHEMA_VERSION:
        return ()
    return (
        f"this profile was written in schema {version}; it was read as schema "
        f"{SCHEMA_VERSION}, whose new answers take their defaults, and saving it writes "
        f"schema {SCHEMA_VERSION}.",
    )


def _recommendation(
    inp: Inputs, e: Economics, rules: tuple[RuleResult, ...], v: Verdict, answer: str | None
) -> Recommendation:
    toward = v.verdict
    reasons = tuple(
        r.explanation
        for r in rules
        if r.fired
        and (r.id == v.decided_by or (r.effect.kind == "weight" and r.effect.toward == toward))
    )
    against = tuple(
        f"{r.title}: {r.explanation}"
        for r in rules
        if r.fired
        and r.effect.kind in ("weight", "hard")
        and r.effect.toward not in (toward, None)
        and r.id != v.decided_by
    )
    hosted = _hosted(inp, e, v)
    needs = conditions(inp, v)
    return Recommendation(
        verdict=v.verdict,
        pattern=v.pattern,
        headline=headline(v.verdict, v.pattern, hosted, needs),
        short=short_headline(v.verdict, v.pattern, hosted) + (" (conditional)" if needs else ""),
        mark=VERDICT_MARKS[v.verdict],
        confidence=v.confidence,
        confidence_score=v.confidence_score,
        api_fallback=v.api_fallback,
        fallback_reason=v.fallback_reason,
        fallback=fallback(v.api_fallback, v.fallback_reason),
        api_route=v.api_route,
        decided_by=v.decided_by,
        fixed_by=answer,
        confidence_basis=FROM_MARGIN,
        scores=v.scores,
        summary=_summary(inp, e, rules, v),
        reasons=reasons,
        caveats=(*against, *v.conflicts, *((v.note,) if v.note else ())),
        conflicts=v.conflicts,
        next_steps=next_steps(inp, e, v),
        note=v.note,
        conditions=needs,
    )


def decide(
    profile: Profile,
    catalog: Catalog | None = None,
    today: date | None = None,
    *,
    migrated_from: int | None = None,
    outlook: bool = True,
    fork: bool = False,
) -> Decision:
    """Compute the whole decision for a profile. Raises InputError on unknown catalog ids.
    `migrated_from`: the schema version the profile's file was written in, when older;
    `outlook`: also the horizon and the odds (the TUI adds them later, off the UI thread);
    `fork`: the odds worked out in a forked child meanwhile (core/forked.py: a command's one
    decision, not a test's thousands)."""
    catalog = catalog or default_catalog()
    today = today or clock.today()
    inp = resolve(profile, catalog)
    e = compute(inp)
    odds = Forked(functools.partial(simulate, inp, e)) if outlook and fork else None
    try:
        rules = evaluate_rules(inp, e)
        v = decide_verdict(inp, e, rules)
        answer = fixed_by(inp, v)
        flips = tuple(
            f if f.flips or answer is None else f._replace(fixed_by=answer)
            for f in analyse(inp, v.verdict)
        )
        decision = Decision(
            advisor_version=__version__,
            contract_version=CONTRACT_VERSION,
            profile_name=profile.name,
            notes=profile.notes,
            today=today,
            stale_after_days=catalog.meta.stale_after_days,
            workload=Workload(
                requests_per_day=inp.requests_per_day,
                requests_per_month=inp.requests_per_day * inp.days,
                input_tokens=inp.input_tokens,
                output_tokens=inp.output_tokens,
                days_per_month=inp.days,
            ),
            recommendation=_recommendation(inp, e, rules, v, answer),
            options=build_options(inp, e, v, rules, today),
            curve=tuple(cost_curve(inp, e.break_even)),
            break_even_lines=break_even_lines(inp, e),
            break_even_hosted=hosted_line(inp, e),
            rules=rules,
            sensitivity=flips,
            choices=deployment_flips(inp, e.self_host, v.verdict, answer),
            flip_lead=fixed_lead(answer),
            assumptions=assumptions_of(profile, inp, e.self_host),
            warnings=_migration_note(migrated_from) + _warnings(profile, inp, e, rules, today),
            inputs=inp,
            economics=e,
        )
        if not outlook:
            return decision
        return with_outlook(decision, odds.result() if odds else None)
    finally:
        if odds is not None:
            odds.close()  # a failure on the way: no child left behind
