"""The cost comparison as rows of text, each figure annotated with the rule or assumption
behind it. Shared by the text report, the Markdown memo and the TUI."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.decision import Decision
from advisor.report.fmt import money, money_fine, share


class CostRow(NamedTuple):
    option: str
    monthly: str
    compared: str  # with the friction multiplier on self-hosted parts
    per_request: str
    per_1k: str
    gpus: str
    utilization: str
    note: str
    chosen: bool
    applicable: bool


def cost_rows(decision: Decision) -> list[CostRow]:
    e, inp, v = decision.economics, decision.inputs, decision.verdict
    f = inp.policy.friction_multiplier
    requests = inp.requests_per_day * inp.days
    tokens_1k = requests * (inp.input_tokens + inp.output_tokens) / 1000
    api_model = inp.catalog.api_models[inp.api_model_id]
    api_note = (
        f"{e.api.model}: {money_fine(e.api.input_price_per_mtok, 2)} in / "
        f"{money_fine(e.api.output_price_per_mtok, 2)} out per M tokens"
    )
    if e.api.input_price_per_mtok == api_model.input_per_mtok:
        api_note += f", price as of {api_model.as_of.isoformat()}"
    if e.api.monthly_spend is not None:
        api_note += f"; bill actually paid {money(e.api.monthly_spend)}"
    rows = [
        CostRow(
            "API",
            money(e.api.monthly_cost),
            money(e.api.monthly_cost),
            money_fine(e.api.cost_per_request),
            money_fine(e.api.cost_per_1k_tokens),
            "-",
            "-",
            api_note,
            v.verdict == "api",
            True,
        )
    ]
    s = e.self_host
    sh_note = (
        f"hardware {money(s.hardware_monthly)} ({s.gpus} x {money_fine(s.gpu_hourly_price, 2)}/h) "
        f"+ infra {money(s.infra_monthly)} ({inp.main.infra_overhead:.0%}) + ops "
        f"{money(s.ops_monthly)} ({s.ops_steps} step{'s' if s.ops_steps > 1 else ''}); "
        f"sized for {s.sizing} load; throughput: {s.throughput.source}"
    )
    if s.shortfall:
        sh_note += (
            f"; shortfall: {s.shortfall.tokens_per_month / 1e6:,.0f} M tokens/month "
            f"unserved, {money(s.shortfall.api_cost)} on the API [capacity]"
        )
    if decision.rule("utilization-trap").fired:
        sh_note += " [utilization-trap]"
    rows.append(
        CostRow(
            "Self-hosted",
            money(s.monthly_cost),
            money(e.break_even.self_host_compared),
            money_fine(s.monthly_cost / requests),
            money_fine(s.cost_per_1k_tokens),
            f"{s.replicas}x{s.gpus_per_replica} {s.gpu}",
            share(s.utilization),
            sh_note,
            v.verdict == "self_host",
            True,
        )
    )
    for h in e.hybrids:
        d = h.deployment
        rows.append(
            CostRow(
                f"Hybrid: {h.pattern}",
                money(h.monthly_cost),
                money(h.compared_cost(f)),
                money_fine(h.monthly_cost / requests),
                money_fine(h.monthly_cost / tokens_1k),
                f"{d.replicas}x{d.gpus_per_replica} {d.gpu}",
                share(d.utilization),
                h.note + ("" if h.applicable else " [not applicable]"),
                v.verdict == "hybrid" and v.pattern == h.pattern,
                h.applicable,
            )
        )
    return rows
