"""Monthly cost against volume: the data behind a break-even chart."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.api import per_request
from advisor.core.costs.breakeven import BreakEven
from advisor.core.costs.deployment import deploy, replica_shape
from advisor.core.costs.inputs import Inputs

POINTS = 120


class CurvePoint(NamedTuple):
    requests_per_day: float
    api_monthly: float
    self_host_monthly: float  # re-sized for this volume, without friction
    self_host_compared: float  # x friction: what the break-even test compares


def cost_curve(inp: Inputs, be: BreakEven, points: int = POINTS) -> list[CurvePoint]:
    """API and self-hosted cost from near zero to past today and the break-even volume.

    Replicas are re-sized at each volume (a fixed replica count is ignored, as in the
    break-even search), so the self-hosted line climbs in steps.
    """
    today = inp.requests_per_day
    top = 2.0 * today
    if be.requests_per_day:
        top = max(top, 1.25 * be.requests_per_day)
    main = inp.main._replace(replicas=None)
    shape = replica_shape(main, inp)
    friction = inp.policy.friction_multiplier
    request = per_request(inp)
    curve = []
    for i in range(1, points + 1):
        volume = top * i / points
        what_if = inp._replace(requests_per_day=volume, main=main)
        monthly = deploy(main, what_if, shape=shape).monthly_cost
        curve.append(CurvePoint(volume, volume * inp.days * request, monthly, friction * monthly))
    return curve
