"""The replica shapes a self-hosted model could run as: every GPU type, GPU count and precision
the profile does not pin, with what each holds, serves and how fast it answers (DESIGN.md §6,
"Choosing the deployment").

A shape qualifies when its weights plus the KV cache of the sequences its throughput figure
assumes fit in the usable memory, and its time to first token at peak can meet the latency
target: p95 TTFT is taken as one request's prefill on an idle replica divided by the share of
time the replica is free (1 - busy), so a replica may run at most 1 - prefill/target busy at
peak, and never above the sizing headroom. Shapes depend on the workload's lengths and the
pins, not on volume or prices, so they are found once and reused by every what-if.
"""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.catalog.model import Catalog, Gpu, PrecisionSpec
from advisor.core.costs import throughput as tp
from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.memo import CatalogMemo
from advisor.core.costs.memory import Memory, fit
from advisor.core.errors import InputError
from advisor.core.fmt import number

GPU_COUNTS = (1, 2, 4, 8)
LOWEST_BUSY = 0.05  # a replica that must stay 95% idle to answer in time does not qualify
BATCH = 16  # requests at once below which a replica cannot batch (a figure of one's own)


class Shape(NamedTuple):
    gpu_id: str
    gpu: Gpu
    gpus: int
    precision: str
    spec: PrecisionSpec
    memory: Memory
    throughput: tp.Throughput
    request_seconds: float  # busy seconds of one replica per request
    first_token_seconds: float  # one request's prefill on an idle replica
    busy_max: float  # the highest busy share at peak: headroom, lower for a latency target
    excluded: str | None  # why it does not qualify, in words; None: it does
    pinned: bool  # the profile fixed this shape
    kv_note: str | None = None  # a KV-starved replica behind a throughput of one's own


def _latency(throughput: tp.Throughput, inp: Inputs) -> tuple[float, float, str | None]:
    first = throughput.first_token_seconds(inp.input_tokens)
    target = inp.p95_ms / 1000
    busy = min(inp.policy.headroom, 1 - first / target)
    if busy < LOWEST_BUSY:  # it cannot meet the target at any load: sized by headroom alone
        return (
            first,
            inp.policy.headroom,
            (
                f"prefill alone takes {first * 1000:,.0f} ms per request, over the "
                f"{inp.p95_ms:,.0f} ms time-to-first-token target"
            ),
        )
    return first, busy, None


def _memory_reason(memory: Memory, throughput: tp.Throughput, inp: Inputs) -> str | None:
    if throughput.decode_cap is None:
        return None
    return (
        f"KV-starved: the weights ({memory.weights_gb:,.0f} GB) leave {memory.room_gb:,.1f} GB, "
        f"room for {memory.sequences} request(s) of {inp.context_tokens:,.0f} tokens at once; "
        f"its throughput needs at least {throughput.sequences_needed}"
    )


def shape(mc: ModelChoice, inp: Inputs, gpu_id: str, gpus: int, precision: str) -> Shape:
    catalog = inp.catalog
    gpu, spec = catalog.gpu(gpu_id), catalog.precision(precision)
    memory = fit(mc.model, spec, gpu, gpus, inp.context_tokens, inp.policy.memory_fraction)
    if mc.throughput is not None:
        _check_simple(mc, inp, gpu_id, gpu, gpus, precision, spec)
        thr = tp.simple(mc.throughput, mc.throughput_scale)
    else:
        thr = tp.batched(
            catalog,
            mc.model_id,
            mc.model,
            gpu_id,
            gpu,
            gpus,
            precision,
            spec,
            memory,
            inp.input_tokens,
            inp.output_tokens,
            mc.throughput_scale,
        )
    first, busy, late = _latency(thr, inp)
    reason = None if mc.throughput is not None else _memory_reason(memory, thr, inp)
    pinned = mc.gpu == gpu_id and mc.gpus == gpus and mc.precision == precision
    note = None
    if mc.throughput is not None and 0 < memory.sequences < BATCH:
        note = _simple_kv_note(mc, inp, gpu_id, gpu, gpus, precision, spec, memory)
    return Shape(
        gpu_id,
        gpu,
        gpus,
        precision,
        spec,
        memory,
        thr,
        thr.request_seconds(inp.input_tokens, inp.output_tokens),
        first,
        max(busy, LOWEST_BUSY),
        reason or late,
        pinned,
        note,
    )


