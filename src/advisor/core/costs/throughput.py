"""What one replica serves: measured presets, estimates from the physical bounds, or the
profile's own figure (simple mode). DESIGN.md §2 "Throughput", §6 "Throughput".

A request of I input and O output tokens keeps a replica busy for
    I / P  +  O / D0  +  O x (I + O/2) / K     seconds
(prefill at P tokens/s; decode at D0 tokens/s with no context, slowed by the KV cache each
sequence reads: K). Presets give P, D0 and K from measurements (scripts/build_presets.py).
Where no measurement exists, each is the physical bound times the efficiency the nearest
measured neighbour reaches, marked estimated. Decode is never faster than the sequences that
fit in memory can go (each reads the weights once per step): a replica short of KV cache is
capped there.
"""

from __future__ import annotations

import math
from datetime import date
from typing import NamedTuple

from advisor.core.catalog.model import Catalog, Gpu, OpenModel, PrecisionSpec, Preset
from advisor.core.costs.memo import CatalogMemo
from advisor.core.costs.memory import Memory, kv_per_token_bytes, weights_gb
from advisor.core.fmt import share


class Bounds(NamedTuple):
    """Physical limits of one replica (figures.md "Physical bounds")."""

    compute: float  # tokens/s: GPUs x dense FLOP/s at the precision / (2 x parameters)
    kv_read: float  # context-tokens x output tokens/s: GPUs x bandwidth / KV bytes per token
    per_sequence: float  # decode tokens/s of one sequence: GPUs x bandwidth / weight bytes


def bounds(model: OpenModel, spec: PrecisionSpec, gpu: Gpu, gpus: int, precision: str) -> Bounds:
    compute = gpus * gpu.tflops(precision) * 1e12 / (2 * model.parameters_b * 1e9)
    bandwidth = gpus * gpu.bandwidth_tb_s * 1e12
    return Bounds(
        compute,
        bandwidth / kv_per_token_bytes(model, spec),
        bandwidth / (weights_gb(model, spec) * 1e9),
    )


class Throughput(NamedTuple):
    mode: str  # "measured" | "estimated" | "simple"
    prefill: float | None  # P, tokens/s
    decode: float | None  # D0, tokens/s at no context
    context_rate: float | None  # K
    aggregate: float | None  # simple mode: all tokens/s
    decode_cap: float | None  # tokens/s the sequences that fit can decode at most
    sequences_needed: int  # in flight to reach the figure at this context (lower bound)
    source: str
    as_of: date | None
    engine: str
    notes: str

    def request_seconds(self, input_tokens: float, output_tokens: float) -> float:
        """Busy seconds of one replica per request (at saturation)."""
        if self.aggregate is not None:
            return (input_tokens + output_tokens) / self.aggregate
        assert self.prefill and self.decode and self.context_rate
        context = input_tokens + output_tokens / 2
        decode = 1 / (1 / self.decode + context / self.context_rate)
        if self.decode_cap is not None:
            decode = min(decode, self.decode_cap)
        if decode <= 0:  # not even one sequence fits: it serves nothing
            return math.inf
        return input_tokens / self.prefill + output_tokens / decode

    def tokens_per_s(self, input_tokens: float, output_tokens: float) -> float:
        """Tokens per second one replica serves at 100% busy, for this in/out mix."""
        seconds = self.request_seconds(input_tokens, output_tokens)
        return (input_tokens + output_tokens) / seconds if 0 < seconds < math.inf else 0.0

    def first_token_seconds(self, input_tokens: float) -> float:
        """One request's prefill on an otherwise idle replica."""
        rate = self.aggregate if self.aggregate is not None else self.prefill
        assert rate
        return input_tokens / rate


def _distance(
    p: Preset, catalog: Catalog, model: OpenModel, gpu_id: str, gpus: int, precision: str
) -> float:
    params = catalog.models[p.model].parameters_b
    gpu, theirs = catalog.gpus[gpu_id], catalog.gpus[p.gpu]
    d = 2 * abs(math.log(model.parameters_b / params))
    d += 0.0 if p.gpu == gpu_id else 0.5 if gpu.arch and gpu.arch == theirs.arch else 1.0
    d += 0.5 * abs(math.log2(gpus / p.gpus))
    return d + (0.0 if p.precision == precision else 0.5)


