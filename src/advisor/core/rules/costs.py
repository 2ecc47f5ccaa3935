"""Rules about money: spend bands, break-even, utilisation, volume, output tokens."""

from __future__ import annotations

import math

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.options import VERDICT_OF_GROUP, Priced, group_costs, priced
from advisor.core.fmt import number
from advisor.core.fmt import share as percent
from advisor.core.rules.base import PRACTICAL, WHEN_SELF, RuleResult, _r, money


def spend_under(inp: Inputs, e: Economics) -> RuleResult:
    api, p = e.api.monthly_cost, inp.policy
    fired = api < p.small_spend
    return _r(
        "spend-under-5k",
        f"API spend under {money(p.small_spend)}/month",
        PRACTICAL,
        fired,
        "weight",
        "api",
        p.weight_strong,
        f"API cost {money(api)}/month is {'under' if fired else 'not under'} "
        f"{money(p.small_spend)}: "
        + (
            "the operational overhead exceeds any possible "
            "savings; optimise prompts and model choice instead."
            if fired
            else "self-hosting overhead could be recovered."
        ),
        {"api_monthly": api, "small_spend": p.small_spend},
    )


def spend_middle(inp: Inputs, e: Economics) -> RuleResult:
    api, p = e.api.monthly_cost, inp.policy
    fired = p.small_spend <= api <= p.large_spend
    simple = inp.simple_share >= p.significant_share
    text = (
        f"API cost {money(api)}/month is {'within' if fired else 'outside'} "
        f"{money(p.small_spend)}-{money(p.large_spend)}. "
    )
    if fired and simple:
        text += (
            f"{percent(inp.simple_share)} of requests are simple tasks (at least "
            f"{percent(p.significant_share)}): a small self-hosted model for them may pay off."
        )
    elif fired:
        text += (
            f"Analyse the workload: only {percent(inp.simple_share)} of requests are simple "
            f"tasks (under {percent(p.significant_share)}), so keep the API."
        )
    return _r(
        "spend-5k-20k",
        "API spend in the middle band: analyse the workload",
        PRACTICAL,
        fired,
        "weight" if simple else "info",
        "hybrid" if simple else None,
        p.weight_normal if simple else 0.0,
        text.strip(),
        {
            "api_monthly": api,
            "simple_task_share": inp.simple_share,
            "significant_share": p.significant_share,
        },
    )


def spend_over(inp: Inputs, e: Economics) -> RuleResult:
    api, p = e.api.monthly_cost, inp.policy
    fired = api > p.large_spend
    return _r(
        "spend-over-20k",
        f"API spend over {money(p.large_spend)}/month",
        PRACTICAL,
        fired,
        "weight",
        "hybrid",
        p.weight_normal,
        f"API cost {money(api)}/month is {'over' if fired else 'not over'} "
        f"{money(p.large_spend)}"
        + (
            ": self-hosting probably makes sense for part of the "
            "workload; invest in the expertise to do it well."
            if fired
            else "."
        ),
        {"api_monthly": api, "large_spend": p.large_spend},
    )


LABELS = {
    "api": "the API",
    "hosted_open": "the same open model, hosted",
    "self_host": "self-hosting",
    "volume": "self-hosting with peaks on the API",
    "complexity": "hybrid by complexity",
    "sensitivity": "hybrid by sensitivity",
    "latency": "hybrid by latency",
}


def label(inp: Inputs, option: str) -> str:
    """An option in words; the hosted open model names its provider."""
    if option == "hosted_open" and inp.hosted is not None:
        return f"{inp.main.model.name} hosted by {inp.hosted.provider}"
    if option == "api":
        return f"the API ({inp.api.name})"
    return LABELS[option]


def api_or_not(inp: Inputs, e: Economics) -> tuple[Priced, Priced | None]:
    """The API group's cheapest option against the cheapest way of self-hosting anything
    (the self-hosted and hybrid groups): the article's break-even question."""
    groups = group_costs(priced(inp, e))
    alternatives = [groups[g] for g in ("self_hosted", "hybrid") if g in groups]
    best = min(alternatives, key=lambda o: o.with_friction) if alternatives else None
    return groups["api"], best