def _simple_kv_note(
    mc: ModelChoice,
    inp: Inputs,
    gpu_id: str,
    gpu: Gpu,
    gpus: int,
    precision: str,
    spec: PrecisionSpec,
    memory: Memory,
) -> str:
    """What a KV-starved replica means for a throughput figure of one's own."""
    roomy = next(
        (
            n
            for n in GPU_COUNTS
            if fit(mc.model, spec, gpu, n, inp.context_tokens, inp.policy.memory_fraction).sequences
            >= BATCH
        ),
        None,
    )
    text = (
        f"{gpus} x {gpu_id} holds {mc.model_id} at {precision} ({memory.weights_gb:,.1f} GB "
        f"of weights in {memory.usable_gb:,.1f} GB usable) with {memory.room_gb:,.1f} GB left "
        f"for the KV cache: {memory.sequences} request(s) of {inp.context_tokens:,.0f} tokens "
        "at once, too few to batch. The throughput you gave is used as is: check it was "
        "measured this way."
    )
    if roomy is not None:
        text += f" The smallest size with room for {BATCH} at once is {roomy} x {gpu_id}."
    return text


def _check_simple(
    mc: ModelChoice,
    inp: Inputs,
    gpu_id: str,
    gpu: Gpu,
    gpus: int,
    precision: str,
    spec: PrecisionSpec,
) -> None:
    """A throughput of one's own above what the GPUs can compute is a typo or a figure from
    another model: refused, with the bound and how it is computed."""
    assert mc.throughput is not None
    figure = mc.throughput * mc.throughput_scale
    bound = tp.bounds(mc.model, spec, gpu, gpus, precision).compute
    if figure > bound * (1 + 1e-9):
        raise InputError(
            "profile",
            f"{figure:,.0f} tokens/s is more than {gpus} x {gpu_id} can compute for "
            f"{mc.model_id} at {precision}: at most {bound:,.0f} tokens/s ({gpus} GPU(s) x "
            f"{gpu.tflops(precision):,.0f} TFLOP/s dense / (2 x {number(mc.model.parameters_b)} B "
            "parameters) FLOPs per token).",
            field="self_host.throughput_tokens_per_s",
            allowed=f"at most {bound:,.0f}: the aggregate tokens/s your serving engine measured "
            "on this replica",
        )


def _smallest_holding(mc: ModelChoice, inp: Inputs, gpu_id: str, precision: str) -> int:
    gpu, spec = inp.catalog.gpu(gpu_id), inp.catalog.precision(precision)
    for n in GPU_COUNTS:
        if fit(
            mc.model, spec, gpu, n, inp.context_tokens, inp.policy.memory_fraction
        ).holds_weights:
            return n
    what = f"{mc.model_id} at {precision}"
    m = fit(mc.model, spec, gpu, 8, inp.context_tokens, inp.policy.memory_fraction)
    raise InputError(
        "profile",
        f"{what} does not fit even on 8 x {gpu_id}: weights {m.weights_gb:,.1f} GB plus "
        f"{m.kv_per_sequence_gb:,.2f} GB of KV cache per request of {inp.context_tokens:,.0f} "
        f"tokens exceed {m.usable_gb:,.1f} GB usable.",
        field="self_host.gpu",
        allowed="a GPU with more memory, a lower precision (fp8, int4) or a smaller model",
    )


class Shapes(NamedTuple):
    """Every shape that holds the model's weights, and what did not."""

    shapes: tuple[Shape, ...]
    too_small: int  # combinations that cannot hold the weights at all
    warnings: tuple[str, ...]
    undominated: tuple[Shape, ...]  # those no other shape beats at every load and price


def _terms(gpu: Gpu, catalog: Catalog) -> tuple[float, ...] | None:
    """The share each way of buying takes off this GPU's on-demand price; None where it can
    be bought outright (then it is like no other GPU)."""
    if gpu.purchase_price is not None:
        return None
    return tuple(terms.for_provider(gpu.provider)[0] for terms in catalog.purchase.values())


