"""The four hybrid patterns, always all priced (DESIGN.md §2 "Hybrids"); each self-hosted part
is found by the deployment search for its own load.

- complexity: the simple share on the small model, the rest on the API;
- volume: the full deployment's shape, sized for the average load, the API for what the day's
  busier hours send above it (the measured hourly curve, or the two-level day), by the cheapest
  API route allowed (the same open model hosted, where it may be used: the same answers);
- sensitivity: the sensitive share on the main model (its own spare replica under
  redundancy "auto": those requests may not fall back to an API), the rest on the API;
- latency: the latency-critical share on the small model, the rest on the API.
"""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs import purchase
from advisor.core.costs.deployment import Deployment, day_shape, price
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.search import Choice, search
from advisor.core.costs.shapes import shapes_for
from advisor.core.fmt import share


class Hybrid(NamedTuple):
    pattern: str
    monthly_cost: float  # api_part + self_host_part
    api_part: float
    self_host_part: float
    applicable: bool
    note: str
    self_host_share: float  # share of tokens served in-house
    deployment: Deployment

    def compared_cost(self, friction: float) -> float:
        """API part + friction x self-hosted part: what the verdict compares."""
        return self.api_part + friction * self.self_host_part


def no_api(inp: Inputs) -> str | None:
    """Why no request may go to an API (every face says the same), or None."""
    if inp.air_gapped:
        return "air-gapped: no API can be reached"
    if inp.no_outside_provider:
        return "every request's data must stay on your own servers"
    return None


def spare(inp: Inputs, api_may_back_up: bool) -> int:
    """Replicas added for redundancy: N+1 when asked, or (auto) where no API may take over."""
    if inp.redundancy == "n_plus_1":
        return 1
    return 1 if inp.redundancy == "auto" and not api_may_back_up else 0


def _split(
    pattern: str,
    inp: Inputs,
    api_monthly: float,
    share: float,
    small: bool,
    applicable: bool,
    note: str,
    *,
    extra: int = 0,
    full: Choice | None = None,
) -> Hybrid:
    if full is not None and not applicable:
        # A what-if: an option that does not apply weighs in nowhere, so it is not priced.
        inf = float("inf")
        return Hybrid(pattern, inf, inf, inf, False, note, share, full.deployment)
    mc = inp.small if small else inp.main
    d = search(mc, inp, share, extra=extra, use_fixed=False, candidates=False).deployment
    api_part = (1.0 - share) * api_monthly
    if d.shortfall:  # cannot happen when sized for the load, kept for honesty
        api_part += d.shortfall.api_cost
    return Hybrid(
        pattern, api_part + d.monthly_cost, api_part, d.monthly_cost, applicable, note, share, d
    )


def overflow_share(inp: Inputs, capacity: float) -> float:
    """Share of the day's tokens above `capacity` (in units of the mean hour's load)."""
    return sum(max(0.0, level - capacity) for level in day_shape(inp)) / 24.0


def volume(inp: Inputs, full: Choice) -> Hybrid:
    chosen = full.deployment
    shape = next(
        s
        for s in shapes_for(inp.main, inp).shapes
        if (s.gpu_id, s.gpus, s.precision)
        == (chosen.gpu, chosen.gpus_per_replica, chosen.precision)
    )
    bought = purchase.best(inp.main, inp, shape, "fixed")
    d = price(
        inp.main,
        inp,
        shape,
        1.0,
        "fixed",
        size_for="average",
        extra=spare(inp, True),
        use_fixed=False,
        purchase=bought.purchase if bought else "on_demand",
    )
    working = d.replicas - d.redundancy
    capacity = working * shape.busy_max / d.average_busy if d.average_busy > 0 else float("inf")
    overflow = overflow_share(inp, capacity)
    closed = no_api(inp)
    applicable = overflow > 0 and closed is None
    note = (
        f"{working} replica(s) of {shape.gpus} x {shape.gpu_id} sized for the average load serve "
        f"up to {capacity:.2f}x average; the busier hours send {share(overflow)} of tokens "
        "to the API"
    )
    hosted = inp.hosted
    if hosted is not None and inp.route_request_cost < inp.api_request_cost:
        note += f" (the same model, hosted by {hosted.provider})"
    if closed is not None:
        note += f" (not possible: {closed})"
    elif not applicable:
        note += " (none: the baseline covers the peak, so this is full self-hosting)"
    api_part = overflow * inp.requests_per_day * inp.days * inp.route_request_cost
    return Hybrid(
        "volume",
        api_part + d.monthly_cost,
        api_part,
        d.monthly_cost,
        applicable,
        note,
        1.0 - overflow,
        d,
    )


def price_hybrids(
    inp: Inputs, api_monthly: float, latency_fires: bool, full: Choice, *, every: bool = True
) -> tuple[Hybrid, ...]:
    """All four; with `every` false (what-ifs), those that do not apply are left unpriced."""
    skip = None if every else full
    s, v, c = inp.simple_share, inp.sensitive_share, inp.critical_share
    small = inp.small.model_id
    on_prem = inp.sovereignty == "on_prem" and not inp.compliance_ok
    closed = no_api(inp)  # then no request may go to an API: no split applies
    outside = closed is None
    rest = "the rest on the API" + ("" if outside else f" (not possible: {closed})")
    return (
        _split(
            "complexity",
            inp,
            api_monthly,
            s,
            True,
            s > 0 and outside,
            f"{share(s)} of requests (simple tasks) on a small self-hosted model ({small}), "
            + rest,
            extra=spare(inp, True),
            full=skip,
        ),
        volume(inp, full),
        _split(
            "sensitivity",
            inp,
            api_monthly,
            v,
            False,
            v > 0 and outside,
            f"{share(v)} of requests (sensitive data) self-hosted on {inp.main.model_id}, " + rest,
            extra=spare(inp, not on_prem),
            full=skip,
        ),
        _split(
            "latency",
            inp,
            api_monthly,
            c,
            True,
            latency_fires and outside,
            f"{share(c)} of requests (latency-critical) on a local small model ({small}), "
            + rest
            + ("" if latency_fires else " (not needed: the latency target allows an API)"),
            extra=spare(inp, True),
            full=skip,
        ),
    )
