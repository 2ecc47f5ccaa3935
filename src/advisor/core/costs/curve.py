"""Monthly cost against volume: the data behind a break-even chart."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.breakeven import BreakEven, compared_at
from advisor.core.costs.inputs import Inputs

POINTS = 80


class CurvePoint(NamedTuple):
    requests_per_day: float
    api_monthly: float
    self_host_monthly: float  # the deployment searched for this volume, without friction
    self_host_compared: float  # x friction (+ any shortfall): what the break-even test compares


def cost_curve(inp: Inputs, be: BreakEven, points: int = POINTS) -> list[CurvePoint]:
    """API and self-hosted cost from near zero to past today and the break-even volume; the
    deployment is searched again at each volume (a fixed replica count is ignored, as in the
    break-even search), so the self-hosted line climbs in steps."""
    today = inp.requests_per_day
    top = 2.0 * today
    if be.requests_per_day:
        top = max(top, 1.25 * be.requests_per_day)
    friction = inp.policy.friction_multiplier
    curve = []
    for i in range(1, points + 1):
        volume = top * i / points
        api, compared = compared_at(inp, volume)
        curve.append(CurvePoint(volume, api, compared / friction, compared))
    return curve
