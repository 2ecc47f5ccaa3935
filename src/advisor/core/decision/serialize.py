"""The Decision as plain data: the JSON contract (DESIGN.md §4 and §6), contract_version 2.
Every version-1 key stays; version 2 adds `options`, `self_host.choice`,
`self_host.candidates`, `recommendation.api_route`, `horizon` and `uncertainty`; the API as
billed adds the cache and batch terms to `api`, and the API options (`api`, `hosted_open`)
carry their provider, model, prices, source and date."""

from __future__ import annotations

from typing import Any

from advisor.core.costs.billing import Bill, Terms
from advisor.core.costs.deployment import Deployment
from advisor.core.costs.inputs import Inputs
from advisor.core.decision.model import Decision, Option


def _date(d: Any) -> str | None:
    return d.isoformat() if d else None


def _deployment(d: Deployment, inp: Inputs) -> dict[str, Any]:
    thr, gpu = d.throughput, inp.catalog.gpus[d.gpu]
    own_price = inp.main.gpu_hourly is not None and inp.main.gpu == d.gpu
    return {
        "infra_overhead": inp.main.infra_overhead,
        "gpu_price_from_catalog": not own_price,
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
        "scaling": d.scaling,
        "purchase": d.purchase,
        "purchase_note": d.purchase_note,
        "commitment_months": d.commitment_months,
        "commitment_total": d.commitment_total,
        "redundancy_replicas": d.redundancy,
        "replica_hours_per_day": d.replica_hours_per_day,
        "utilization": d.utilization,
        "average_busy_replicas": d.average_busy,
        "peak_busy_replicas": d.peak_busy,
        "first_token_ms_at_peak": d.first_token_ms,
        "capacity_tokens_per_month": d.capacity_tokens_per_month,
        "load_tokens_per_month": d.load_tokens_per_month,
        "cost_per_1k_tokens": d.cost_per_1k_tokens,
        "cost_per_1k_tokens_full_load": d.cost_per_1k_tokens_full_load,
        "shortfall": None
        if d.shortfall is None
        else {"tokens_per_month": d.shortfall.tokens_per_month, "api_cost": d.shortfall.api_cost},
        "qualifies": d.qualifies,
        "reason": d.reason,
        "memory": {
            "weights_gb": d.memory.weights_gb,
            "kv_cache_per_request_gb": d.memory.kv_per_sequence_gb,
            "usable_gb": d.memory.usable_gb,
            "kv_room_gb": d.memory.room_gb,
            "requests_at_once": d.memory.sequences,
            "requests_needed": thr.sequences_needed,
        },
        "throughput": {
            "mode": thr.mode,
            "tokens_per_s": thr.aggregate,
            "prefill_tokens_per_s": thr.prefill,
            "decode_tokens_per_s": thr.decode,
            "decode_context_rate": thr.context_rate,
            "decode_cap_tokens_per_s": thr.decode_cap,
            "engine": thr.engine,
            "source": thr.source,
            "as_of": _date(thr.as_of),
            "notes": thr.notes,
        },
    }


def _terms(t: Terms) -> dict[str, Any]:
    return {
        "provider": t.provider,
        "name": t.name,
        "input_price_per_mtok": t.input,
        "output_price_per_mtok": t.output,
        "cached_input_price_per_mtok": t.cached,
        "batch_discount": t.batch_discount,
        "price_from_catalog": not t.own_prices,
        "source": t.source,
        "as_of": t.as_of.isoformat(),
    }


def _bill(b: Bill) -> dict[str, Any]:
    """The prices one request was billed at (a long-context tier's, if one applied)."""
    return {
        "input_price_per_mtok": b.input_price,
        "output_price_per_mtok": b.output_price,
        "cached_input_price_per_mtok": b.cached_price,
        "long_context_tier_above": None if b.tier is None else b.tier.above_input_tokens,
        "cost_per_request_before_batch": b.standard,
        "batch_saving": b.discount,
    }


def _option(o: Option, decision: Decision) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": o.id,
        "group": o.group,
        "label": o.label,
        "monthly_cost": o.monthly_cost,
        "with_friction": o.with_friction,
        "per_request": o.per_request,
        "per_1k_tokens": o.per_1k_tokens,
        "applicable": o.applicable,
        "chosen": o.chosen,
        "note": o.note,
        "deployment": None
        if o.deployment is None
        else {
            "gpu": o.deployment.gpu,
            "gpus_per_replica": o.deployment.gpus_per_replica,
            "precision": o.deployment.precision,
            "replicas": o.deployment.replicas,
            "scaling": o.deployment.scaling,
            "utilization": o.deployment.utilization,
        },
    }
    if o.terms is not None:
        hosted = o.id == "hosted_open"
        out |= _terms(o.terms)
        out["model"] = o.terms.open_model if hosted else o.terms.model_id
        out["api_model"] = o.terms.model_id
        h = decision.economics.hosted
        out["excluded"] = h.excluded if hosted and h is not None else None
    return out


