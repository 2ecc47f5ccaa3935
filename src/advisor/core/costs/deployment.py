"""A self-hosted deployment: sizing, total cost of ownership, utilisation, shortfall."""

from __future__ import annotations

import math
from typing import NamedTuple

from advisor.core.costs import throughput as tp
from advisor.core.costs.inputs import DeploymentInputs, Inputs
from advisor.core.costs.memory import MemoryFit, fit_memory

SECONDS_PER_DAY = 86_400.0


class Shortfall(NamedTuple):
    tokens_per_month: float
    api_cost: float


class Deployment(NamedTuple):
    model: str
    gpu: str
    precision: str
    gpus_per_replica: int
    replicas: int
    gpus: int
    sizing: str  # "fixed" | "peak" | "utilization" | "average"
    gpu_hourly_price: float
    hardware_monthly: float
    infra_monthly: float
    ops_steps: int
    ops_monthly: float
    monthly_cost: float
    average_busy: float  # replicas' worth of busy time at average load
    peak_busy: float
    utilization: float
    capacity_tokens_per_month: float  # at full load, all replicas
    load_tokens_per_month: float
    cost_per_1k_tokens: float | None
    cost_per_1k_tokens_full_load: float | None
    shortfall: Shortfall | None
    memory: MemoryFit
    throughput: tp.Throughput
    warnings: tuple[str, ...]

    @property
    def compared_cost(self) -> float:
        """Monthly cost plus the API cost of unserved tokens (without friction)."""
        return self.monthly_cost + (self.shortfall.api_cost if self.shortfall else 0.0)


def ceil_units(x: float) -> int:
    """Whole replicas for x replicas' worth of load (tolerant of float noise)."""
    return max(1, math.ceil(x - 1e-9))


def ops_steps(gpus: int, gpus_per_step: int) -> int:
    return max(1, math.ceil(gpus / gpus_per_step))


Shape = tuple[MemoryFit, tp.Throughput]


def replica_shape(d: DeploymentInputs, inp: Inputs) -> Shape:
    """GPUs per replica (memory fit) and what one replica serves."""
    catalog = inp.catalog
    context = inp.input_tokens + inp.output_tokens
    fit = fit_memory(
        d,
        context,
        lambda g: tp.batch_for(d, catalog, g),
        inp.policy.memory_fraction,
        simple_mode=d.throughput is not None,
    )
    if d.throughput is not None:
        return fit, tp.simple(d.throughput * d.throughput_scale)
    return fit, tp.batched(d, catalog, fit.gpus, fit.concurrency)


def deploy(
    d: DeploymentInputs,
    inp: Inputs,
    share: float = 1.0,
    *,
    size_for: str = "peak",
    use_fixed: bool = True,
    shape: Shape | None = None,
) -> Deployment:
    """Price a deployment of `d` serving `share` of the requests.

    size_for "peak": replicas for peak load within headroom (or the utilisation target);
    "average": replicas for the average load within headroom (the volume hybrid's baseline).
    """
    fit, thr = shape or replica_shape(d, inp)
    policy = inp.policy
    rpd = inp.requests_per_day * share
    in_rate = rpd * inp.input_tokens / SECONDS_PER_DAY
    out_rate = rpd * inp.output_tokens / SECONDS_PER_DAY
    average = thr.busy(in_rate, out_rate)
    peak = average * inp.peak_to_average
    if use_fixed and d.replicas is not None:
        replicas, sizing = d.replicas, "fixed"
    elif size_for == "average":
        replicas, sizing = ceil_units(average / policy.headroom), "average"
    elif d.utilization is not None:
        replicas, sizing = ceil_units(average / d.utilization), "utilization"
    else:
        replicas, sizing = ceil_units(peak / policy.headroom), "peak"
    gpus = replicas * fit.gpus
    hours = 24.0 * inp.days
    hardware = gpus * d.gpu_hourly * hours
    infra = d.infra_overhead * hardware
    steps = ops_steps(gpus, policy.gpus_per_ops_step)
    ops = d.ops_monthly * steps
    monthly = hardware + infra + ops

    seconds = SECONDS_PER_DAY * inp.days
    tokens = inp.input_tokens + inp.output_tokens
    in_share = inp.input_tokens / tokens if tokens else 0.0
    capacity = replicas * thr.tokens_per_s(in_share) * seconds
    load = rpd * tokens * inp.days
    # A given utilisation is the user's figure, and DESIGN.md reports it as given.
    utilization = d.utilization if d.utilization is not None else min(1.0, average / replicas)
    warnings = [fit.warning] if fit.warning else []
    shortfall = None
    if load > capacity * (1 + 1e-9):
        unserved = load - capacity
        api_per_token = (
            (inp.input_tokens * inp.api_in_price + inp.output_tokens * inp.api_out_price)
            / 1e6
            / tokens
        )
        shortfall = Shortfall(unserved, unserved * api_per_token)
        warnings.append(
            f"capacity shortfall: {replicas} replica(s) serve {capacity / 1e6:,.1f} M of the "
            f"{load / 1e6:,.1f} M tokens a month ({average:,.1f} replicas' worth of work); "
            f"the rest, {unserved / 1e6:,.1f} M tokens, would cost ${shortfall.api_cost:,.0f} "
            "on the API."
        )
    elif sizing == "fixed" and peak > replicas * policy.headroom:
        warnings.append(
            f"at peak ({inp.peak_to_average:g}x average) the {replicas} fixed replica(s) run at "
            f"{peak / replicas:.0%} of capacity, past the {policy.headroom:.0%} headroom: "
            "expect queueing."
        )
    served = capacity * utilization
    full = capacity
    return Deployment(
        model=d.model_id,
        gpu=d.gpu_id,
        precision=d.precision,
        gpus_per_replica=fit.gpus,
        replicas=replicas,
        gpus=gpus,
        sizing=sizing,
        gpu_hourly_price=d.gpu_hourly,
        hardware_monthly=hardware,
        infra_monthly=infra,
        ops_steps=steps,
        ops_monthly=ops,
        monthly_cost=monthly,
        average_busy=average,
        peak_busy=peak,
        utilization=utilization,
        capacity_tokens_per_month=capacity,
        load_tokens_per_month=load,
        cost_per_1k_tokens=monthly / (served / 1000) if served > 0 else None,
        cost_per_1k_tokens_full_load=monthly / (full / 1000) if full > 0 else None,
        shortfall=shortfall,
        memory=fit,
        throughput=thr,
        warnings=tuple(warnings),
    )
