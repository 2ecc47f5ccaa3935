"""All the figures of a decision: API, full self-hosting, break-even, hybrids."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.api import ApiCost, api_cost
from advisor.core.costs.breakeven import BreakEven, break_even
from advisor.core.costs.deployment import Deployment, deploy, replica_shape
from advisor.core.costs.hybrids import Hybrid, Shapes, price_hybrids
from advisor.core.costs.inputs import Inputs


class Economics(NamedTuple):
    api: ApiCost
    self_host: Deployment
    break_even: BreakEven
    hybrids: tuple[Hybrid, ...]
    latency_critical: bool

    def hybrid(self, pattern: str) -> Hybrid:
        return next(h for h in self.hybrids if h.pattern == pattern)


def latency_critical(inp: Inputs) -> bool:
    """A target under the policy's latency, for a share of requests above zero."""
    return inp.p95_ms < inp.policy.latency_ms and inp.critical_share > 0


def compute(inp: Inputs) -> Economics:
    api = api_cost(inp)
    shapes = Shapes(replica_shape(inp.main, inp), replica_shape(inp.small, inp))
    main = deploy(inp.main, inp, shape=shapes.main)
    critical = latency_critical(inp)
    return Economics(
        api=api,
        self_host=main,
        break_even=break_even(inp, main, api.monthly_cost),
        hybrids=price_hybrids(inp, api.monthly_cost, critical, shapes),
        latency_critical=critical,
    )