def nearest(
    catalog: Catalog, model: OpenModel, gpu_id: str, gpus: int, precision: str
) -> Preset | None:
    """The measured preset most like this combination (model size first, then GPU type and
    architecture, GPU count and precision; the newest on a tie)."""
    usable = [p for p in catalog.presets if p.model in catalog.models and p.gpu in catalog.gpus]
    if not usable or gpu_id not in catalog.gpus:
        return None
    return min(
        usable,
        key=lambda p: (
            round(_distance(p, catalog, model, gpu_id, gpus, precision), 9),
            -p.as_of.toordinal(),
            (p.model, p.gpu, p.gpus, p.precision),
        ),
    )


def _efficiencies(p: Preset, catalog: Catalog) -> tuple[float, float, float]:
    b = bounds(
        catalog.models[p.model],
        catalog.precisions[p.precision],
        catalog.gpus[p.gpu],
        p.gpus,
        p.precision,
    )
    return (
        p.prefill_tokens_per_s / b.compute,
        p.decode_tokens_per_s / b.compute,
        (p.decode_context_rate / b.kv_read),
    )


class _Rates(NamedTuple):
    """A replica's rates before the request's lengths: measured, or estimated."""

    prefill: float
    decode: float
    context_rate: float
    mode: str
    source: str
    engine: str
    as_of: date | None
    notes: str


_RATES: CatalogMemo[_Rates] = CatalogMemo()


def _rates(
    catalog: Catalog, model_id: str, model: OpenModel, gpu_id: str, gpus: int, precision: str
) -> _Rates:
    """The preset for this replica, or an estimate from its bounds and the nearest measured
    preset (memoised by `batched`: the same replica is asked for at every request length)."""
    preset = catalog.preset(model_id, gpu_id, gpus, precision)
    if preset is not None:
        notes = f"{preset.lengths}; {preset.concurrency}; {preset.fit}"
        return _Rates(
            preset.prefill_tokens_per_s,
            preset.decode_tokens_per_s,
            preset.decode_context_rate,
            "measured",
            preset.source,
            preset.engine,
            preset.as_of,
            notes,
        )
    b = bounds(model, catalog.precision(precision), catalog.gpu(gpu_id), gpus, precision)
    near = nearest(catalog, model, gpu_id, gpus, precision)
    if near is None:  # an empty catalog of presets: textbook efficiencies
        e_p, e_d, e_k = 0.5, 0.4, 0.35
        what = "no measured preset at all"
    else:
        e_p, e_d, e_k = _efficiencies(near, catalog)
        what = f"{near.model} on {near.gpus} x {near.gpu} at {near.precision} ({near.engine})"
    notes = (
        f"prefill {share(e_p)} and decode {share(e_d)} of the compute bound ({b.compute:,.0f} "
        f"tok/s), context reads {share(e_k)} of the memory bound, as measured for {what}"
    )
    return _Rates(
        e_p * b.compute,
        e_d * b.compute,
        e_k * b.kv_read,
        "estimated",
        f"estimated from the physical bounds and {what}",
        "",
        near.as_of if near else None,
        notes,
    )


def batched(
    catalog: Catalog,
    model_id: str,
    model: OpenModel,
    gpu_id: str,
    gpu: Gpu,
    gpus: int,
    precision: str,
    spec: PrecisionSpec,
    memory: Memory,
    input_tokens: float,
    output_tokens: float,
    scale: float = 1.0,
) -> Throughput:
    """The preset for this replica, or an estimate from its bounds, capped by its memory."""
    b = bounds(model, spec, gpu, gpus, precision)
    key = (model_id, model, gpu_id, gpus, precision)
    r = _RATES.get(catalog, key, lambda: _rates(catalog, model_id, model, gpu_id, gpus, precision))
    p, d0, k = r.prefill, r.decode, r.context_rate
    mode, source, engine, as_of, notes = r.mode, r.source, r.engine, r.as_of, r.notes
    p, d0, k = p * scale, d0 * scale, k * scale
    context = input_tokens + output_tokens / 2
    decode = 1 / (1 / d0 + context / k)
    needed = max(1, math.ceil(decode / b.per_sequence - 1e-9))
    cap = memory.sequences * b.per_sequence if memory.sequences < needed else None
    return Throughput(mode, p, d0, k, None, cap, needed, source, as_of, engine, notes)


def simple(tokens_per_s: float, scale: float = 1.0) -> Throughput:
    return Throughput(
        mode="simple",
        prefill=None,
        decode=None,
        context_rate=None,
        aggregate=tokens_per_s * scale,
        decode_cap=None,
        sequences_needed=1,
        source="given in the profile (aggregate, all tokens)",
        as_of=None,
        engine="",
        notes="",
    )
