"""Rules about money: spend bands, break-even, utilisation, volume, output tokens."""

from __future__ import annotations

import math

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
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
            f"{inp.simple_share:.0%} of requests are simple tasks (at least "
            f"{p.significant_share:.0%}): a small self-hosted model for them may pay off."
        )
    elif fired:
        text += (
            f"Analyse the workload: only {inp.simple_share:.0%} of requests are simple "
            f"tasks (under {p.significant_share:.0%}), so keep the API."
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


def cost_options(inp: Inputs, e: Economics) -> dict[str, tuple[float, str]]:
    """What each verdict costs as compared (friction on self-hosted parts), with a label."""
    f = inp.policy.friction_multiplier
    options = {
        "api": (e.api.monthly_cost, "the API"),
        "self_host": (e.break_even.self_host_compared, f"self-hosting x {f:g} friction"),
    }
    applicable = [h for h in e.hybrids if h.applicable]
    if applicable:
        best = min(applicable, key=lambda h: h.compared_cost(f))
        options["hybrid"] = (best.compared_cost(f), f"hybrid by {best.pattern}")
    return options


def break_even_rule(inp: Inputs, e: Economics) -> RuleResult:
    p = inp.policy
    options = cost_options(inp, e)
    ranked = sorted(options.items(), key=lambda kv: kv[1][0])
    (best, (best_cost, best_label)), (_, (second_cost, second_label)) = ranked[0], ranked[1]
    margin = math.log(second_cost / best_cost) / math.log(2) if best_cost > 0 else 1.0
    weight = p.weight_break_even + p.weight_break_even_margin * min(1.0, margin)
    listing = "; ".join(f"{label} {money(cost)}" for _, (cost, label) in ranked)
    volume = e.break_even.requests_per_day
    text = (
        f"Cheapest is {best_label} at {money(best_cost)}/month; the runner-up, "
        f"{second_label}, costs "
        + (f"{second_cost / best_cost:.2f}x as much" if best_cost > 0 else "more")
        + f" ({listing}). "
    )
    text += (
        f"Full self-hosting breaks even at {volume:,} requests/day."
        if volume
        else "Full self-hosting does not break even within 1,000x today's volume."
    )
    return _r(
        "break-even",
        "Total cost of ownership with the friction multiplier",
        "The Break-Even Calculation",
        True,
        "weight",
        best,
        weight,
        text,
        {
            "api_monthly": e.api.monthly_cost,
            "self_host_compared": e.break_even.self_host_compared,
            "hybrid_compared": options["hybrid"][0] if "hybrid" in options else None,
            "friction_multiplier": p.friction_multiplier,
            "break_even_requests_per_day": volume,
        },
    )


def utilization_trap(inp: Inputs, e: Economics) -> RuleResult:
    u, floor = e.self_host.utilization, inp.policy.utilization_floor
    fired = u < floor
    per, full = e.self_host.cost_per_1k_tokens, e.self_host.cost_per_1k_tokens_full_load
    text = f"Self-hosted utilisation {u:.0%} is {'below' if fired else 'at or above'} {floor:.0%}"
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
    fired = (
        be is not None
        and inp.requests_per_day >= p.extreme_multiple * be
        and (u >= p.utilization_floor)
    )
    if be is None:
        text = "Self-hosting does not break even within 1,000x today's volume."
    else:
        text = (
            f"Volume {inp.requests_per_day:,.0f} requests/day is "
            f"{inp.requests_per_day / be:.1f}x the break-even volume ({be:,}); extreme "
            f"needs {p.extreme_multiple:g}x at utilisation of at least "
            f"{p.utilization_floor:.0%} (now {u:.0%})."
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
            f"{share:.0%} of the API bill at {ratio:.1f}x "
            "the input price: measure real output lengths before projecting."
        )
        if fired
        else f"Output lengths ({inp.output_tokens:,.0f} tokens) are measured from real traffic.",
        {"output_tokens": inp.output_tokens, "output_tokens_measured": inp.output_measured},
    )