def _horizon(decision: Decision) -> dict[str, Any] | None:
    h = decision.horizon
    if h is None:
        return None
    return {
        "months": h.months,
        "volume_growth_per_year": h.growth,
        "api_price_change_per_year": h.api_change,
        "migration_cost": h.migration_cost,
        "monthly": [
            {
                "month": m.month,
                "requests_per_day": m.requests_per_day,
                "api_price_factor": m.api_price_factor,
                "costs": m.costs,
                "with_friction": m.with_friction,
            }
            for m in h.monthly
        ],
        "cumulative": {k: list(v) for k, v in h.cumulative.items()},
        "break_even_month": h.break_even_month,
        "break_even_month_hosted": h.break_even_month_hosted,
        "commitment": h.commitment,
        "growth_flip": None if decision.growth is None else decision.growth._asdict(),
    }


def _risk(decision: Decision) -> dict[str, Any] | None:
    r = decision.risk
    if r is None:
        return None
    return {
        "draws": r.draws,
        "seed": r.seed,
        "ranges": [x._asdict() for x in r.ranges],
        "p_cheapest": r.p_cheapest,
        "p_group": r.p_group,
        "quantiles": {k: {"p10": q[0], "p50": q[1], "p90": q[2]} for k, q in r.quantiles.items()},
    }


def _self_host(decision: Decision) -> dict[str, Any]:
    inp, choice = decision.inputs, decision.choice
    d = choice.deployment
    out = _deployment(d, inp)
    out["choice"] = {
        "gpu": d.gpu,
        "gpus_per_replica": d.gpus_per_replica,
        "precision": d.precision,
        "replicas": d.replicas,
        "scaling": d.scaling,
        "purchase": d.purchase,
        "redundancy": "n_plus_1" if d.redundancy else "none",
        "pinned": choice.pinned,
        "qualifies": d.qualifies,
    }
    out["candidates"] = [c._asdict() for c in choice.candidates]
    out["configurations_too_small"] = choice.too_small
    return out


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
            "api_route": v.api_route,
            "confidence": v.confidence,
            "confidence_score": round(v.confidence_score, 4),
            "confidence_basis": v.confidence_basis,
            "api_fallback": v.api_fallback,
            "fallback_reason": v.fallback_reason,
            "fallback": v.fallback,
            "headline": v.headline,
            "short_headline": v.short,
            "decided_by": v.decided_by,
            "fixed_by": v.fixed_by,
            "scores": v.scores,
            "summary": v.summary,
            "reasons": list(v.reasons),
            "caveats": list(v.caveats),
            "conflicts": list(v.conflicts),
            "next_steps": list(v.next_steps),
            "conditions": list(v.conditions),
        },
        "workload": decision.workload._asdict(),
        "api": {
            "model": e.api.model,
            "name": inp.api.name,
            "provider": inp.api.provider,
            "retired": _date(api_entry.retired)
            if not isinstance(api_entry.retired, bool)
            else api_entry.retired,
            "successor": api_entry.successor,
            "price_source": api_entry.source,
            "price_as_of": api_entry.as_of.isoformat(),
            "price_from_catalog": not inp.api.own_prices,
            "input_price_per_mtok": e.api.input_price_per_mtok,
            "output_price_per_mtok": e.api.output_price_per_mtok,
            "cached_input_price_per_mtok": inp.api.cached,
            "batch_discount": inp.api.batch_discount,
            "cached_input_share": inp.cached_share,
            "batch_share": inp.batch_share,
            "billed": _bill(e.api.bill),
            "cost_per_request": e.api.cost_per_request,
            "monthly_cost": e.api.monthly_cost,
            "monthly_spend": e.api.monthly_spend,
            "cost_per_1k_tokens": e.api.cost_per_1k_tokens,
        },
        "self_host": _self_host(decision),
        "options": [_option(o, decision) for o in decision.options],
        "break_even": {
            "self_host_wins": be.self_host_wins,
            "friction_multiplier": friction,
            "api_monthly": be.api_monthly,
            "self_host_compared": be.self_host_compared,
            "requests_per_day": be.requests_per_day,
            "api_monthly_at_break_even": be.api_monthly_at_break_even,
            "hosted_open_requests_per_day": be.hosted_requests_per_day,
            "note": be.note,
            "curve": [c._asdict() for c in decision.curve],
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
                    "precision": h.deployment.precision,
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
                "effect": r.effect._asdict(),
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
        ]
        + [
            {
                "assumption": c.lever,
                "label": c.label,
                "kind": "choice",
                "baseline": c.current,
                "pinned": c.pinned,
                "flips": c.flips,
                "flip_value": c.alternative,
                "flip_to": c.flip_to,
                "deployment": c.deployment,
                "fixed_by": c.fixed_by,
            }
            for c in decision.choices
        ],
        "assumptions": [
            {
                "name": a.name,
                "label": a.label,
                "value": a.value,
                "shown": a.shown,
                "origin": a.origin,
                "source": a.source,
                "as_of": _date(a.as_of),
            }
            for a in decision.assumptions
        ],
        "horizon": _horizon(decision),
        "uncertainty": _risk(decision),
        "warnings": list(decision.warnings),
    }
