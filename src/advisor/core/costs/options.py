"""Every priced option, grouped by what the team would run (DESIGN.md §6 "Verdict
stability"): the API group (the closed model, and the same open model hosted where an
outside provider may be used), the self-hosted group (full self-hosting, and
the volume hybrid, which runs the same self-hosted stack with the API for peaks) and the hybrid
group (complexity, sensitivity, latency). Costs are compared with the friction multiplier on
self-hosted parts."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs

GROUPS = ("api", "self_hosted", "hybrid")
GROUP_OF = {
    "api": "api",
    "hosted_open": "api",
    "self_host": "self_hosted",
    "volume": "self_hosted",
    "complexity": "hybrid",
    "sensitivity": "hybrid",
    "latency": "hybrid",
}
VERDICT_OF_GROUP = {"api": "api", "self_hosted": "self_host", "hybrid": "hybrid"}


class Priced(NamedTuple):
    id: str
    group: str
    monthly_cost: float
    with_friction: float  # API part + friction x self-hosted part (+ shortfall on the API)
    applicable: bool


def priced(inp: Inputs, e: Economics) -> tuple[Priced, ...]:
    f = inp.policy.friction_multiplier
    out = [Priced("api", "api", e.api.monthly_cost, e.api.monthly_cost, True)]
    if e.hosted is not None:
        cost = e.hosted.cost.monthly_cost
        out.append(Priced("hosted_open", "api", cost, cost, e.hosted.excluded is None))
    out.append(
        Priced(
            "self_host",
            "self_hosted",
            e.self_host.monthly_cost,
            e.break_even.self_host_compared,
            True,
        )
    )
    order = {"volume": 1, "complexity": 2, "sensitivity": 3, "latency": 4}
    for h in sorted(e.hybrids, key=lambda h: order[h.pattern]):
        out.append(
            Priced(h.pattern, GROUP_OF[h.pattern], h.monthly_cost, h.compared_cost(f), h.applicable)
        )
    return tuple(out)


def cheapest(options: tuple[Priced, ...], group: str) -> Priced | None:
    """The group's cheapest applicable option (with friction), or None."""
    inside = [o for o in options if o.group == group and o.applicable]
    return min(inside, key=lambda o: (o.with_friction, o.id)) if inside else None


def group_costs(options: tuple[Priced, ...]) -> dict[str, Priced]:
    """Each group's cheapest applicable option."""
    found = {g: cheapest(options, g) for g in GROUPS}
    return {g: o for g, o in found.items() if o is not None}
