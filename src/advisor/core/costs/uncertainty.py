"""The odds (DESIGN.md §6 "Horizon and uncertainty"): seeded draws over the uncertain inputs,
the probability that each option is cheapest after friction, and each option's P10/P50/P90.

Each input is drawn log-uniformly from its range: the profile's `[uncertainty]` range where
given, else a default around today's figure, wider for what is guessed (output lengths not
measured, an estimated throughput) and narrower for what is measured. Each option keeps
today's configuration (GPU type, GPUs per replica, precision, scaling, way of buying) and is
re-sized for each draw: the odds are about the figures, not about a new search.
"""

from __future__ import annotations

import math
import random
from typing import NamedTuple

from advisor.core.costs.deployment import Deployment, average_busy, plan, two_level_day
from advisor.core.costs.economics import Economics
from advisor.core.costs.horizon import shape_of
from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.options import GROUP_OF
from advisor.core.costs.purchase import rate
from advisor.core.costs.shapes import Shape

ORDER = ("api", "hosted_open", "self_host", "volume", "complexity", "sensitivity", "latency")
ABSOLUTE = ("requests_per_day", "input_tokens", "output_tokens", "peak_to_average")


class Range(NamedTuple):
    key: str
    low: float
    high: float
    unit: str  # the figure's own unit, or "x today"
    why: str  # "yours", or why the default is this wide


class Risk(NamedTuple):
    draws: int
    seed: int
    ranges: tuple[Range, ...]
    p_cheapest: dict[str, float]  # by option id; sums to 1
    p_group: dict[str, float]  # by group: api, self_hosted, hybrid
    quantiles: dict[str, tuple[float, float, float]]  # P10, P50, P90 of the monthly cost


def _throughput(inp: Inputs, e: Economics) -> tuple[float, float, str]:
    if inp.main.simple:
        return 0.6, 1.4, "your own figure"
    if e.self_host.throughput.mode == "estimated":
        return 0.5, 1.5, "estimated from the physical bounds"
    return 0.8, 1.2, "a measured preset: engines and settings vary"


def ranges(inp: Inputs, e: Economics) -> tuple[Range, ...]:
    given = inp.uncertainty.given
    measured = inp.hourly_load is not None  # traffic read from logs by import-usage
    defaults: dict[str, tuple[float, float, str]] = {
        "requests_per_day": (0.85, 1.15, "measured traffic")
        if measured
        else (0.7, 1.4, "a forecast volume"),
        "input_tokens": (0.9, 1.1, "measured") if measured else (0.8, 1.25, "an estimate"),
        "output_tokens": (0.85, 1.18, "measured")
        if inp.output_measured
        else (0.5, 2.0, "output lengths are a guess"),
        "peak_to_average": (0.9, 1.1, "measured") if measured else (0.8, 1.25, "an estimate"),
        "throughput_factor": _throughput(inp, e),
        "gpu_price_factor": (0.95, 1.05, "your own price")
        if inp.main.gpu_hourly is not None
        else (0.85, 1.15, "quotes vary by provider and month"),
        "api_price_factor": (0.97, 1.03, "your own prices")
        if inp.api.own_prices
        else (0.9, 1.1, "the mix of models and discounts"),
        "ops_cost_factor": (0.75, 1.5, "people cost more than planned"),
    }
    out = []
    for key, (low, high, why) in defaults.items():
        if key in given:
            lo, hi = given[key]
            if key not in ABSOLUTE:
                out.append(Range(key, lo, hi, "x today", "yours"))
            else:
                out.append(Range(key, lo, hi, "", "yours"))
            continue
        if key in ABSOLUTE:
            today = float(getattr(inp, key))
            out.append(Range(key, today * low, today * high, "", why))
        else:
            out.append(Range(key, low, high, "x today", why))
    return tuple(out)


def _draw(rng: random.Random, r: Range) -> float:
    if r.high <= r.low:
        return r.low
    if r.low > 0:
        return math.exp(rng.uniform(math.log(r.low), math.log(r.high)))
    return rng.uniform(r.low, r.high)


class _Part(NamedTuple):
    mc: ModelChoice
    d: Deployment
    s: Shape
    share: float


def _self_part(p: _Part, inp: Inputs, tf: float, size_for: str = "peak") -> tuple[float, float]:
    """(monthly, API cost of a shortfall) of a deployment re-sized for a draw."""
    s = p.s._replace(
        request_seconds=p.s.throughput.request_seconds(inp.input_tokens, inp.output_tokens) / tf
    )
    average = average_busy(inp, s, p.share)
    bought = rate(p.mc, inp, s, p.d.purchase)
    hourly = bought.hourly if bought else p.d.gpu_hourly_price
    scaling = p.d.scaling if p.d.sizing in ("peak", "autoscale") else "fixed"
    fixed = p.d.sizing == "fixed"
    mc = p.mc if fixed else p.mc._replace(replicas=None)
    plan_ = plan(mc, inp, s, average, scaling, size_for, p.d.redundancy, fixed, hourly)
    shortfall = 0.0
    if fixed and average > plan_.replicas:
        unserved = (average - plan_.replicas) / average * inp.requests_per_day * p.share
        shortfall = unserved * inp.days * inp.route_request_cost
    return plan_.monthly, shortfall


