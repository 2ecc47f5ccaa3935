"""The friction break-even: the smallest volume at which full self-hosting wins.

Self-hosting wins when API monthly > friction x self-hosted monthly. Self-hosted cost rises in
steps (whole replicas, ops steps), so the search walks those steps instead of assuming a line.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from advisor.core.costs.api import per_request
from advisor.core.costs.deployment import SECONDS_PER_DAY, Deployment, ops_steps
from advisor.core.costs.inputs import Inputs

SEARCH_MULTIPLE = 1000.0


class BreakEven(NamedTuple):
    self_host_wins: bool
    api_monthly: float
    self_host_compared: float  # friction x self-hosted monthly + API cost of any shortfall
    requests_per_day: int | None
    api_monthly_at_break_even: float | None
    note: str


def steps_cost(inp: Inputs, deployment: Deployment, replicas: int) -> float:
    """Monthly self-hosted cost of `replicas` replicas shaped like `deployment`."""
    d = inp.main
    gpus = replicas * deployment.gpus_per_replica
    hardware = gpus * d.gpu_hourly * 24.0 * inp.days
    return hardware * (1 + d.infra_overhead) + d.ops_monthly * ops_steps(
        gpus, inp.policy.gpus_per_ops_step
    )


def replicas_per_request_day(inp: Inputs, deployment: Deployment) -> float:
    """Replicas needed per request/day of volume (sized as for the main deployment)."""
    tokens_in = inp.input_tokens / SECONDS_PER_DAY
    tokens_out = inp.output_tokens / SECONDS_PER_DAY
    busy = deployment.throughput.busy(tokens_in, tokens_out)
    if inp.main.utilization is not None:
        return busy / inp.main.utilization
    return busy * inp.peak_to_average / inp.policy.headroom


def search(inp: Inputs, deployment: Deployment) -> int | None:
    """Smallest whole requests/day in (0, 1000 x today] where self-hosting wins, or None."""
    friction = inp.policy.friction_multiplier
    a = per_request(inp) * inp.days  # API $/month per request/day
    k = replicas_per_request_day(inp, deployment)
    limit = SEARCH_MULTIPLE * inp.requests_per_day
    if a <= 0 or k <= 0:
        return None
    g = deployment.gpus_per_replica
    step = inp.policy.gpus_per_ops_step
    unit = g * inp.main.gpu_hourly * 24.0 * inp.days * (1 + inp.main.infra_overhead)
    slope = a / k - friction * unit  # API gain minus hardware cost per added replica
    if slope <= 0:
        return None  # each replica costs more than the API it replaces: never wins
    if slope * step <= friction * inp.main.ops_monthly * g:
        # Each ops step (`step` GPUs, `step / g` replicas) costs more than those replicas
        # gain over the API: since ops steps >= GPUs / step, no volume wins. (Walking the
        # steps to the search limit instead took minutes with cheap GPUs and a huge volume.)
        return None
    n = 1
    while True:
        # n replicas serve volumes in ((n-1)/k, n/k]; self-hosting wins there above t.
        t = friction * steps_cost(inp, deployment, n) / a
        r = math.floor(max((n - 1) / k, t)) + 1
        if r > limit:
            return None  # both bounds grow with n
        if r <= n / k + 1e-9:
            return r
        # Within one ops step the margin grows with n: jump to the first n that can win.
        steps_now = ops_steps(n * g, step)
        block_end = (steps_now * step) // g
        first = math.floor(friction * inp.main.ops_monthly * steps_now / slope) + 1
        n = max(n + 1, min(first, block_end + 1))


def break_even(inp: Inputs, deployment: Deployment, api_monthly: float) -> BreakEven:
    friction = inp.policy.friction_multiplier
    compared = friction * deployment.monthly_cost + (
        deployment.shortfall.api_cost if deployment.shortfall else 0.0
    )
    volume = search(inp, deployment)
    note = f"self-hosting wins when the API bill exceeds {friction:g} x the self-hosted cost"
    if inp.main.replicas is not None:
        note += "; the break-even search re-sizes replicas at each volume (fixed replicas ignored)"
    wins = api_monthly > compared
    if volume is None:
        note += f"; not within {SEARCH_MULTIPLE:,.0f}x today's volume"
    elif volume <= inp.requests_per_day and not wins:
        note += (
            f"; it wins from {volume:,} requests/day but not at today's volume: the cost rises "
            "in steps (whole replicas, one more ops step every "
            f"{inp.policy.gpus_per_ops_step} GPUs), so the margin comes and goes with volume"
        )
    return BreakEven(
        self_host_wins=wins,
        api_monthly=api_monthly,
        self_host_compared=compared,
        requests_per_day=volume,
        api_monthly_at_break_even=volume * per_request(inp) * inp.days if volume else None,
        note=note,
    )
