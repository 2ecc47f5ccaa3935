"""A self-hosted deployment of one replica shape: sizing, total cost of ownership,
utilisation, shortfall (DESIGN.md §2 and §6 "Scaling, redundancy, purchase").

Sizing: `fixed` pays for enough replicas for the peak (peak-to-average x the sub-hour burst)
all month; `autoscale` pays, hour by hour of a typical day, for the replicas that hour needs
(the measured hourly curve, or a two-level day whose peak hours run at peak-to-average x the
mean); never fewer than `min_replicas`; N+1 redundancy adds one replica. A replica runs at
most `busy_max` busy at peak (the headroom, or less to keep time to first token in target).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from advisor.core.costs import throughput as tp
from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.memory import Memory
from advisor.core.costs.purchase import Rate, rate
from advisor.core.costs.shapes import Shape
from advisor.core.fmt import number
from advisor.core.fmt import share as percent

SECONDS_PER_DAY = 86_400.0


class Shortfall(NamedTuple):
    tokens_per_month: float
    api_cost: float


class Deployment(NamedTuple):
    model: str
    gpu: str
    precision: str
    gpus_per_replica: int
    replicas: int  # at the busiest hour (all month when fixed), redundancy included
    gpus: int  # at the busiest hour
    scaling: str  # "fixed" | "autoscale"
    sizing: str  # "peak" | "autoscale" | "average" | "utilization" | "fixed"
    redundancy: int  # spare replicas (1 for N+1)
    gpu_hourly_price: float
    replica_hours_per_day: float
    hardware_monthly: float
    infra_monthly: float
    ops_steps: int
    ops_monthly: float
    monthly_cost: float
    average_busy: float  # replicas' worth of busy time at average load
    peak_busy: float
    utilization: float  # served work / paid replica time (or the target given)
    capacity_tokens_per_month: float  # at full load, every replica-hour paid for
    load_tokens_per_month: float
    cost_per_1k_tokens: float | None
    cost_per_1k_tokens_full_load: float | None
    shortfall: Shortfall | None
    memory: Memory
    throughput: tp.Throughput
    first_token_ms: float  # estimated p95 time to first token at the busiest hour
    qualifies: bool
    reason: str | None  # why it does not qualify
    warnings: tuple[str, ...]
    purchase: str = "on_demand"  # how the GPU time is bought
    purchase_note: str = ""  # how its rate is made
    commitment_months: int = 0  # reserved: the term; owned: the amortisation; else 0
    commitment_total: float = 0.0  # $ locked in: the reservation's GPU bill, or the hardware

    @property
    def compared_cost(self) -> float:
        """Monthly cost plus the API cost of unserved tokens (without friction)."""
        return self.monthly_cost + (self.shortfall.api_cost if self.shortfall else 0.0)


def ceil_units(x: float) -> int:
    """Whole replicas for x replicas' worth of load (tolerant of float noise)."""
    return max(1, math.ceil(x - 1e-9))


def ops_steps(gpus: int, gpus_per_step: int) -> int:
    return max(1, math.ceil(gpus / gpus_per_step))


def day_shape(inp: Inputs) -> tuple[float, ...]:
    """24 hourly loads with mean 1: the measured curve, else a two-level day whose busiest
    hours run at peak-to-average x the mean for half the day's tokens."""
    if inp.hourly_load is not None:
        return inp.hourly_load
    return two_level_day(inp.peak_to_average)


_DAYS: dict[float, tuple[float, ...]] = {}


def _two_level(peak_to_average: float) -> tuple[float, float, int, float]:
    """(peak, base, whole peak hours, the hour between): the busiest hours run at
    peak-to-average x the mean for half the day's tokens."""
    p2a = max(1.0, peak_to_average)
    peak_hours = 12.0 / p2a  # half the tokens in the peak hours
    base = (24 - peak_hours * p2a) / (24 - peak_hours) if peak_hours < 24 else 1.0
    whole = int(peak_hours)
    part = peak_hours - whole
    return p2a, base, whole, part * p2a + (1 - part) * base


def two_level_day(peak_to_average: float) -> tuple[float, ...]:
    found = _DAYS.get(peak_to_average)
    if found is None:
        if len(_DAYS) > 4096:  # draws over peak-to-average would grow it without end
            _DAYS.clear()
        peak, base, whole, between = _two_level(peak_to_average)
        found = _DAYS[peak_to_average] = tuple([peak] * whole + [between] + [base] * (23 - whole))
    return found


Levels = tuple[tuple[float, int], ...]
_LEVELS: dict[object, Levels] = {}


def _counted(spans: list[tuple[float, int]]) -> Levels:
    counts: dict[float, int] = {}
    for level, hours in spans:
        if hours > 0:  # past 12x the mean no hour is all peak: that level never occurs
            counts[level] = counts.get(level, 0) + hours
    return tuple(sorted(counts.items()))


