"""Resolve a profile against the catalog and policy defaults into plain numbers.

Everything downstream (costs, rules, sensitivity) works on these named tuples, so a
what-if is a `_replace`, with no validation or lookups on the hot path. (Named tuples, not
frozen dataclasses: they are immutable too and build ten times faster at import.)
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from advisor.core import paths
from advisor.core.catalog.model import Catalog, Gpu, OpenModel, PrecisionSpec
from advisor.core.errors import InputError

if TYPE_CHECKING:  # the profile model is pydantic: a decision's types must not need it
    from advisor.core.profile.model import Profile


class Policy(NamedTuple):
    friction_multiplier: float
    small_spend: float
    large_spend: float
    significant_share: float
    utilization_floor: float
    latency_ms: float
    headroom: float
    extreme_multiple: float
    gpus_per_ops_step: int
    memory_fraction: float
    weight_strong: float
    weight_normal: float
    weight_break_even: float
    weight_break_even_margin: float


class DeploymentInputs(NamedTuple):
    """One self-hosted model on one GPU type: what a replica is and what it costs."""

    model_id: str
    model: OpenModel
    gpu_id: str
    gpu: Gpu
    precision: str
    spec: PrecisionSpec
    gpu_hourly: float
    infra_overhead: float
    ops_monthly: float
    gpus: int | None = None  # per replica; None: smallest that fits
    replicas: int | None = None  # fixed; None: size for the load
    throughput: float | None = None  # simple mode: aggregate tokens/s per replica
    utilization: float | None = None  # target average utilisation
    throughput_scale: float = 1.0  # what-if multiplier on preset throughput


class Inputs(NamedTuple):
    requests_per_day: float
    input_tokens: float
    output_tokens: float
    output_measured: bool
    days: float
    simple_share: float
    sensitive_share: float
    api_model_id: str
    api_in_price: float
    api_out_price: float
    monthly_spend: float | None
    variability: str
    peak_to_average: float
    growth_phase: bool
    p95_ms: float
    critical_share: float
    sovereignty: str
    compliance_ok: bool
    air_gapped: bool
    expertise: str
    frontier: bool
    fine_tuned: bool
    rapid_iteration: bool
    multi_model: bool
    main: DeploymentInputs
    small: DeploymentInputs
    policy: Policy
    catalog: Catalog


@cache
def bundled_policy() -> dict[str, object]:
    import tomllib

    return tomllib.loads(paths.read_bundled("policy.toml"))


def resolve_policy(profile: Profile) -> Policy:
    """Bundled defaults overlaid with the profile's [policy]; contradictions are refused."""
    defaults = bundled_policy()
    given = profile.policy.model_dump(exclude_none=True)
    weights = {**defaults["weights"], **given.pop("weights", {})}  # type: ignore[dict-item]
    merged = {k: v for k, v in defaults.items() if k != "weights"} | given
    if float(merged["small_spend"]) > float(merged["large_spend"]):  # type: ignore[arg-type]
        raise InputError(
            "profile",
            f"small_spend ({merged['small_spend']}) is above large_spend "
            f"({merged['large_spend']}): the spend bands would overlap.",
            field="policy.small_spend",
            allowed="small_spend at most large_spend",
        )
    return Policy(
        **{k: float(v) for k, v in merged.items() if k != "gpus_per_ops_step"},  # type: ignore[arg-type]
        gpus_per_ops_step=int(merged["gpus_per_ops_step"]),  # type: ignore[call-overload]
        weight_strong=float(weights["strong"]),
        weight_normal=float(weights["normal"]),
        weight_break_even=float(weights["break_even"]),
        weight_break_even_margin=float(weights["break_even_margin"]),
    )


def resolve(profile: Profile, catalog: Catalog) -> Inputs:
    """Profile + catalog + policy defaults -> Inputs. Raises InputError on unknown ids."""
    d = catalog.defaults
    w, a, sh = profile.workload, profile.api, profile.self_host
    if w.input_tokens + w.output_tokens == 0:
        raise InputError(
            "profile",
            "input_tokens and output_tokens cannot both be 0.",
            field="workload.output_tokens",
            allowed="at least one token per request",
        )
    api_model_id = a.model or d.api_model
    api_model = catalog.api_model(api_model_id)
    model_id = sh.model or d.self_host_model
    gpu_id = sh.gpu or d.gpu
    precision = sh.precision or d.precision
    gpu = catalog.gpu(gpu_id)
    main = DeploymentInputs(
        model_id=model_id,
        model=catalog.open_model(model_id),
        gpu_id=gpu_id,
        gpu=gpu,
        precision=precision,
        spec=catalog.precision(precision),
        gpu_hourly=sh.gpu_hourly_price if sh.gpu_hourly_price is not None else gpu.hourly_price,
        infra_overhead=sh.infra_overhead if sh.infra_overhead is not None else d.infra_overhead,
        ops_monthly=sh.ops_monthly_cost if sh.ops_monthly_cost is not None else d.ops_monthly_cost,
        gpus=sh.gpus,
        replicas=sh.replicas,
        throughput=sh.throughput_tokens_per_s,
        utilization=sh.utilization,
    )
    small_gpu = catalog.gpu(d.small_gpu, "catalog defaults.small_gpu")
    small = DeploymentInputs(
        model_id=d.small_model,
        model=catalog.open_model(d.small_model, "catalog defaults.small_model"),
        gpu_id=d.small_gpu,
        gpu=small_gpu,
        precision=d.small_precision,
        spec=catalog.precision(d.small_precision, "catalog defaults.small_precision"),
        gpu_hourly=small_gpu.hourly_price,
        infra_overhead=main.infra_overhead,
        ops_monthly=main.ops_monthly,
        gpus=1,
        utilization=sh.utilization,
    )
    t = profile.traffic
    p2a = t.peak_to_average
    if p2a is None:
        p2a = d.peak_to_average[t.variability]
    return Inputs(
        requests_per_day=float(w.requests_per_day),
        input_tokens=float(w.input_tokens),
        output_tokens=float(w.output_tokens),
        output_measured=w.output_tokens_measured,
        days=float(w.days_per_month),
        simple_share=w.simple_task_share,
        sensitive_share=w.sensitive_share,
        api_model_id=api_model_id,
        api_in_price=a.input_price_per_mtok
        if a.input_price_per_mtok is not None
        else api_model.input_per_mtok,
        api_out_price=a.output_price_per_mtok
        if a.output_price_per_mtok is not None
        else api_model.output_per_mtok,
        monthly_spend=a.monthly_spend,
        variability=t.variability,
        peak_to_average=float(p2a),
        growth_phase=t.growth_phase,
        p95_ms=profile.latency.p95_target_ms,
        critical_share=profile.latency.critical_share,
        sovereignty=profile.data.sovereignty,
        compliance_ok=profile.data.api_compliance_ok,
        air_gapped=profile.data.air_gapped,
        expertise=profile.team.ml_expertise,
        frontier=profile.needs.frontier_capability,
        fine_tuned=profile.needs.fine_tuned_model,
        rapid_iteration=profile.needs.rapid_iteration,
        multi_model=profile.needs.multi_model,
        main=main,
        small=small,
        policy=resolve_policy(profile),
        catalog=catalog,
    )
