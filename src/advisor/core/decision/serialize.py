"""The Decision as plain data: the JSON contract (DESIGN.md section 4), contract_version 1."""

from __future__ import annotations

from typing import Any

from advisor.core.costs.deployment import Deployment
from advisor.core.costs.inputs import Inputs
from advisor.core.decision.model import Decision


def _deployment(d: Deployment, inp: Inputs) -> dict[str, Any]:
    thr = d.throughput
    gpu = inp.main.gpu
    return {
        "infra_overhead": inp.main.infra_overhead,
        "gpu_price_from_catalog": inp.main.gpu_hourly == gpu.hourly_price,
        "gpu_price_source": gpu.source,
        "gpu_price_as_of": gpu.as_of.isoformat(),
        "model": d.model,
        "gpu": d.gpu,
        "precision": d.precision,
        "monthly_cost": d.monthly_cost,
        "hardware_monthly": d.hardware_monthly,
        "infra_monthly": d.infra_monthly,
        "ops_monthly": d.ops_monthly,
        "ops_steps": d.ops_steps,
        "gpu_hourly_price": d.gpu_hourly_price,
        "replicas": d.replicas,
        "gpus_per_replica": d.gpus_per_replica,
        "gpus": d.gpus,
        "sizing": d.sizing,
        "utilization": d.utilization,
        "average_busy_replicas": d.average_busy,
        "peak_busy_replicas": d.peak_busy,
        "capacity_tokens_per_month": d.capacity_tokens_per_month,
        "load_tokens_per_month": d.load_tokens_per_month,
        "cost_per_1k_tokens": d.cost_per_1k_tokens,
        "cost_per_1k_tokens_full_load": d.cost_per_1k_tokens_full_load,
        "shortfall": None
        if d.shortfall is None
        else {
            "tokens_per_month": d.shortfall.tokens_per_month,
            "api_cost": d.shortfall.api_cost,
        },
        "memory": {
            "weights_gb": d.memory.weights_gb,
            "kv_cache_per_request_gb": d.memory.kv_per_sequence_gb,
            "usable_gb": d.memory.usable_gb,
            "batch_size": d.memory.batch_size,
            "concurrency": d.memory.concurrency,
            "smallest_fit_gpus": d.memory.smallest_fit,
        },
        "throughput": {
            "mode": thr.mode,
            "tokens_per_s": thr.aggregate_tokens_per_s,
            "prefill_tokens_per_s": thr.prefill_tokens_per_s,
            "decode_tokens_per_s": thr.decode_tokens_per_s,
            "batch_size": thr.batch_size,
            "source": thr.source,
            "as_of": thr.as_of.isoformat() if thr.as_of else None,
            "notes": thr.notes,
        },
    }


def to_dict(decision: Decision) -> dict[str, Any]:
    """The JSON contract: plain data made from the typed Decision, for `--format json`."""
    e, v, inp = decision.economics, decision.recommendation, decision.inputs
    friction = inp.policy.friction_multiplier
    api_entry = inp.catalog.api_models[inp.api_model_id]
    be = e.break_even
    return {
        "advisor_version": decision.advisor_version,
        "contract_version": decision.contract_version,
        "profile": {"name": decision.profile_name, "notes": decision.notes},
        "today": decision.today.isoformat(),
        "prices_stale_after_days": decision.stale_after_days,
        "recommendation": {
            "verdict": v.verdict,
            "pattern": v.pattern,
            "confidence": v.confidence,
            "confidence_score": round(v.confidence_score, 4),
            "api_fallback": v.api_fallback,
            "decided_by": v.decided_by,
            "fixed_by": v.fixed_by,
            "scores": v.scores,
            "summary": v.summary,
            "reasons": list(v.reasons),
            "caveats": list(v.caveats),
            "conflicts": list(v.conflicts),
            "next_steps": list(v.next_steps),
        },
        "workload": decision.workload._asdict(),
        "api": {
            "model": e.api.model,
            "price_source": api_entry.source,
            "price_as_of": api_entry.as_of.isoformat(),
            "price_from_catalog": api_entry.input_per_mtok == e.api.input_price_per_mtok
            and api_entry.output_per_mtok == e.api.output_price_per_mtok,
            "input_price_per_mtok": e.api.input_price_per_mtok,
            "output_price_per_mtok": e.api.output_price_per_mtok,
            "cost_per_request": e.api.cost_per_request,
            "monthly_cost": e.api.monthly_cost,
            "monthly_spend": e.api.monthly_spend,
            "cost_per_1k_tokens": e.api.cost_per_1k_tokens,
        },
        "self_host": _deployment(e.self_host, inp),
        "break_even": {
            "self_host_wins": be.self_host_wins,
            "friction_multiplier": friction,
            "api_monthly": be.api_monthly,
            "self_host_compared": be.self_host_compared,
            "requests_per_day": be.requests_per_day,
            "api_monthly_at_break_even": be.api_monthly_at_break_even,
            "note": be.note,
            "curve": [
                {
                    "requests_per_day": c.requests_per_day,
                    "api_monthly": c.api_monthly,
                    "self_host_monthly": c.self_host_monthly,
                    "self_host_compared": c.self_host_compared,
                }
                for c in decision.curve
            ],
        },
        "hybrids": [
            {
                "pattern": h.pattern,
                "monthly_cost": h.monthly_cost,
                "api_part": h.api_part,
                "self_host_part": h.self_host_part,
                "compared_cost": h.compared_cost(friction),
                "applicable": h.applicable,
                "self_host_share": h.self_host_share,
                "note": h.note,
                "deployment": {
                    "model": h.deployment.model,
                    "gpu": h.deployment.gpu,
                    "replicas": h.deployment.replicas,
                    "gpus": h.deployment.gpus,
                    "gpus_per_replica": h.deployment.gpus_per_replica,
                    "utilization": h.deployment.utilization,
                },
            }
            for h in e.hybrids
        ],
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "fired": r.fired,
                "effect": {
                    "kind": r.effect.kind,
                    "toward": r.effect.toward,
                    "weight": r.effect.weight,
                },
                "explanation": r.explanation,
                "source": r.source,
                "facts": r.facts,
            }
            for r in decision.rules
        ],
        "sensitivity": [
            {
                "assumption": f.assumption,
                "label": f.label,
                "baseline": f.baseline,
                "unit": f.unit,
                "low": f.low,
                "high": f.high,
                "flips": f.flips,
                "flip_value": f.flip_value,
                "flip_to": f.flip_to,
                "swing": f.swing,
                "fixed_by": f.fixed_by,
            }
            for f in decision.sensitivity
        ],
        "assumptions": [
            {
                "name": a.name,
                "value": a.value,
                "origin": a.origin,
                "source": a.source,
                "as_of": a.as_of.isoformat() if a.as_of else None,
            }
            for a in decision.assumptions
        ],
        "warnings": list(decision.warnings),
    }
