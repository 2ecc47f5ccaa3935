"""What would flip the verdict among the deployment's own levers: GPU type, precision, GPUs
per replica, scaling and the way GPU time is bought. Each is tried the way a capacity planner
would ("what if we ran it on H100s?"): that one dimension pinned to each other value, the rest
searched again."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from advisor.core.costs.deployment import Deployment
from advisor.core.costs.economics import compute
from advisor.core.costs.inputs import ALL_PURCHASES, Inputs, ModelChoice
from advisor.core.costs.purchase import FIXED_ONLY
from advisor.core.costs.shapes import GPU_COUNTS
from advisor.core.decision.verdict import decide_verdict
from advisor.core.errors import InputError
from advisor.core.rules import evaluate_rules


class ChoiceFlip(NamedTuple):
    lever: str  # "gpu" | "precision" | "gpus_per_replica" | "scaling" | "purchase"
    label: str
    current: str  # as chosen (or pinned)
    pinned: bool
    flips: bool
    alternative: str | None  # the value that flips the verdict (the cheapest such), if any
    flip_to: str | None
    deployment: str | None  # what the search then runs, in words
    fixed_by: str | None = None


LEVERS: tuple[tuple[str, str], ...] = (
    ("gpu", "GPU type"),
    ("precision", "precision"),
    ("gpus_per_replica", "GPUs per replica"),
    ("scaling", "scaling"),
    ("purchase", "way of buying GPUs"),
)


def _options(inp: Inputs, lever: str, d: Deployment) -> tuple[tuple[str, ModelChoice], ...]:
    mc = inp.main
    if mc.simple and lever != "scaling":  # one's own throughput is for one configuration
        return ()
    pin: Callable[..., ModelChoice] = mc._replace
    if lever == "gpu":
        return tuple(
            (g, pin(gpu=g, gpu_hourly=None)) for g in sorted(inp.catalog.gpus) if g != d.gpu
        )
    if lever == "precision":
        values = sorted(set(mc.precisions) | {d.precision})
        return tuple((p, pin(precision=p, precisions=(p,))) for p in values if p != d.precision)
    if lever == "gpus_per_replica":
        return tuple((str(n), pin(gpus=n)) for n in GPU_COUNTS if n != d.gpus_per_replica)
    if lever == "purchase":
        others = (p for p in ALL_PURCHASES if p != d.purchase)
        scaling = None if mc.scaling == "autoscale" else mc.scaling
        return tuple(
            (p, pin(purchase=p, scaling="fixed" if p in FIXED_ONLY else scaling))
            for p in others
            if not (p in FIXED_ONLY and mc.scaling == "autoscale")
        )
    if mc.replicas is not None or mc.utilization is not None:
        return ()
    current = "autoscale" if d.sizing == "autoscale" else "fixed"
    return tuple((s, pin(scaling=s)) for s in ("fixed", "autoscale") if s != current)


def _current(lever: str, d: Deployment) -> str:
    return {
        "gpu": d.gpu,
        "precision": d.precision,
        "gpus_per_replica": str(d.gpus_per_replica),
        "scaling": "autoscale" if d.sizing == "autoscale" else "fixed",
        "purchase": d.purchase,
    }[lever]


def _pinned(inp: Inputs, lever: str) -> bool:
    mc = inp.main
    value = {
        "gpu": mc.gpu,
        "precision": mc.precision,
        "gpus_per_replica": mc.gpus,
        "scaling": mc.scaling,
        "purchase": mc.purchase,
    }[lever]
    return value is not None


def deployment_flips(
    inp: Inputs, chosen: Deployment, base_verdict: str, fixed_by: str | None
) -> tuple[ChoiceFlip, ...]:
    from advisor.core.costs.search import describe

    out: list[ChoiceFlip] = []
    for lever, label in LEVERS:
        found: tuple[float, str, str, str] | None = None
        if fixed_by is None:
            for value, mc in _options(inp, lever, chosen):
                what_if = inp._replace(main=mc)
                try:
                    e = compute(what_if, full=False)
                except InputError:
                    continue  # it cannot hold the model, say: not a way to run it
                verdict = decide_verdict(what_if, e, evaluate_rules(what_if, e)).verdict
                if verdict != base_verdict:
                    cost = e.self_host.compared_cost
                    if found is None or cost < found[0]:
                        found = (cost, value, verdict, describe(e.self_host))
        out.append(
            ChoiceFlip(
                lever=lever,
                label=label,
                current=_current(lever, chosen),
                pinned=_pinned(inp, lever),
                flips=found is not None,
                alternative=found[1] if found else None,
                flip_to=found[2] if found else None,
                deployment=found[3] if found else None,
                fixed_by=fixed_by,
            )
        )
    return tuple(out)
