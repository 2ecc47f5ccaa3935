"""Month by month over the horizon (DESIGN.md §6 "Horizon and uncertainty").

Month m counts from 0: volume is today's x (1 + growth) ** (m / 12) and every API price
today's x (1 + change) ** (m / 12). Each option's self-hosted part keeps today's configuration
(GPU type, GPUs per replica, precision, scaling, way of buying) and is re-sized for the
month's volume; reserved and owned GPUs are never given back, so their count only grows
(owned hardware bought in steps). Options that self-host anything pay a one-off migration
cost in month 0 (`policy.migration_cost`, default two months of ops). Cumulative totals are
real dollars (no friction); the break-even month is the first whose cumulative self-hosting
cost is below the API's (the closed model; and separately the open model hosted).
"""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs import hybrids as hy
from advisor.core.costs.api import hosted_open
from advisor.core.costs.deployment import Cost, Deployment, cost, gpu_rate, price
from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.purchase import FIXED_ONLY
from advisor.core.costs.search import Choice
from advisor.core.costs.shapes import Shape, shape, shapes_for


class Month(NamedTuple):
    month: int  # from 0
    requests_per_day: float
    api_price_factor: float
    costs: dict[str, float]  # by option id, $ this month (no friction)
    with_friction: dict[str, float]  # API part + friction x self-hosted part


class Horizon(NamedTuple):
    months: int
    growth: float
    api_change: float
    migration_cost: float
    monthly: tuple[Month, ...]
    cumulative: dict[str, tuple[float, ...]]  # by option id, migration included
    break_even_month: int | None  # self-hosting against the closed model
    break_even_month_hosted: int | None  # against the open model hosted (if it may be used)
    commitment: str | None  # what today's way of buying locks in beyond the horizon, if any


def shape_of(mc: ModelChoice, inp: Inputs, d: Deployment) -> Shape:
    """The shape a deployment runs (from the cached search shapes, else built)."""
    for s in shapes_for(mc, inp).shapes:
        if (s.gpu_id, s.gpus, s.precision) == (d.gpu, d.gpus_per_replica, d.precision):
            return s
    return shape(mc, inp, d.gpu, d.gpus_per_replica, d.precision)


def resized(
    mc: ModelChoice,
    inp: Inputs,
    d: Deployment,
    s: Shape,
    share: float,
    floor: int = 0,
    size_for: str = "peak",
) -> Deployment:
    """`d`'s configuration re-sized for `inp`'s volume, never below `floor` replicas."""
    keep = mc._replace(replicas=None, min_replicas=max(mc.min_replicas, floor - d.redundancy))
    scaling = d.scaling if d.sizing in ("peak", "autoscale") else "fixed"
    return price(
        keep,
        inp,
        s,
        share,
        scaling,
        size_for=size_for,
        extra=d.redundancy,
        use_fixed=False,
        purchase=d.purchase,
    )


def resized_cost(
    mc: ModelChoice, inp: Inputs, d: Deployment, s: Shape, hourly: float, floor: int = 0
) -> Cost:
    """`resized`'s bill alone, for all the prices of a GPU-hour `hourly` (d's way of buying,
    which no month changes): the growth flip's bisection asks for nothing else."""
    keep = mc._replace(replicas=None, min_replicas=max(mc.min_replicas, floor - d.redundancy))
    scaling = d.scaling if d.sizing in ("peak", "autoscale") else "fixed"
    return cost(keep, inp, s, 1.0, scaling, hourly, extra=d.redundancy, use_fixed=False)


def _month_inputs(inp: Inputs, m: int) -> tuple[Inputs, float]:
    h = inp.horizon
    volume = inp.requests_per_day * (1 + h.growth) ** (m / 12)
    factor = (1 + h.api_change) ** (m / 12)
    if factor == 1.0:  # the prices as they are (x 1.0 changes nothing)
        return inp._replace(requests_per_day=volume), factor
    hosted = inp.hosted.scaled(factor) if inp.hosted is not None else None
    return inp._replace(requests_per_day=volume, api=inp.api.scaled(factor), hosted=hosted), factor


def migration(inp: Inputs) -> float:
    p = inp.policy
    return p.migration_cost if p.migration_cost is not None else 2.0 * inp.main.ops_monthly


