"""What growth would change the horizon's answer: whether self-hosting's cumulative cost falls
below the API's within the horizon. Found by bisection over the growth rate, each try a full
month-by-month projection (a few milliseconds)."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.economics import Economics
from advisor.core.costs.horizon import project
from advisor.core.costs.inputs import Inputs

LOWEST, HIGHEST = -0.9, 10.0  # -90% a year to x11 a year
STEPS = 24


class GrowthFlip(NamedTuple):
    baseline: float  # volume growth per year, as given
    pays_back: bool  # self-hosting's cumulative cost falls below the API's within the horizon
    months: int
    flips: bool
    growth: float | None  # the growth per year at which the answer changes
    month: int | None  # the break-even month at that growth
    sentence: str


def _pays_back(inp: Inputs, e: Economics, growth: float) -> int | None:
    what_if = inp._replace(horizon=inp.horizon._replace(growth=growth))
    return project(what_if, e, every_option=False).break_even_month


def growth_flip(inp: Inputs, e: Economics, today: int | None) -> GrowthFlip:
    base, months = inp.horizon.growth, inp.horizon.months
    pays = today is not None
    # Searching up when it does not pay back yet (more volume helps), down when it does.
    far = HIGHEST if not pays else LOWEST
    found: tuple[float, int | None] | None = None
    if (_pays_back(inp, e, far) is not None) != pays:
        same, other = base, far
        for _ in range(STEPS):
            mid = (same + other) / 2
            if (_pays_back(inp, e, mid) is not None) == pays:
                same = mid
            else:
                other = mid
        found = (other, _pays_back(inp, e, other))
    head = f"volume growth ({base:+.0%} a year)"
    if found is None:
        span = f"{LOWEST:+.0%} to {HIGHEST:+.0%} a year"
        sentence = (
            f"{head}: no growth from {span} changes whether self-hosting pays back "
            f"within {months} months"
        )
        return GrowthFlip(base, pays, months, False, None, None, sentence)
    growth, month = found
    if pays:
        sentence = (
            f"{head}: below {growth:+.0%} a year self-hosting no longer pays back within "
            f"{months} months"
        )
    else:
        sentence = (
            f"{head}: from {growth:+.0%} a year self-hosting pays back within {months} months "
            f"(in month {(month or 0) + 1})"
        )
    return GrowthFlip(base, pays, months, True, growth, month, sentence)
