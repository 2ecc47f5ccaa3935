"""All the figures of a decision: API, full self-hosting, break-even, hybrids."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.core.api_cost import ApiCost, api_cost
from advisor.core.breakeven import BreakEven, break_even
from advisor.core.deployment import Deployment, deploy
from advisor.core.hybrids import Hybrid, price_hybrids
from advisor.core.inputs import Inputs


@dataclass(frozen=True, slots=True)
class Economics:
    api: ApiCost
    self_host: Deployment
    break_even: BreakEven
    hybrids: tuple[Hybrid, ...]
    latency_critical: bool

    def hybrid(self, pattern: str) -> Hybrid:
        return next(h for h in self.hybrids if h.pattern == pattern)


def latency_critical(inp: Inputs) -> bool:
    return inp.p95_ms < inp.policy.latency_ms


def compute(inp: Inputs) -> Economics:
    api = api_cost(inp)
    main = deploy(inp.main, inp)
    critical = latency_critical(inp)
    return Economics(
        api=api,
        self_host=main,
        break_even=break_even(inp, main, api.monthly_cost),
        hybrids=price_hybrids(inp, api.monthly_cost, critical),
        latency_critical=critical,
    )
