"""The cost comparison as rows of text, each figure annotated with the rule or assumption
behind it. Built from the decision's JSON form, so the text report, the Markdown memo and the
TUI show the same rows."""

from __future__ import annotations

from typing import Any, NamedTuple

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


def _fired(data: dict[str, Any], rule_id: str) -> bool:
    return any(r["id"] == rule_id and r["fired"] for r in data["rules"])


def dated(data: dict[str, Any], as_of: str) -> str:
    """An as-of date, marked stale (with its age) when older than the catalog's limit."""
    from datetime import date

    age = (date.fromisoformat(data["today"]) - date.fromisoformat(as_of)).days
    limit = data.get("prices_stale_after_days")
    return f"{as_of} (stale: {age} days old)" if limit is not None and age > limit else as_of


def cost_rows(data: dict[str, Any]) -> list[CostRow]:
    """Rows for API, full self-hosting and each hybrid, from `serialize.to_dict`."""
    api, s, rec = data["api"], data["self_host"], data["recommendation"]
    requests = data["workload"]["requests_per_month"]
    tokens_1k = requests * (data["workload"]["input_tokens"] + data["workload"]["output_tokens"])
    tokens_1k /= 1000
    api_note = (
        f"{api['model']}: {money_fine(api['input_price_per_mtok'], 2)} in / "
        f"{money_fine(api['output_price_per_mtok'], 2)} out per M tokens"
    )
    if api["price_from_catalog"]:
        api_note += f", price as of {dated(data, api['price_as_of'])}"
    else:
        api_note += " (your prices)"
    if api["monthly_spend"] is not None:
        api_note += f"; bill actually paid {money(api['monthly_spend'])}"
    rows = [
        CostRow(
            "API",
            money(api["monthly_cost"]),
            money(api["monthly_cost"]),
            money_fine(api["cost_per_request"]),
            money_fine(api["cost_per_1k_tokens"]),
            "-",
            "-",
            api_note,
            rec["verdict"] == "api",
            True,
        )
    ]
    steps = s["ops_steps"]
    gpu_dated = f", price as of {dated(data, s['gpu_price_as_of'])}"
    sh_note = (
        f"hardware {money(s['hardware_monthly'])} ({s['gpus']} x "
        f"{money_fine(s['gpu_hourly_price'], 2)}/h"
        + (gpu_dated if s["gpu_price_from_catalog"] else "")
        + f") + infra {money(s['infra_monthly'])} "
        f"({s['infra_overhead']:.0%}) + ops {money(s['ops_monthly'])} "
        f"({steps} step{'s' if steps > 1 else ''}); sized for {s['sizing']} load; "
        f"throughput: {s['throughput']['source']}"
    )
    if s["shortfall"]:
        be = data["break_even"]
        sh_note += (
            f"; shortfall: {s['shortfall']['tokens_per_month'] / 1e6:,.0f} M tokens/month "
            f"unserved, {money(s['shortfall']['api_cost'])} on the API [capacity]; "
            f"x friction: {money(s['monthly_cost'])} x {be['friction_multiplier']:g} + "
            f"{money(s['shortfall']['api_cost'])} on the API = {money(be['self_host_compared'])}"
        )
    if _fired(data, "utilization-trap"):
        sh_note += " [utilization-trap]"
    rows.append(
        CostRow(
            "Self-hosted",
            money(s["monthly_cost"]),
            money(data["break_even"]["self_host_compared"]),
            money_fine(s["monthly_cost"] / requests),
            money_fine(s["cost_per_1k_tokens"]),
            f"{s['replicas']}x{s['gpus_per_replica']} {s['gpu']}",
            share(s["utilization"]),
            sh_note,
            rec["verdict"] == "self_host",
            True,
        )
    )
    for h in data["hybrids"]:
        d = h["deployment"]
        rows.append(
            CostRow(
                f"Hybrid: {h['pattern']}",
                money(h["monthly_cost"]),
                money(h["compared_cost"]),
                money_fine(h["monthly_cost"] / requests),
                money_fine(h["monthly_cost"] / tokens_1k),
                f"{d['replicas']}x{d['gpus_per_replica']} {d['gpu']}",
                share(d["utilization"]),
                h["note"] + ("" if h["applicable"] else " [not applicable]"),
                rec["verdict"] == "hybrid" and rec["pattern"] == h["pattern"],
                h["applicable"],
            )
        )
    return rows
