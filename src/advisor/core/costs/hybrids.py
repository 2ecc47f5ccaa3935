"""The four hybrid patterns, always all priced (DESIGN.md section 2, "Hybrids")."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.deployment import Deployment, Shape, deploy
from advisor.core.costs.inputs import Inputs


class Shapes(NamedTuple):
    """Replica shapes (memory fit, throughput) of the main and the small model, found once."""

    main: Shape
    small: Shape


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


def _split(
    pattern: str,
    inp: Inputs,
    api_monthly: float,
    share: float,
    small: bool,
    applicable: bool,
    note: str,
    shapes: Shapes,
) -> Hybrid:
    d = inp.small if small else inp.main
    shape = shapes.small if small else shapes.main
    deployment = deploy(d, inp, share, use_fixed=False, shape=shape)
    api_part = (1.0 - share) * api_monthly
    if deployment.shortfall:  # cannot happen when sized for the load, kept for honesty
        api_part += deployment.shortfall.api_cost
    return Hybrid(
        pattern=pattern,
        monthly_cost=api_part + deployment.monthly_cost,
        api_part=api_part,
        self_host_part=deployment.monthly_cost,
        applicable=applicable,
        note=note,
        self_host_share=share,
        deployment=deployment,
    )


def two_level_overflow(peak_to_average: float, capacity: float) -> float:
    """Share of the load above `capacity` (in units of the average load).

    The documented load shape: for a share q = 1/(2 x peak-to-average) of the time the load
    sits at its peak (peak-to-average x average), the rest of the time at the base level that
    keeps the mean at the average. Half the tokens arrive in the peak hours.
    """
    p2a = max(peak_to_average, 1.0)
    q = 1.0 / (2.0 * p2a)
    base = (1.0 - q * p2a) / (1.0 - q)
    return q * max(0.0, p2a - capacity) + (1.0 - q) * max(0.0, base - capacity)


def volume(inp: Inputs, api_monthly: float, shapes: Shapes) -> Hybrid:
    deployment = deploy(inp.main, inp, 1.0, size_for="average", use_fixed=False, shape=shapes.main)
    headroom = inp.policy.headroom
    capacity = deployment.replicas * headroom / deployment.average_busy  # x average load
    overflow = two_level_overflow(inp.peak_to_average, capacity)
    api_part = overflow * api_monthly
    applicable = overflow > 0
    note = (
        f"{deployment.replicas} replica(s) sized for the average load serve up to "
        f"{capacity:.2f}x average at {headroom:.0%} headroom; peaks of "
        f"{inp.peak_to_average:g}x send {overflow:.0%} of tokens to the API"
    )
    if not applicable:
        note += " (none: the baseline covers the peak, so this is full self-hosting)"
    return Hybrid(
        pattern="volume",
        monthly_cost=api_part + deployment.monthly_cost,
        api_part=api_part,
        self_host_part=deployment.monthly_cost,
        applicable=applicable,
        note=note,
        self_host_share=1.0 - overflow,
        deployment=deployment,
    )


def price_hybrids(
    inp: Inputs, api_monthly: float, latency_fires: bool, shapes: Shapes
) -> tuple[Hybrid, ...]:
    s, v, c = inp.simple_share, inp.sensitive_share, inp.critical_share
    small = f"{inp.small.model_id} on {inp.small.gpu_id}"
    return (
        _split(
            "complexity",
            inp,
            api_monthly,
            s,
            True,
            s > 0,
            f"{s:.0%} of requests (simple tasks) on a small self-hosted model ({small}), "
            "the rest on the API",
            shapes,
        ),
        volume(inp, api_monthly, shapes),
        _split(
            "sensitivity",
            inp,
            api_monthly,
            v,
            False,
            v > 0,
            f"{v:.0%} of requests (sensitive data) self-hosted on {inp.main.model_id}, "
            "the rest on the API",
            shapes,
        ),
        _split(
            "latency",
            inp,
            api_monthly,
            c,
            True,
            latency_fires,
            f"{c:.0%} of requests (latency-critical) on a local small model ({small}), "
            "the rest on the API"
            + ("" if latency_fires else " (not needed: the latency target allows an API)"),
            shapes,
        ),
    )