def levels(inp: Inputs) -> Levels:
    """The day's distinct hourly loads and how many hours each lasts (the two-level day has
    three), so autoscaling sizes each level once instead of each hour."""
    key: object = inp.hourly_load if inp.hourly_load is not None else inp.peak_to_average
    found = _LEVELS.get(key)
    if found is None:
        if len(_LEVELS) > 4096:  # each draw of the odds has its own day: keep it bounded
            _LEVELS.clear()
        if inp.hourly_load is not None:
            found = _counted([(level, 1) for level in inp.hourly_load])
        else:
            peak, base, whole, between = _two_level(inp.peak_to_average)
            found = _counted([(peak, whole), (between, 1), (base, 23 - whole)])
        _LEVELS[key] = found
    return found


def gpu_rate(mc: ModelChoice, inp: Inputs, s: Shape, purchase: str) -> Rate:
    """The effective price of one GPU-hour bought this way (on demand where it cannot be)."""
    found = rate(mc, inp, s, purchase)
    if found is None:
        found = rate(mc, inp, s, "on_demand")
        assert found is not None
    return found


class Plan(NamedTuple):
    """How many replicas, hour by hour, and what that costs: the cheap part of pricing."""

    replicas: int  # busiest hour
    replica_hours_per_day: float
    monthly: float
    sizing: str


def plan(
    mc: ModelChoice,
    inp: Inputs,
    s: Shape,
    average: float,
    scaling: str,
    size_for: str,
    extra: int,
    use_fixed: bool,
    hourly: float,
    ops_scale: float = 1.0,
) -> Plan:
    """Replicas for `average` replicas' worth of load, and the monthly cost (`ops_scale`: the
    ops cost's what-if multiplier, for the odds)."""
    busy = s.busy_max
    floor = mc.min_replicas
    if use_fixed and mc.replicas is not None:
        replicas, hours, sizing = mc.replicas, 24.0 * mc.replicas, "fixed"
    elif size_for == "average":
        replicas = max(floor, ceil_units(average / busy)) + extra
        hours, sizing = 24.0 * replicas, "average"
    elif mc.utilization is not None:
        replicas = max(floor, ceil_units(average / mc.utilization)) + extra
        hours, sizing = 24.0 * replicas, "utilization"
    elif scaling == "autoscale":
        load = average * inp.burst / busy
        replicas, hours = 0, 0.0
        for level, count in levels(inp):
            n = max(floor, math.ceil(load * level - 1e-9), 1) + extra
            replicas, hours = max(replicas, n), hours + n * count
        sizing = "autoscale"
    else:
        peak = average * inp.peak_to_average * inp.burst
        replicas = max(floor, ceil_units(peak / busy)) + extra
        hours, sizing = 24.0 * replicas, "peak"
    hardware = hours * inp.days * s.gpus * hourly
    ops = mc.ops_monthly * ops_scale * ops_steps(replicas * s.gpus, inp.policy.gpus_per_ops_step)
    return Plan(replicas, hours, hardware * (1 + mc.infra_overhead) + ops, sizing)


def average_busy(inp: Inputs, s: Shape, share: float) -> float:
    """Replicas' worth of busy time at the average load of `share` of the requests."""
    return busy(inp.requests_per_day, share, s.request_seconds)


def busy(requests_per_day: float, share: float, request_seconds: float) -> float:
    """Replicas' worth of busy time: `share` of the requests, each keeping a replica busy for
    `request_seconds`."""
    return requests_per_day * share * request_seconds / SECONDS_PER_DAY


class Cost(NamedTuple):
    """The figures of one shape's bill for a load: what `price` and the horizon's month by
    month share, computed once, in one place."""

    plan: Plan
    average: float
    hardware: float
    infra: float
    steps: int
    ops: float
    monthly: float
    paid: float  # replicas' worth paid, on average
    full: float  # tokens a month the paid replicas can serve
    load: float  # tokens a month asked for
    unserved: float  # tokens a month past capacity (0 when there are none)
    shortfall_cost: float  # what the unserved tokens would cost on the API


