"""What would flip the verdict: each key assumption moved within a plausible range."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX
from advisor.core.costs.economics import compute
from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.options import group_costs, priced
from advisor.core.decision.verdict import decide_verdict
from advisor.core.errors import InputError
from advisor.core.rules import evaluate_rules

LOW, HIGH = 0.5, 2.0
GRID = tuple(2 ** (i / 3) for i in range(-3, 4))  # x0.5 ... x2, seven points


class Lever(NamedTuple):
    name: str  # stable id
    label: str
    baseline: float
    unit: str
    apply: Callable[[Inputs, float], Inputs]  # multiplier -> what-if inputs
    floor: float = 0.0  # the assumption never goes below this (peak-to-average >= 1)
    ceiling: float = float("inf")  # nor above this (utilisation <= 1)


class Flip(NamedTuple):
    assumption: str
    label: str
    baseline: float
    unit: str
    low: float
    high: float
    flips: bool
    flip_value: float | None  # nearest value (in the assumption's unit) that flips the verdict
    flip_multiplier: float | None
    flip_to: str | None
    swing: float  # change across the range in the gap between the cheapest API route and the
    # cheapest way of self-hosting (friction included), $/month
    fixed_by: str | None = None  # the hard-constraint answer that holds the verdict, if any


def _both(inp: Inputs, change: Callable[[ModelChoice], ModelChoice]) -> Inputs:
    """Apply a what-if to both self-hosted deployments (the main and the small model)."""
    return inp._replace(main=change(inp.main), small=change(inp.small))


def levers(inp: Inputs) -> list[Lever]:
    out = [
        Lever(
            "gpu_price",
            "GPU price",
            1.0,
            "x today's prices",
            lambda i, m: _both(i, lambda d: d._replace(gpu_price_scale=d.gpu_price_scale * m)),
        ),
    ]
    if inp.main.utilization is not None:
        out.append(
            Lever(
                "utilization",
                "utilisation",
                inp.main.utilization,
                "share",
                lambda i, m: _both(
                    i,
                    lambda d: d._replace(
                        utilization=None if d.utilization is None else min(1.0, d.utilization * m),
                    ),
                ),
                ceiling=1.0,
            )
        )
    else:
        out.append(
            Lever(
                "peak_to_average",
                "peak-to-average",
                inp.peak_to_average,
                "x",
                lambda i, m: i._replace(
                    peak_to_average=min(PEAK_TO_AVERAGE_MAX, max(1.0, i.peak_to_average * m))
                ),
                floor=1.0,
                ceiling=PEAK_TO_AVERAGE_MAX,
            )
        )
    if inp.main.throughput is not None:
        out.append(
            Lever(
                "throughput",
                "throughput",
                inp.main.throughput,
                "tokens/s",
                lambda i, m: i._replace(
                    main=i.main._replace(throughput=(i.main.throughput or 0.0) * m)
                ),
            )
        )
    else:
        out.append(
            Lever(
                "throughput",
                "throughput",
                1.0,
                "x preset",
                lambda i, m: _both(
                    i, lambda d: d._replace(throughput_scale=d.throughput_scale * m)
                ),
            )
        )
    out += [
        Lever(
            "ops_cost",
            "ops cost",
            inp.main.ops_monthly,
            "$/month",
            lambda i, m: _both(i, lambda d: d._replace(ops_monthly=d.ops_monthly * m)),
        ),
        Lever(
            "output_tokens",
            "output tokens",
            inp.output_tokens,
            "tokens/request",
            lambda i, m: i._replace(output_tokens=i.output_tokens * m),
        ),
        Lever(
            "volume",
            "volume",
            inp.requests_per_day,
            "requests/day",
            lambda i, m: i._replace(requests_per_day=i.requests_per_day * m),
        ),
        Lever(
            "api_price",
            f"API price ({inp.api.name})",
            inp.api.output,
            "$/M output tokens",
            lambda i, m: i._replace(api=i.api.scaled(m)),
        ),
    ]
    if inp.hosted is not None and inp.hosted_excluded is None:
        out.append(
            Lever(
                "hosted_price",
                f"hosted open-model price ({inp.hosted.provider})",
                inp.hosted.output,
                "$/M output tokens",
                lambda i, m: i._replace(hosted=i.hosted.scaled(m) if i.hosted else None),
            )
        )
    return out


def outcome(inp: Inputs) -> tuple[str | None, float | None]:
    """The verdict and the friction-adjusted gap (the cheapest API route - the cheapest way of
    self-hosting) for what-if inputs;
    (None, None) where the what-if cannot be (e.g. requests past the context window)."""
    try:
        e = compute(inp, full=False)
    except InputError:
        return None, None
    v = decide_verdict(inp, e, evaluate_rules(inp, e))
    groups = group_costs(priced(inp, e))
    own = min(o.with_friction for g, o in groups.items() if g != "api")
    return v.verdict, groups["api"].with_friction - own


def sweep(
    inp: Inputs, lever: Lever, multipliers: Sequence[float]
) -> list[tuple[float, str | None, float | None]]:
    """(multiplier, verdict, gap) at each multiplier: the raw material of a chart or a flip."""
    return [(m, *outcome(lever.apply(inp, m))) for m in multipliers]


def _refine(inp: Inputs, lever: Lever, same: float, other: float, base: str) -> float:
    for _ in range(6):  # the bracket (x1.26) narrows to within 0.4%
        mid = (same * other) ** 0.5
        if outcome(lever.apply(inp, mid))[0] in (base, None):
            same = mid
        else:
            other = mid
    return other


def analyse(inp: Inputs, base_verdict: str) -> list[Flip]:
    flips: list[Flip] = []
    for lever in levers(inp):
        center = len(GRID) // 2
        points = [*sweep(inp, lever, GRID[:center]), (1.0, base_verdict, 0.0)]
        points += sweep(inp, lever, GRID[center + 1 :])
        gaps = [gap for _, verdict, gap in points if gap is not None and verdict is not None]
        swing = abs(gaps[-1] - gaps[0]) if len(gaps) > 1 else 0.0
        found: tuple[float, str] | None = None
        for step in range(1, center + 1):  # nearest flip first, on either side
            for index in (center - step, center + step):
                m, verdict, _ = points[index]
                if verdict not in (base_verdict, None) and found is None:
                    inner = GRID[index + 1] if index < center else GRID[index - 1]
                    exact = _refine(inp, lever, inner, m, base_verdict)
                    found = (exact, outcome(lever.apply(inp, exact))[0] or verdict)
            if found:
                break
        flips.append(
            Flip(
                assumption=lever.name,
                label=lever.label,
                baseline=lever.baseline,
                unit=lever.unit,
                low=max(lever.floor, lever.baseline * LOW),
                high=min(lever.ceiling, lever.baseline * HIGH),
                flips=found is not None,
                flip_value=lever.baseline * found[0] if found else None,
                flip_multiplier=found[0] if found else None,
                flip_to=found[1] if found else None,
                swing=swing,
            )
        )
    flips.sort(key=lambda f: f.swing, reverse=True)
    return flips