def _dominates(a: Shape, b: Shape, terms: dict[str, tuple[float, ...] | None]) -> bool:
    """`a` is never dearer than `b`, whatever the load, a uniform change of GPU prices or the
    way GPU time is bought: it qualifies if `b` does, costs no more per replica-hour, serves a
    request in no more replica-time, may run as busy, and has no more GPUs per replica (ops
    steps count GPUs); across GPU types, only where every way of buying treats them alike
    (`terms`, by GPU type: see _terms) and neither is pinned."""
    if a is b or (a.excluded is not None and b.excluded is None):
        return False
    if not (
        a.gpu.hourly_price * a.gpus <= b.gpu.hourly_price * b.gpus
        and a.request_seconds <= b.request_seconds
        and a.busy_max >= b.busy_max
        and a.gpus <= b.gpus
    ):
        return False
    if a.gpu_id == b.gpu_id:
        return True
    alike = terms[a.gpu_id] is not None and terms[a.gpu_id] == terms[b.gpu_id]
    return alike and not (a.pinned or b.pinned)


def undominated(shapes: tuple[Shape, ...], catalog: Catalog) -> tuple[Shape, ...]:
    terms = {s.gpu_id: _terms(s.gpu, catalog) for s in shapes}
    kept = [b for b in shapes if not any(_dominates(a, b, terms) for a in shapes)]
    return tuple(kept) if kept else shapes


_CACHE: CatalogMemo[Shapes] = CatalogMemo()


def shapes_for(mc: ModelChoice, inp: Inputs) -> Shapes:
    """The shapes to search (cached: they do not depend on volume, prices or traffic)."""
    p = inp.policy
    key = (
        mc.model_id,
        mc.gpu,
        mc.gpus,
        mc.precision,
        mc.precisions,
        mc.throughput,
        mc.throughput_scale,
        inp.input_tokens,
        inp.output_tokens,
        inp.p95_ms,
        p.headroom,
        p.memory_fraction,
    )
    return _CACHE.get(inp.catalog, key, lambda: _build(mc, inp))


def _build(mc: ModelChoice, inp: Inputs) -> Shapes:
    catalog = inp.catalog
    gpus_types = [mc.gpu] if mc.gpu else sorted(catalog.gpus)
    warnings: list[str] = []
    out: list[Shape] = []
    too_small = 0
    for gpu_id in gpus_types:
        gpu = catalog.gpu(gpu_id)
        precisions = [mc.precision] if mc.precision else [p for p in mc.precisions if gpu.runs(p)]
        for precision in precisions:
            counts: tuple[int, ...] = (mc.gpus,) if mc.gpus else GPU_COUNTS
            if mc.simple and not mc.gpus:  # one's own figure is for one replica shape
                counts = (_smallest_holding(mc, inp, gpu_id, precision),)
            if mc.gpus and mc.gpu and mc.precision:  # all pinned: it must hold the weights
                spec = catalog.precision(precision)
                held = fit(
                    mc.model, spec, gpu, mc.gpus, inp.context_tokens, inp.policy.memory_fraction
                ).holds_weights
                if not held:
                    smallest = _smallest_holding(mc, inp, gpu_id, precision)
                    warnings.append(
                        f"{mc.gpus} x {gpu_id} cannot hold {mc.model_id} at {precision} and a "
                        f"request of {inp.context_tokens:,.0f} tokens: figures use {smallest} "
                        "GPUs per replica."
                    )
                    counts = (smallest,)
            for n in counts:
                s = shape(mc, inp, gpu_id, n, precision)
                if s.memory.holds_weights:
                    out.append(s._replace(pinned=s.pinned or bool(warnings)))
                else:
                    too_small += 1
    if not out:
        if mc.gpu and mc.precision:
            _smallest_holding(mc, inp, mc.gpu, mc.precision)  # raises, naming what to change
        raise InputError(
            "profile",
            f"{mc.model_id} does not fit on any GPU the search may use for requests of "
            f"{inp.context_tokens:,.0f} tokens.",
            field="self_host.gpu",
            allowed="another GPU, precision or model",
        )
    return Shapes(tuple(out), too_small, tuple(warnings), undominated(tuple(out), inp.catalog))