def cost(
    mc: ModelChoice,
    inp: Inputs,
    s: Shape,
    share: float,
    scaling: str,
    price_h: float,
    *,
    size_for: str = "peak",
    extra: int = 0,
    use_fixed: bool = True,
) -> Cost:
    """The monthly bill of one shape serving `share` of the requests at `price_h` a GPU-hour."""
    average = average_busy(inp, s, share)
    p = plan(mc, inp, s, average, scaling, size_for, extra, use_fixed, price_h)
    hardware = p.replica_hours_per_day * inp.days * s.gpus * price_h
    infra = mc.infra_overhead * hardware
    steps = ops_steps(p.replicas * s.gpus, inp.policy.gpus_per_ops_step)
    ops = mc.ops_monthly * steps
    paid = p.replica_hours_per_day / 24.0
    full = paid * s.throughput.tokens_per_s(inp.input_tokens, inp.output_tokens)
    full *= SECONDS_PER_DAY * inp.days
    tokens = inp.context_tokens
    load = inp.requests_per_day * share * tokens * inp.days
    unserved = load - full if load > full * (1 + 1e-9) else 0.0
    shortfall = unserved * inp.route_request_cost / tokens if unserved else 0.0
    monthly = hardware + infra + ops
    return Cost(
        p, average, hardware, infra, steps, ops, monthly, paid, full, load, unserved, shortfall
    )


def price(
    mc: ModelChoice,
    inp: Inputs,
    s: Shape,
    share: float,
    scaling: str,
    *,
    size_for: str = "peak",
    extra: int = 0,
    use_fixed: bool = True,
    purchase: str = "on_demand",
) -> Deployment:
    """The full figures of one shape serving `share` of the requests."""
    bought = gpu_rate(mc, inp, s, purchase)
    price_h = bought.hourly
    c = cost(
        mc, inp, s, share, scaling, price_h, size_for=size_for, extra=extra, use_fixed=use_fixed
    )
    p, average, paid, full, load = c.plan, c.average, c.paid, c.full, c.load
    replicas = p.replicas
    gpus = replicas * s.gpus
    hardware, infra, steps, ops, monthly = c.hardware, c.infra, c.steps, c.ops, c.monthly
    # A given utilisation is the user's figure, and DESIGN.md reports it as given.
    utilization = (
        mc.utilization
        if mc.utilization is not None
        else min(1.0, average / paid)
        if paid > 0
        else 0.0
    )
    peak = average * inp.peak_to_average * inp.burst
    at_peak = min(0.999, peak / replicas) if replicas else 0.999
    first_token_ms = 1000 * s.first_token_seconds / (1 - at_peak)
    warnings: list[str] = []
    shortfall = None
    served = full * utilization
    if c.unserved:
        unserved = c.unserved
        shortfall = Shortfall(unserved, c.shortfall_cost)
        warnings.append(
            f"capacity shortfall: {replicas} replica(s) serve {full / 1e6:,.1f} M of the "
            f"{load / 1e6:,.1f} M tokens a month ({average:,.1f} replicas' worth of work); the "
            f"rest, {unserved / 1e6:,.1f} M tokens, would cost ${shortfall.api_cost:,.0f} on "
            "the API."
        )
    elif p.sizing == "fixed" and peak > replicas * s.busy_max:
        warnings.append(
            f"at peak ({number(inp.peak_to_average)}x average) the {replicas} fixed "
            f"replica(s) run at {percent(peak / replicas)} of capacity, past the "
            f"{percent(s.busy_max)} the latency target "
            "and headroom allow: expect queueing."
        )
    return Deployment(
        model=mc.model_id,
        gpu=s.gpu_id,
        precision=s.precision,
        gpus_per_replica=s.gpus,
        replicas=replicas,
        gpus=gpus,
        scaling=scaling if p.sizing in ("peak", "autoscale") else "fixed",
        sizing=p.sizing,
        redundancy=extra,
        gpu_hourly_price=price_h,
        replica_hours_per_day=p.replica_hours_per_day,
        hardware_monthly=hardware,
        infra_monthly=infra,
        ops_steps=steps,
        ops_monthly=ops,
        monthly_cost=monthly,
        average_busy=average,
        peak_busy=peak,
        utilization=utilization,
        capacity_tokens_per_month=full,
        load_tokens_per_month=load,
        cost_per_1k_tokens=monthly / (served / 1000) if served > 0 else None,
        cost_per_1k_tokens_full_load=monthly / (full / 1000) if full > 0 else None,
        shortfall=shortfall,
        memory=s.memory,
        throughput=s.throughput,
        first_token_ms=first_token_ms,
        qualifies=s.excluded is None,
        reason=s.excluded,
        warnings=tuple(warnings),
        purchase=bought.purchase,
        purchase_note=bought.note,
        commitment_months=bought.months,
        commitment_total=commitment(mc, s, bought, gpus, hardware),
    )


def commitment(mc: ModelChoice, s: Shape, bought: Rate, gpus: int, hardware: float) -> float:
    """What a purchase locks in: a reservation's GPU bill for its term, or owned hardware's
    price (the GPUs bought); nothing on demand or spot."""
    if bought.purchase == "owned":
        own = mc.owned.purchase_price if mc.gpu == s.gpu_id else None
        price = own if own is not None else s.gpu.purchase_price
        return gpus * (price or 0.0) * mc.gpu_price_scale
    return hardware * bought.months