def project(inp: Inputs, e: Economics, *, every_option: bool = True) -> Horizon:
    """Month by month. `every_option=False`: the API and full self-hosting only, all that the
    break-even month compares (the growth flip's bisection asks for nothing else)."""
    friction = inp.policy.friction_multiplier
    months = inp.horizon.months
    main_shape = shape_of(inp.main, inp, e.self_host)
    parts = {
        h.pattern: h for h in e.hybrids if every_option and h.applicable and h.pattern != "volume"
    }
    part_shapes = {
        k: shape_of(inp.small if k in ("complexity", "latency") else inp.main, inp, h.deployment)
        for k, h in parts.items()
    }
    floors: dict[str, int] = {}
    volume_hybrid = e.hybrid("volume")
    bought = gpu_rate(inp.main, inp, main_shape, e.self_host.purchase)
    rows: list[Month] = []
    for m in range(months):
        at, factor = _month_inputs(inp, m)
        api = at.requests_per_day * at.days * at.api_request_cost
        costs: dict[str, float] = {"api": api}
        compared: dict[str, float] = {"api": api}
        h = hosted_open(at) if every_option else None
        if h is not None and h.excluded is None:
            costs["hosted_open"] = compared["hosted_open"] = h.cost.monthly_cost
        floor = floors.get("self_host", 0)
        if every_option:
            d = resized(inp.main, at, e.self_host, main_shape, 1.0, floor)
            replicas, monthly = d.replicas, d.monthly_cost
            shortfall = d.shortfall.api_cost if d.shortfall else 0.0
        else:
            c = resized_cost(inp.main, at, e.self_host, main_shape, bought.hourly, floor)
            replicas, monthly, shortfall = c.plan.replicas, c.monthly, c.shortfall_cost
        if bought.purchase in FIXED_ONLY:
            floors["self_host"] = max(floor, replicas)
        costs["self_host"] = monthly + shortfall
        compared["self_host"] = friction * monthly + shortfall
        if every_option and volume_hybrid.applicable:
            v = hy.volume(at, Choice(d, (), 0, False, ()))
            costs["volume"], compared["volume"] = v.monthly_cost, v.compared_cost(friction)
        for k, part in parts.items():
            mc = inp.small if k in ("complexity", "latency") else inp.main
            floor = floors.get(k, 0)
            dd = resized(mc, at, part.deployment, part_shapes[k], part.self_host_share, floor)
            if dd.purchase in FIXED_ONLY:
                floors[k] = max(floors.get(k, 0), dd.replicas)
            api_part = (1 - part.self_host_share) * api
            api_part += dd.shortfall.api_cost if dd.shortfall else 0.0
            costs[k] = api_part + dd.monthly_cost
            compared[k] = api_part + friction * dd.monthly_cost
        rows.append(Month(m, at.requests_per_day, factor, costs, compared))
    return _totals(inp, e, tuple(rows))


def _totals(inp: Inputs, e: Economics, rows: tuple[Month, ...]) -> Horizon:
    once = migration(inp)
    cumulative: dict[str, list[float]] = {}
    for row in rows:
        for option, spent in row.costs.items():
            running = cumulative.setdefault(option, [])
            start = running[-1] if running else (0.0 if option in ("api", "hosted_open") else once)
            running.append(start + spent)

    def first_below(against: str) -> int | None:
        mine, theirs = cumulative.get("self_host"), cumulative.get(against)
        if not mine or not theirs:
            return None
        return next((m for m, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a < b), None)

    d, months = e.self_host, inp.horizon.months
    commitment = None
    if d.commitment_months > months:
        beyond = d.commitment_months - months
        commitment = (
            f"today's {d.purchase.replace('_', ' ')} commitment runs {d.commitment_months} "
            f"months: {beyond} of them past this {months}-month horizon"
        )
    return Horizon(
        months=months,
        growth=inp.horizon.growth,
        api_change=inp.horizon.api_change,
        migration_cost=once,
        monthly=rows,
        cumulative={k: tuple(v) for k, v in cumulative.items()},
        break_even_month=first_below("api"),
        break_even_month_hosted=first_below("hosted_open"),
        commitment=commitment,
    )
