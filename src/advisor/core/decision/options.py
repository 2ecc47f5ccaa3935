"""The priced options as rows of the cost comparison, each figure annotated with the
assumption or rule behind it (the notes every face shows under its table)."""

from __future__ import annotations

from datetime import date

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.decision.model import Option
from advisor.core.decision.verdict import Verdict
from advisor.core.fmt import dated, money, money_fine, plural, share
from advisor.core.rules.base import RuleResult

LABELS = {
    "api": "API",
    "self_host": "Self-hosted",
    "complexity": "hybrid complexity",
    "volume": "hybrid volume",
    "sensitivity": "hybrid sensitivity",
    "latency": "hybrid latency",
}


def _api_note(inp: Inputs, e: Economics, today: date) -> str:
    api, entry = e.api, inp.catalog.api_models[inp.api_model_id]
    note = (
        f"{api.model}: {money_fine(api.input_price_per_mtok, 2)} in / "
        f"{money_fine(api.output_price_per_mtok, 2)} out per M tokens"
    )
    if (entry.input_per_mtok, entry.output_per_mtok) == (inp.api_in_price, inp.api_out_price):
        note += f", price as of {dated(entry.as_of, today, inp.catalog.meta.stale_after_days)}"
    else:
        note += " (your prices)"
    if api.monthly_spend is not None:
        note += f"; bill actually paid {money(api.monthly_spend)}"
    return note


def _self_host_note(inp: Inputs, e: Economics, today: date, trap: bool) -> str:
    s, be, d = e.self_host, e.break_even, inp.main
    price = f"{s.gpus} x {money_fine(s.gpu_hourly_price, 2)}/h"
    if d.gpu_hourly == d.gpu.hourly_price:
        price += f", price as of {dated(d.gpu.as_of, today, inp.catalog.meta.stale_after_days)}"
    note = (
        f"hardware {money(s.hardware_monthly)} ({price}) + infra {money(s.infra_monthly)} "
        f"({share(d.infra_overhead)}) + ops {money(s.ops_monthly)} "
        f"({plural(s.ops_steps, 'step')}); sized for {s.sizing} load; "
        f"throughput: {s.throughput.source}"
    )
    if s.shortfall:
        note += (
            f"; shortfall: {s.shortfall.tokens_per_month / 1e6:,.0f} M tokens/month unserved, "
            f"{money(s.shortfall.api_cost)} on the API [capacity]; x friction: "
            f"{money(s.monthly_cost)} x {inp.policy.friction_multiplier:g} + "
            f"{money(s.shortfall.api_cost)} on the API = {money(be.self_host_compared)}"
        )
    if trap:
        note += " [utilization-trap]"
    return note


def build_options(
    inp: Inputs, e: Economics, v: Verdict, rules: tuple[RuleResult, ...], today: date
) -> tuple[Option, ...]:
    """API, full self-hosting, then each hybrid, in that order."""
    requests = inp.requests_per_day * inp.days
    tokens_1k = requests * (inp.input_tokens + inp.output_tokens) / 1000
    friction = inp.policy.friction_multiplier
    trap = any(r.id == "utilization-trap" and r.fired for r in rules)

    def per(x: float, count: float) -> float:
        return x / count if count > 0 else 0.0

    options = [
        Option(
            id="api",
            label=LABELS["api"],
            monthly_cost=e.api.monthly_cost,
            with_friction=e.api.monthly_cost,
            per_request=e.api.cost_per_request,
            per_1k_tokens=e.api.cost_per_1k_tokens,
            deployment=None,
            applicable=True,
            chosen=v.verdict == "api",
            note=_api_note(inp, e, today),
        ),
        Option(
            id="self_host",
            label=LABELS["self_host"],
            monthly_cost=e.self_host.monthly_cost,
            with_friction=e.break_even.self_host_compared,
            per_request=per(e.self_host.monthly_cost, requests),
            per_1k_tokens=e.self_host.cost_per_1k_tokens,
            deployment=e.self_host,
            applicable=True,
            chosen=v.verdict == "self_host",
            note=_self_host_note(inp, e, today, trap),
        ),
    ]
    for h in e.hybrids:
        options.append(
            Option(
                id=h.pattern,
                label=LABELS[h.pattern],
                monthly_cost=h.monthly_cost,
                with_friction=h.compared_cost(friction),
                per_request=per(h.monthly_cost, requests),
                per_1k_tokens=per(h.monthly_cost, tokens_1k),
                deployment=h.deployment,
                applicable=h.applicable,
                chosen=v.verdict == "hybrid" and v.pattern == h.pattern,
                note=h.note + ("" if h.applicable else " [not applicable]"),
            )
        )
    return tuple(options)
