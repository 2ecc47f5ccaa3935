"""All the figures of a decision: the API (the closed model, and the same open model hosted),
full self-hosting (searched), break-even, hybrids."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.api import ApiCost, HostedOpen, api_cost, hosted_open
from advisor.core.costs.breakeven import BreakEven, break_even, wins_at
from advisor.core.costs.deployment import Deployment
from advisor.core.costs.hybrids import Hybrid, price_hybrids, spare
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.search import Choice, search


class Economics(NamedTuple):
    api: ApiCost
    choice: Choice  # the deployment search for full self-hosting
    break_even: BreakEven
    hybrids: tuple[Hybrid, ...]
    latency_critical: bool
    wins_at_fraction: bool  # self-hosting already wins at volume / policy.extreme_multiple
    hosted: HostedOpen | None = None  # the self-hosted model, hosted (None: no provider has it)

    @property
    def self_host(self) -> Deployment:
        return self.choice.deployment

    def hybrid(self, pattern: str) -> Hybrid:
        return next(h for h in self.hybrids if h.pattern == pattern)


def latency_critical(inp: Inputs) -> bool:
    """A target under the policy's latency, for a share of requests above zero."""
    return inp.p95_ms < inp.policy.latency_ms and inp.critical_share > 0


def compute(inp: Inputs, *, full: bool = True) -> Economics:
    """Every figure. `full` also finds the break-even volume and lists the candidates (the
    decision's own figures); what-ifs leave both out, which keeps them cheap."""
    api = api_cost(inp)
    choice = search(inp.main, inp, extra=spare(inp, not inp.no_outside_provider), candidates=full)
    main = choice.deployment
    friction = inp.policy.friction_multiplier
    compared = friction * main.monthly_cost + (main.shortfall.api_cost if main.shortfall else 0.0)
    critical = latency_critical(inp)
    fraction = inp.requests_per_day / inp.policy.extreme_multiple
    return Economics(
        api=api,
        choice=choice,
        break_even=break_even(inp, compared, api.monthly_cost, full=full),
        hybrids=price_hybrids(inp, api.monthly_cost, critical, choice, every=full),
        latency_critical=critical,
        wins_at_fraction=wins_at(inp, fraction),
        hosted=hosted_open(inp),
    )
