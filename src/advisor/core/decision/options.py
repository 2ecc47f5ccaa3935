"""The priced options as rows of the cost comparison, each figure annotated with the
assumption or rule behind it (the notes every face shows under its table)."""

from __future__ import annotations

from datetime import date

from advisor.core.costs.deployment import Deployment
from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.options import GROUP_OF
from advisor.core.costs.purchase import WORDS as PURCHASE_WORDS
from advisor.core.decision.api_words import api_note, hosted_note
from advisor.core.decision.model import Option
from advisor.core.decision.verdict import Verdict
from advisor.core.fmt import dated, money, money_fine, number, plural, share
from advisor.core.marks import LABELS
from advisor.core.rules.base import RuleResult

ORDER = ("volume", "complexity", "sensitivity", "latency")


def deployment_words(d: Deployment) -> str:
    """'3 replicas of 2 x h100-80gb at fp8, autoscaled (54 replica-hours a day), N+1'."""
    replicas = f"{d.replicas} replica{'s' if d.replicas != 1 else ''}"
    text = f"{replicas} of {d.gpus_per_replica} x {d.gpu} at {d.precision}"
    if d.sizing == "autoscale":
        text += f", autoscaled ({d.replica_hours_per_day:,.0f} replica-hours a day)"
    elif d.sizing == "peak":
        text += ", fixed for the peak"
    elif d.sizing == "average":
        text += ", sized for the average load"
    elif d.sizing == "utilization":
        text += ", sized for your utilisation target"
    else:
        text += ", as you fixed them"
    if d.redundancy:
        text += ", one spare (N+1)"
    return text + f", {PURCHASE_WORDS[d.purchase]}"


def commitment_words(d: Deployment) -> str | None:
    """What the way of buying locks in, as a sentence; None on demand and spot."""
    if d.purchase == "owned":
        return (
            f"Owned: {d.gpus} GPUs bought for {money(d.commitment_total)} up front, "
            f"amortised over {d.commitment_months} months."
        )
    if d.commitment_months:
        return (
            f"{PURCHASE_WORDS[d.purchase].capitalize()}: locks in {d.commitment_months} months "
            f"of GPU time, {money(d.commitment_total)} in all."
        )
    return None


def deployment_note(inp: Inputs, d: Deployment, today: date) -> str:
    gpu = inp.catalog.gpus[d.gpu]
    gpu_hours = d.replica_hours_per_day * inp.days * d.gpus_per_replica
    price = f"{gpu_hours:,.0f} GPU-hours x {money_fine(d.gpu_hourly_price, 2)}"
    if d.purchase != "on_demand":
        price += f" ({d.purchase_note})"
    if inp.main.gpu_hourly is None or inp.main.gpu != d.gpu:
        price += f", price as of {dated(gpu.as_of, today, inp.catalog.meta.stale_after_days)}"
    overhead = inp.main.infra_overhead
    thr = d.throughput
    source = {"measured": "measured", "estimated": "estimated", "simple": "your figure"}[thr.mode]
    return (
        f"{deployment_words(d)}: hardware {money(d.hardware_monthly)} ({price}) + infra "
        f"{money(d.infra_monthly)} ({share(overhead)}) + ops {money(d.ops_monthly)} "
        f"({plural(d.ops_steps, 'step')}); throughput {source}: {thr.source}"
    )


def _self_host_note(inp: Inputs, e: Economics, today: date, trap: bool) -> str:
    s, be = e.self_host, e.break_even
    note = deployment_note(inp, s, today)
    if s.shortfall:
        note += (
            f"; capacity shortfall: {s.shortfall.tokens_per_month / 1e6:,.0f} M tokens/month "
            f"unserved, {money(s.shortfall.api_cost)} on the API; with friction: "
            f"{money(s.monthly_cost)} x {number(inp.policy.friction_multiplier)} + "
            f"{money(s.shortfall.api_cost)} on the API = {money(be.self_host_compared)}"
        )
    if trap:
        note += "; below the utilisation floor: the utilisation trap (see the rules)"
    return note


def build_options(
    inp: Inputs, e: Economics, v: Verdict, rules: tuple[RuleResult, ...], today: date
) -> tuple[Option, ...]:
    """The API, the same open model hosted (when a provider has it), full self-hosting, then
    each hybrid, in that order."""
    requests = inp.requests_per_day * inp.days
    tokens_1k = requests * (inp.input_tokens + inp.output_tokens) / 1000
    friction = inp.policy.friction_multiplier
    trap = any(r.id == "utilization-trap" and r.fired for r in rules)

    def per(x: float, count: float) -> float:
        return x / count if count > 0 else 0.0

    chosen = {"api": "api", "self_host": v.pattern or "self_host", "hybrid": v.pattern}[v.verdict]
    options = [
        Option(
            id="api",
            group="api",
            label=LABELS["api"],
            monthly_cost=e.api.monthly_cost,
            with_friction=e.api.monthly_cost,
            per_request=e.api.cost_per_request,
            per_1k_tokens=e.api.cost_per_1k_tokens,
            deployment=None,
            applicable=True,
            chosen=chosen == "api" and v.api_route == "closed",
            note=api_note(inp, e.api.bill, today, e.api.monthly_spend),
            terms=inp.api,
        ),
    ]
    if e.hosted is not None:
        hosted = e.hosted
        options.append(
            Option(
                id="hosted_open",
                group="api",
                label=LABELS["hosted_open"],
                monthly_cost=hosted.cost.monthly_cost,
                with_friction=hosted.cost.monthly_cost,
                per_request=hosted.cost.cost_per_request,
                per_1k_tokens=hosted.cost.cost_per_1k_tokens,
                deployment=None,
                applicable=hosted.excluded is None,
                chosen=chosen == "api" and v.api_route == "hosted_open",
                note=hosted_note(inp, hosted.cost.terms, hosted.cost.bill, hosted.excluded, today),
                terms=hosted.cost.terms,
            )
        )
    options.append(
        Option(
            id="self_host",
            group="self_hosted",
            label=LABELS["self_host"],
            monthly_cost=e.self_host.monthly_cost,
            with_friction=e.break_even.self_host_compared,
            per_request=per(e.self_host.monthly_cost, requests),
            per_1k_tokens=e.self_host.cost_per_1k_tokens,
            deployment=e.self_host,
            applicable=True,
            chosen=chosen == "self_host",
            note=_self_host_note(inp, e, today, trap),
        )
    )
    for h in sorted(e.hybrids, key=lambda h: ORDER.index(h.pattern)):
        options.append(
            Option(
                id=h.pattern,
                group=GROUP_OF[h.pattern],
                label=LABELS[h.pattern],
                monthly_cost=h.monthly_cost,
                with_friction=h.compared_cost(friction),
                per_request=per(h.monthly_cost, requests),
                per_1k_tokens=per(h.monthly_cost, tokens_1k),
                deployment=h.deployment,
                applicable=h.applicable,
                chosen=chosen == h.pattern,
                note=f"{h.note}; {deployment_words(h.deployment)}"
                + ("" if h.applicable else "; does not apply to these answers"),
            )
        )
    return tuple(options)