def _scaled(p: _Part, gpu_factor: float, ops_factor: float) -> _Part:
    mc = p.mc._replace(gpu_price_scale=gpu_factor, ops_monthly=p.mc.ops_monthly * ops_factor)
    return p._replace(mc=mc)


def simulate(inp: Inputs, e: Economics) -> Risk:
    rs = ranges(inp, e)
    rng = random.Random(inp.uncertainty.seed)
    friction = inp.policy.friction_multiplier
    main = _Part(inp.main, e.self_host, shape_of(inp.main, inp, e.self_host), 1.0)
    parts = {
        h.pattern: _Part(
            mc := (inp.small if h.pattern in ("complexity", "latency") else inp.main),
            h.deployment,
            shape_of(mc, inp, h.deployment),
            h.self_host_share,
        )
        for h in e.hybrids
        if h.applicable
    }
    hosted_ok = inp.hosted is not None and inp.hosted_excluded is None
    costs: dict[str, list[float]] = {k: [] for k in ORDER}
    wins = dict.fromkeys(ORDER, 0)
    context = inp.main.model.context_max
    for _ in range(inp.uncertainty.draws):
        x = {r.key: _draw(rng, r) for r in rs}
        tokens_in = max(0.0, x["input_tokens"])
        tokens_out = max(0.0, min(x["output_tokens"], context - tokens_in))
        if tokens_in + tokens_out <= 0:
            tokens_out = 1.0
        gf, of = x["gpu_price_factor"], x["ops_cost_factor"]

        at = inp._replace(
            requests_per_day=max(0.01, x["requests_per_day"]),
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            peak_to_average=max(1.0, x["peak_to_average"]),
            api=inp.api.scaled(x["api_price_factor"]),
            hosted=inp.hosted.scaled(x["api_price_factor"]) if inp.hosted else None,
        )
        monthly = at.requests_per_day * at.days
        api = monthly * at.api_request_cost
        row = {"api": (api, api)}
        if hosted_ok and at.hosted is not None:
            h = monthly * at.bill_of(at.hosted).per_request
            row["hosted_open"] = (h, h)
        tf = x["throughput_factor"]
        cost, short = _self_part(_scaled(main, gf, of), at, tf)
        row["self_host"] = (cost + short, friction * cost + short)
        for k, p in parts.items():
            size_for = "average" if k == "volume" else "peak"
            own, short = _self_part(_scaled(p, gf, of), at, tf, size_for)
            if k == "volume":
                capacity = _capacity(p, at, tf, own)
                api_part = _overflow(at, capacity) * monthly * at.route_request_cost
            else:
                api_part = (1 - p.share) * api
            row[k] = (api_part + own + short, api_part + friction * own + short)
        best = min(row, key=lambda k: (row[k][1], ORDER.index(k)))
        wins[best] += 1
        for k, (c, _) in row.items():
            costs[k].append(c)
    n = inp.uncertainty.draws
    p_cheapest = {k: wins[k] / n for k in ORDER if costs[k]}
    p_group: dict[str, float] = {}
    for k, pk in p_cheapest.items():
        group = GROUP_OF[k]
        p_group[group] = p_group.get(group, 0.0) + pk
    quantiles = {k: _quantiles(v) for k, v in costs.items() if v}
    return Risk(n, inp.uncertainty.seed, rs, p_cheapest, p_group, quantiles)


def _capacity(p: _Part, at: Inputs, tf: float, own: float) -> float:
    """The volume hybrid's baseline capacity, in units of the mean hour's load."""
    s = p.s._replace(
        request_seconds=p.s.throughput.request_seconds(at.input_tokens, at.output_tokens) / tf
    )
    average = average_busy(at, s, 1.0)
    working = max(1, math.ceil(average / s.busy_max - 1e-9), p.mc.min_replicas)
    return working * s.busy_max / average if average > 0 else float("inf")


def _overflow(at: Inputs, capacity: float) -> float:
    day = (
        at.hourly_load
        if at.hourly_load is not None
        else two_level_day(round(at.peak_to_average, 3))
    )
    return sum(max(0.0, level - capacity) for level in day) / 24.0


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    n = len(ordered)

    def at(q: float) -> float:
        i = q * (n - 1)
        lo = math.floor(i)
        hi = min(lo + 1, n - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (i - lo)

    return at(0.1), at(0.5), at(0.9)
