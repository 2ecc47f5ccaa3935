"""The deployment search: the cheapest qualifying way to serve a load (DESIGN.md §6).

Every dimension the profile does not pin is tried: GPU type, GPUs per replica, precision,
scaling (fixed for the peak, or autoscaled hour by hour) and the way GPU time is bought (on
demand, spot, reserved for 1 or 3 years, owned; reserved and owned only fixed: purchase.py).
The cheapest candidate that qualifies (monthly cost, with the API cost of any shortfall) is
chosen; the candidates list gives it and the next four with the reason each lost or was
excluded. A pinned configuration that does not qualify is used as given, with a warning
naming the cheapest that does.
"""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs import purchase
from advisor.core.costs.deployment import Deployment, average_busy, plan, price
from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.shapes import Shape, shapes_for
from advisor.core.errors import InputError
from advisor.core.fmt import money, share

LISTED = 5  # the chosen candidate and the next four


class Candidate(NamedTuple):
    gpu: str
    gpus_per_replica: int
    precision: str
    sizing: str  # "peak" (fixed for the peak) | "autoscale" | "fixed" | ...
    replicas: int
    monthly_cost: float
    qualifies: bool
    chosen: bool
    reason: str  # in words: why it was chosen, lost, or was excluded
    purchase: str = "on_demand"  # how its GPU time is bought


class Choice(NamedTuple):
    deployment: Deployment
    candidates: tuple[Candidate, ...]  # empty when not asked for (what-ifs)
    too_small: int  # combinations that could not hold the weights
    pinned: bool  # the profile fixed the configuration
    warnings: tuple[str, ...]


def scalings(mc: ModelChoice) -> tuple[str, ...]:
    if mc.replicas is not None or mc.utilization is not None:
        return ("fixed",)  # a fixed count, or a utilisation target: nothing to scale
    if mc.purchase in purchase.FIXED_ONLY:
        return ("fixed",)  # reserved or owned GPUs are paid every hour
    return (mc.scaling,) if mc.scaling else ("fixed", "autoscale")


class Ranked(NamedTuple):
    cost: float  # the plan's monthly cost (with the API cost of a fixed count's shortfall)
    qualifies: bool
    shape: Shape
    scaling: str
    replicas: int
    purchase: str


def _ranked(
    mc: ModelChoice,
    inp: Inputs,
    share: float,
    size_for: str,
    extra: int,
    use_fixed: bool,
    listing: bool = True,
) -> list[Ranked]:
    """Each shape at its cheapest scaling and way of buying, cheapest first. The cost is the
    plan's (a shortfall only arises with a fixed replica count, priced in full by `price`).
    A shape that cannot be bought any allowed way (owned only, no purchase price) is left
    out, unless nothing else is left."""
    out: list[Ranked] = []
    api_per_request = inp.route_request_cost
    found = shapes_for(mc, inp)
    rates: dict[tuple[str, str], purchase.Rate | None] = {}  # by GPU type: shapes share it
    for s in found.shapes if listing else found.undominated:
        average = average_busy(inp, s, share)
        best: Ranked | None = None
        for scaling in scalings(mc) if size_for == "peak" else ("fixed",):
            key = (s.gpu_id, scaling)
            if key not in rates:
                rates[key] = purchase.best(mc, inp, s, scaling)
            bought = rates[key]
            if bought is None:
                continue
            p = plan(mc, inp, s, average, scaling, size_for, extra, use_fixed, bought.hourly)
            cost = p.monthly
            if p.sizing == "fixed" and average > p.replicas:  # a fixed count short of the load
                unserved = (average - p.replicas) / average * inp.requests_per_day * share
                cost += unserved * inp.days * api_per_request
            if best is None or cost < best.cost:
                ok = s.excluded is None
                best = Ranked(cost, ok, s, scaling, p.replicas, bought.purchase)
        if best is not None:
            out.append(best)
    if not out:  # nothing can be bought the allowed ways: price on demand, say so
        fallback = mc._replace(purchase="on_demand")
        return [
            r._replace(qualifies=False)
            for r in _ranked(fallback, inp, share, size_for, extra, use_fixed, listing)
        ]
    out.sort(key=_order)
    return out


def _order(r: Ranked) -> tuple[float, str, int, str]:
    """Cheapest first; ties by GPU type, count and precision (the same order every run)."""
    return (r.cost, r.shape.gpu_id, r.shape.gpus, r.shape.precision)


