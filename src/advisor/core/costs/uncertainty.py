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

from advisor.core.costs.billing import bill
from advisor.core.costs.deployment import Deployment, busy, levels, plan
from advisor.core.costs.economics import Economics
from advisor.core.costs.horizon import shape_of
from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.options import GROUP_OF
from advisor.core.costs.purchase import hourly
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


class _Part(NamedTuple):
    """A deployment kept as it is today (what the draws re-size)."""

    mc: ModelChoice  # a fixed count stays fixed; every other count is re-sized
    d: Deployment
    s: Shape
    share: float
    scaling: str
    fixed: bool
    size_for: str  # "peak", or "average" for the volume hybrid's baseline


def _part(mc: ModelChoice, d: Deployment, s: Shape, share: float, size_for: str) -> _Part:
    fixed = d.sizing == "fixed"
    scaling = d.scaling if d.sizing in ("peak", "autoscale") else "fixed"
    return _Part(mc if fixed else mc._replace(replicas=None), d, s, share, scaling, fixed, size_for)


class _Sized(NamedTuple):
    monthly: float
    shortfall: float  # the API cost of the load a fixed count cannot serve
    request_seconds: float


def _self_part(p: _Part, at: Inputs, tf: float, gf: float, of: float, route: float) -> _Sized:
    """A deployment re-sized for a draw: throughput x `tf`, GPU prices x `gf`, ops x `of`;
    `route` is the price of a request sent to the API instead."""
    seconds = p.s.throughput.request_seconds(at.input_tokens, at.output_tokens) / tf
    average = busy(at.requests_per_day, p.share, seconds)
    found = hourly(p.mc, at, p.s, p.d.purchase, gf)
    price = found if found is not None else p.d.gpu_hourly_price
    sized = plan(p.mc, at, p.s, average, p.scaling, p.size_for, p.d.redundancy, p.fixed, price, of)
    shortfall = 0.0
    if p.fixed and average > sized.replicas:
        unserved = (average - sized.replicas) / average * at.requests_per_day * p.share
        shortfall = unserved * at.days * route
    return _Sized(sized.monthly, shortfall, seconds)


class _Bounds(NamedTuple):
    key: str
    low: float  # log of the range's ends where it is drawn log-uniformly
    high: float
    log: bool


def _bounds(r: Range) -> _Bounds:
    if r.high <= r.low:
        return _Bounds(r.key, r.low, r.low, False)
    if r.low > 0:
        return _Bounds(r.key, math.log(r.low), math.log(r.high), True)
    return _Bounds(r.key, r.low, r.high, False)


def simulate(inp: Inputs, e: Economics) -> Risk:
    rs = ranges(inp, e)
    bounds = [_bounds(r) for r in rs]
    rng = random.Random(inp.uncertainty.seed)
    uniform = rng.uniform
    friction = inp.policy.friction_multiplier
    main = _part(inp.main, e.self_host, shape_of(inp.main, inp, e.self_host), 1.0, "peak")
    parts = {
        h.pattern: _part(
            mc := (inp.small if h.pattern in ("complexity", "latency") else inp.main),
            h.deployment,
            shape_of(mc, inp, h.deployment),
            h.self_host_share,
            "average" if h.pattern == "volume" else "peak",
        )
        for h in e.hybrids
        if h.applicable
    }
    hosted = inp.hosted if inp.hosted is not None and inp.hosted_excluded is None else None
    cached, batched = inp.cached_share, inp.batch_share
    costs: dict[str, list[float]] = {k: [] for k in ORDER}
    wins = dict.fromkeys(ORDER, 0)
    context = inp.main.model.context_max
    for _ in range(inp.uncertainty.draws):
        x = {
            b.key: math.exp(uniform(b.low, b.high))
            if b.log
            else (b.low if b.high <= b.low else uniform(b.low, b.high))
            for b in bounds
        }
        tokens_in = max(0.0, x["input_tokens"])
        tokens_out = max(0.0, min(x["output_tokens"], context - tokens_in))
        if tokens_in + tokens_out <= 0:
            tokens_out = 1.0
        gf, of, tf = x["gpu_price_factor"], x["ops_cost_factor"], x["throughput_factor"]
        prices = x["api_price_factor"]  # every API price scales with it: so does each bill
        at = inp._replace(
            requests_per_day=max(0.01, x["requests_per_day"]),
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            peak_to_average=max(1.0, x["peak_to_average"]),
        )
        monthly = at.requests_per_day * at.days
        closed = bill(inp.api, tokens_in, tokens_out, cached, batched).per_request * prices
        route = closed
        api = monthly * closed
        row = {"api": (api, api)}
        if hosted is not None:
            open_model = bill(hosted, tokens_in, tokens_out, cached, batched).per_request * prices
            route = min(closed, open_model)
            row["hosted_open"] = (monthly * open_model, monthly * open_model)
        own = _self_part(main, at, tf, gf, of, route)
        row["self_host"] = (own.monthly + own.shortfall, friction * own.monthly + own.shortfall)
        for k, p in parts.items():
            own = _self_part(p, at, tf, gf, of, route)
            if k == "volume":
                capacity = _capacity(p, at, own.request_seconds)
                api_part = _overflow(at, capacity) * monthly * route
            else:
                api_part = (1 - p.share) * api
            row[k] = (
                api_part + own.monthly + own.shortfall,
                api_part + friction * own.monthly + own.shortfall,
            )
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


def _capacity(p: _Part, at: Inputs, request_seconds: float) -> float:
    """The volume hybrid's baseline capacity, in units of the mean hour's load."""
    average = busy(at.requests_per_day, 1.0, request_seconds)
    working = max(1, math.ceil(average / p.s.busy_max - 1e-9), p.mc.min_replicas)
    return working * p.s.busy_max / average if average > 0 else float("inf")


def _overflow(at: Inputs, capacity: float) -> float:
    """The share of the day's load above the baseline's capacity (sent to the API)."""
    return sum(max(0.0, level - capacity) * hours for level, hours in levels(at)) / 24.0


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    n = len(ordered)

    def at(q: float) -> float:
        i = q * (n - 1)
        lo = math.floor(i)
        hi = min(lo + 1, n - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (i - lo)

    return at(0.1), at(0.5), at(0.9)
