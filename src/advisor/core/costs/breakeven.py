"""The friction break-even: the smallest volume at which full self-hosting wins.

Self-hosting wins when API monthly > friction x self-hosted monthly (plus the API cost of any
shortfall). The self-hosted side is the deployment search's answer at each volume, so it rises
in steps (whole replicas, ops steps, a different configuration). The search is bounded: a
geometric grid up to 1,000 x today's volume finds the first volume that wins, and bisection
narrows the step before it to the whole request; it never walks volume one step at a time.
Neither searches a volume where the API bill is no larger than the self-hosted side was at a
smaller volume: that side never falls as volume grows, so self-hosting cannot win there (a
property test checks both that and that the answers are those of trying every volume).

The volume is found against the closed model (the bill paid today: the article's question), and
again against the same open model hosted, where that may be used: a hosted open model has no
fixed cost, so self-hosting overtakes it only at a larger volume, if at all.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from advisor.core.costs.api import per_request
from advisor.core.costs.hybrids import spare
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.search import search
from advisor.core.fmt import number

SEARCH_MULTIPLE = 1000.0
GRID = 72  # points from 1e-6 x to 1,000 x today's volume (about 1.34 x apart)
BISECTIONS = 64


class BreakEven(NamedTuple):
    self_host_wins: bool
    api_monthly: float
    self_host_compared: float  # friction x self-hosted monthly + API cost of any shortfall
    requests_per_day: int | None  # None: not found (or not computed, for a what-if)
    api_monthly_at_break_even: float | None
    note: str
    # Against the same open model hosted (None: not found, not computed, or not allowed)
    hosted_requests_per_day: int | None = None
    searched: bool = False  # the volumes were searched (a what-if leaves them out)


def compared_at(
    inp: Inputs, volume: float, api_per_request: float | None = None
) -> tuple[float, float]:
    """(API monthly, friction x self-hosted + shortfall) at `volume` requests/day, with the
    deployment re-searched for that volume (a fixed replica count is ignored) with the spare
    replica the decision's own self-hosting has, if any; the API is the closed model unless
    `api_per_request` is given."""
    what_if = inp._replace(requests_per_day=volume, main=inp.main._replace(replicas=None))
    extra = spare(inp, not inp.no_outside_provider)
    d = search(what_if.main, what_if, extra=extra, candidates=False).deployment
    each = per_request(inp) if api_per_request is None else api_per_request
    api = volume * inp.days * each
    shortfall = d.shortfall.api_cost if d.shortfall else 0.0
    return api, inp.policy.friction_multiplier * d.monthly_cost + shortfall


def wins_at(inp: Inputs, volume: float, api_per_request: float | None = None) -> bool:
    api, self_host = compared_at(inp, volume, api_per_request)
    return api > self_host


def volume(inp: Inputs, api_per_request: float | None = None) -> int | None:
    """Smallest whole requests/day in (0, 1000 x today] where self-hosting wins, or None."""
    top = SEARCH_MULTIPLE * inp.requests_per_day
    each = per_request(inp) if api_per_request is None else api_per_request
    if each <= 0:
        return None

    def wins(v: float) -> bool:
        return wins_at(inp, v, each)

    low = top / 1e9
    ratio = (top / low) ** (1 / (GRID - 1))
    previous = 0.0
    floor = 0.0  # the self-hosted side at the last volume tried
    for i in range(GRID):
        v = low * ratio**i
        if v * inp.days * each <= floor:
            # The self-hosted side never falls as volume grows (the search at a larger volume
            # has fewer qualifying ways and more load to pay for), so an API bill no larger
            # than it was at a smaller volume cannot win here: no search needed.
            previous = v
            continue
        api, compared = compared_at(inp, v, each)
        if api > compared:
            # Whole requests/day: the smallest in (previous, v] that wins, by bisection (at
            # most 64 halvings even at 10^13). In the rare step where the cost falls back
            # below the API inside the bracket, this finds a boundary, not always the first.
            lo, hi = math.floor(previous), math.ceil(v)
            if not wins(float(hi)):
                hi += 1
            for _ in range(BISECTIONS):
                if hi - lo <= 1:
                    break
                mid = (lo + hi) // 2
                if float(mid) * inp.days * each <= floor:  # as above: it cannot win
                    lo = mid
                    continue
                api, compared = compared_at(inp, float(mid), each)
                if api > compared:
                    hi = mid
                else:
                    lo, floor = mid, compared
            return int(max(1, hi))
        previous, floor = v, compared
    return None


def break_even(
    inp: Inputs, self_host_compared: float, api_monthly: float, full: bool = True
) -> BreakEven:
    friction = inp.policy.friction_multiplier
    note = f"self-hosting wins when the API bill exceeds {number(friction)} x the self-hosted cost"
    if inp.main.replicas is not None:
        note += "; the break-even search re-sizes replicas at each volume (fixed replicas ignored)"
    wins = api_monthly > self_host_compared
    found = volume(inp) if full else None
    if full and found is None:
        note += f"; not within {SEARCH_MULTIPLE:,.0f}x today's volume"
    elif found is not None and found <= inp.requests_per_day and not wins:
        note += (
            f"; it wins from {found:,} requests/day but not at today's volume: the cost rises "
            "in steps (whole replicas, one more ops step every "
            f"{inp.policy.gpus_per_ops_step} GPUs), so the margin comes and goes with volume"
        )
    hosted = None
    if full and inp.hosted is not None and inp.hosted_excluded is None:
        hosted = volume(inp, inp.bill_of(inp.hosted).per_request)
    return BreakEven(
        hosted_requests_per_day=hosted,
        searched=full,
        self_host_wins=wins,
        api_monthly=api_monthly,
        self_host_compared=self_host_compared,
        requests_per_day=found,
        api_monthly_at_break_even=found * per_request(inp) * inp.days if found else None,
        note=note,
    )