def search(
    mc: ModelChoice,
    inp: Inputs,
    share: float = 1.0,
    *,
    size_for: str = "peak",
    extra: int = 0,
    use_fixed: bool = True,
    candidates: bool = True,
) -> Choice:
    found = shapes_for(mc, inp)
    ranked = _ranked(mc, inp, share, size_for, extra, use_fixed, candidates)
    qualifying = [row for row in ranked if row.qualifies]
    pick = qualifying[0] if qualifying else ranked[0]
    s, scaling = pick.shape, pick.scaling
    chosen = price(
        mc,
        inp,
        s,
        share,
        scaling,
        size_for=size_for,
        extra=extra,
        use_fixed=use_fixed,
        purchase=pick.purchase,
    )
    pinned = bool(mc.gpu and mc.gpus and mc.precision) or s.pinned
    warnings = list(found.warnings) + ([s.kv_note] if s.kv_note else []) + list(chosen.warnings)
    if not chosen.qualifies and candidates:  # what-ifs need the figures, not the words
        warnings.append(_not_qualifying(mc, inp, chosen, share, size_for, extra, pinned))
    listed = (
        _candidates(_with_others(mc, inp, share, size_for, extra, use_fixed, ranked), pick, chosen)
        if candidates
        else ()
    )
    return Choice(chosen, listed, found.too_small, pinned, tuple(warnings))


def _free(mc: ModelChoice) -> ModelChoice:
    """The same choice with nothing about the configuration pinned."""
    return mc._replace(gpu=None, gpus=None, precision=None, throughput=None, gpu_hourly=None)


def _with_others(
    mc: ModelChoice,
    inp: Inputs,
    share: float,
    size_for: str,
    extra: int,
    use_fixed: bool,
    ranked: list[Ranked],
) -> list[Ranked]:
    """The ranked configurations; where the profile pins GPU type, count and precision (one
    configuration), the others the search would have tried too, so the candidates list shows
    what each would cost."""
    if not (mc.gpu and mc.gpus and mc.precision):
        return ranked
    try:
        others = _ranked(_free(mc), inp, share, size_for, extra, use_fixed)
    except InputError:  # nothing else can hold the model: the pinned one alone
        return ranked
    seen = {_key(r) for r in ranked}
    merged = ranked + [r for r in others if _key(r) not in seen]
    merged.sort(key=_order)
    return merged


def _key(r: Ranked) -> tuple[str, int, str, str]:
    return (r.shape.gpu_id, r.shape.gpus, r.shape.precision, r.scaling)


def describe(d: Deployment) -> str:
    """'2 x h100-80gb at fp8, 3 replicas, autoscaled'."""
    scaled = "autoscaled" if d.sizing == "autoscale" else "fixed"
    replicas = f"{d.replicas} replica{'s' if d.replicas != 1 else ''}"
    return f"{d.gpus_per_replica} x {d.gpu} at {d.precision}, {replicas}, {scaled}"


def _not_qualifying(
    mc: ModelChoice,
    inp: Inputs,
    chosen: Deployment,
    share: float,
    size_for: str,
    extra: int,
    pinned: bool,
) -> str:
    what = "the configuration you pinned" if pinned else "no configuration qualifies; the cheapest"
    text = f"{what} ({describe(chosen)}) does not qualify: {chosen.reason}."
    free = _free(mc)
    if free == mc:
        return text + " Figures use it anyway."
    try:
        better = search(free, inp, share, size_for=size_for, extra=extra, candidates=False)
    except Exception:  # nothing else fits either: say what there is
        return text + " Figures use it as given."
    if not better.deployment.qualifies:
        return text + " No other configuration qualifies either; figures use it as given."
    b = better.deployment
    return (
        text + f" Figures use it as given; the cheapest that qualifies is {describe(b)}, "
        f"{money(b.compared_cost)}/month against {money(chosen.compared_cost)}."
    )


def _candidates(ranked: list[Ranked], pick: Ranked, chosen: Deployment) -> tuple[Candidate, ...]:
    """The chosen configuration and the next four by cost, each with why it lost."""
    base = chosen.compared_cost
    why_chosen = (
        "chosen: the cheapest that qualifies"
        if chosen.qualifies
        else (f"chosen, though it does not qualify: {chosen.reason}")
    )
    rows = [
        Candidate(
            chosen.gpu,
            chosen.gpus_per_replica,
            chosen.precision,
            chosen.sizing,
            chosen.replicas,
            chosen.compared_cost,
            chosen.qualifies,
            True,
            why_chosen,
            chosen.purchase,
        )
    ]
    for r in ranked:
        if len(rows) >= LISTED:
            break
        if _key(r) == _key(pick):
            continue
        if not r.qualifies:
            reason = f"excluded: {r.shape.excluded}"
        elif r.cost < base:
            reason = f"{money(base - r.cost)}/month cheaper, but the chosen one is pinned"
        else:
            more = r.cost - base
            reason = f"{money(more)}/month more (+{share(more / base)})" if base > 0 else "dearer"
        rows.append(
            Candidate(
                r.shape.gpu_id,
                r.shape.gpus,
                r.shape.precision,
                "autoscale" if r.scaling == "autoscale" else "peak",
                r.replicas,
                r.cost,
                r.qualifies,
                False,
                reason,
                r.purchase,
            )
        )
    return tuple(rows)