def break_even_rule(inp: Inputs, e: Economics) -> RuleResult:
    p = inp.policy
    api, alternative = api_or_not(inp, e)
    assert alternative is not None  # full self-hosting is always priced
    cheaper, dearer = sorted((api, alternative), key=lambda o: (o.with_friction, o.group != "api"))
    margin = (
        math.log(dearer.with_friction / cheaper.with_friction) / math.log(2)
        if cheaper.with_friction > 0
        else 1.0
    )
    weight = p.weight_break_even + p.weight_break_even_margin * min(1.0, margin)
    toward = VERDICT_OF_GROUP[cheaper.group]
    ratio = (
        f"{dearer.with_friction / cheaper.with_friction:.2f}x as much"
        if cheaper.with_friction > 0
        else "more"
    )
    text = (
        f"Cheapest is {label(inp, cheaper.id)} at {money(cheaper.with_friction)}/month with "
        f"friction; {label(inp, dearer.id)} costs {ratio} ({money(dearer.with_friction)}). "
    )
    be = e.break_even
    volume = be.requests_per_day
    if be.searched:
        against = [(inp.api.name, volume)]
        if inp.hosted is not None and inp.hosted_excluded is None:
            against.append(("the same model hosted", be.hosted_requests_per_day))
        text += "Break-even volume for full self-hosting: " + "; ".join(
            f"against {who}, {found:,} requests/day"
            if found
            else f"against {who}, none within 1,000x today's volume"
            for who, found in against
        )
        text += "."
    return _r(
        "break-even",
        "Total cost of ownership with the friction multiplier",
        "The Break-Even Calculation",
        True,
        "weight",
        toward,
        weight,
        text.strip(),
        {
            "api_monthly": e.api.monthly_cost,
            "self_host_compared": e.break_even.self_host_compared,
            "alternative": alternative.id,
            "alternative_compared": alternative.with_friction,
            "friction_multiplier": p.friction_multiplier,
            "break_even_requests_per_day": volume,
            "hosted_break_even_requests_per_day": e.break_even.hosted_requests_per_day,
        },
    )


def utilization_trap(inp: Inputs, e: Economics) -> RuleResult:
    u, floor = e.self_host.utilization, inp.policy.utilization_floor
    fired = u < floor
    per, full = e.self_host.cost_per_1k_tokens, e.self_host.cost_per_1k_tokens_full_load
    text = (
        f"Self-hosted utilisation {percent(u)} is "
        f"{'below' if fired else 'at or above'} {percent(floor)}"
    )
    if fired and per is not None and full is not None:
        text += (
            f": a GPU bills around the clock, so each token costs {1 / u:.1f}x the "
            f"full-load figure (${per:.4f} vs ${full:.4f} per 1K tokens)."
        )
    else:
        text += "."
    return _r(
        "utilization-trap",
        "The utilisation trap",
        "The Utilization Trap",
        fired,
        "weight",
        "api",
        inp.policy.weight_normal,
        text,
        {"utilization": u, "utilization_floor": floor},
    )


def extreme_volume(inp: Inputs, e: Economics) -> RuleResult:
    p, be = inp.policy, e.break_even.requests_per_day
    u = e.self_host.utilization
    fired = e.wins_at_fraction and u >= p.utilization_floor
    part = f"1/{number(p.extreme_multiple)}"
    text = (
        f"At {part} of today's volume ({inp.requests_per_day / p.extreme_multiple:,.0f} "
        f"requests/day) self-hosting {'already' if e.wins_at_fraction else 'does not yet'} "
        f"beat{'s' if e.wins_at_fraction else ''} the API with friction"
    )
    if be is not None:
        text += f" (break-even volume {be:,})"
    text += (
        f"; extreme volume also needs utilisation of at least {percent(p.utilization_floor)} "
        f"(now {percent(u)})."
    )
    return _r(
        "extreme-volume",
        "Extreme volume",
        WHEN_SELF,
        fired,
        "weight",
        "self_host",
        p.weight_strong,
        text,
        {
            "requests_per_day": inp.requests_per_day,
            "break_even_requests_per_day": be,
            "wins_at_fraction": e.wins_at_fraction,
            "extreme_multiple": p.extreme_multiple,
            "utilization": u,
        },
    )


def output_trap(inp: Inputs, e: Economics) -> RuleResult:
    ratio = inp.api_out_price / max(inp.api_in_price, 1e-12)
    fired = not inp.output_measured
    share = (
        inp.output_tokens * inp.api_out_price / 1e6 / e.api.cost_per_request
        if (e.api.cost_per_request)
        else 0.0
    )
    return _r(
        "output-token-trap",
        "The output token trap",
        "The Output Token Trap",
        fired,
        "warning",
        None,
        0.0,
        (
            f"Output lengths ({inp.output_tokens:,.0f} tokens) are a guess, and output is "
            f"{percent(share)} of the API bill at {ratio:.1f}x "
            "the input price: measure real output lengths before projecting."
        )
        if fired
        else f"Output lengths ({inp.output_tokens:,.0f} tokens) are measured from real traffic.",
        {"output_tokens": inp.output_tokens, "output_tokens_measured": inp.output_measured},
    )
