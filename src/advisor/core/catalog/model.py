"""The catalog's entries: API prices, GPUs, open models and throughput presets, each dated
and sourced (loading and checking them: catalog/load.py).

Entries are named tuples: cheap to define at start-up, and free of pydantic, so a decision that
holds them can be handed to a face that has not imported pydantic. The annotations carry the
constraints (bounds.Bound); pydantic checks them when it validates a user catalog, and a test
checks the bundled one, which then loads without validation. Presets are keyed by (model,
gpu, gpus, precision).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, NamedTuple, TypeVar

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX, Bound
from advisor.core.errors import InputError
from advisor.core.text import quoted

# Every number has an upper bound too, so every figure computed from a catalog is finite
# (TOML reads 1e400 as infinity) and the bounds match what a profile may give instead.
Count = Annotated[int, Bound(ge=1, le=1_000_000_000)]
Efficiency = Annotated[float, Bound(gt=0.0, le=1.0)]
PricePerMTok = Annotated[float, Bound(ge=0.0, le=10_000.0)]  # as a profile's api prices
HourlyPrice = Annotated[float, Bound(gt=0.0, le=1000.0)]  # as self_host.gpu_hourly_price
Money = Annotated[float, Bound(ge=0.0, le=1e10)]  # as a profile's money
TokensPerS = Annotated[float, Bound(ge=0.1, le=1e8)]  # as self_host.throughput_tokens_per_s
Gpus = Annotated[int, Bound(ge=1, le=64)]  # as self_host.gpus
Bytes = Annotated[float, Bound(gt=0.0, le=16.0)]  # bytes a weight or a KV value takes
Teraflops = Annotated[float, Bound(ge=0.0, le=1e6)]


class Meta(NamedTuple):
    title: str
    as_of: date
    stale_after_days: Annotated[int, Bound(ge=1, le=36_500)] = 90


class Defaults(NamedTuple):
    api_model: str
    self_host_model: str
    gpu: str
    precision: str
    small_model: str
    small_gpu: str
    small_precision: str
    infra_overhead: Annotated[float, Bound(ge=0.0, le=10.0)]
    ops_monthly_cost: Money
    batch_size: Count
    prefill_efficiency: Efficiency
    decode_efficiency: Efficiency
    peak_to_average: dict[str, Annotated[float, Bound(ge=1.0, le=PEAK_TO_AVERAGE_MAX)]]
    source: str
    as_of: date
    notes: str = ""


class PrecisionSpec(NamedTuple):
    weight_bytes: Bytes
    kv_bytes: Bytes


class ApiModel(NamedTuple):
    name: str
    provider: str
    input_per_mtok: PricePerMTok
    output_per_mtok: PricePerMTok
    source: str
    as_of: date
    notes: str = ""


class Offer(NamedTuple):
    provider: str
    hourly_price: HourlyPrice
    source: str
    as_of: date
    notes: str = ""


class Gpu(NamedTuple):
    name: str
    memory_gb: Annotated[float, Bound(gt=0.0, le=100_000.0)]
    bandwidth_tb_s: Annotated[float, Bound(gt=0.0, le=10_000.0)]
    tflops_bf16: Annotated[float, Bound(gt=0.0, le=1e6)]
    hourly_price: HourlyPrice
    source: str
    as_of: date
    tflops_fp8: Teraflops = 0.0
    offers: list[Offer] = []  # noqa: RUF012 (never mutated)
    notes: str = ""

    def tflops(self, precision: str) -> float:
        """Dense TFLOP/s at a precision: FP8 rate where the GPU has one, else BF16."""
        if precision in ("fp8", "int8") and self.tflops_fp8 > 0:
            return self.tflops_fp8
        return self.tflops_bf16


class OpenModel(NamedTuple):
    name: str
    parameters_b: Annotated[float, Bound(gt=0.0, le=1e6)]
    layers: Annotated[int, Bound(ge=1, le=100_000)]
    kv_heads: Annotated[int, Bound(ge=1, le=100_000)]
    head_dim: Annotated[int, Bound(ge=1, le=100_000)]
    context_max: Count
    source: str
    as_of: date
    notes: str = ""


class Preset(NamedTuple):
    model: str
    gpu: str
    gpus: Gpus
    precision: str
    decode_tokens_per_s: TokensPerS
    prefill_tokens_per_s: TokensPerS
    batch_size: Count
    engine: str
    source: str
    as_of: date
    estimated: bool = False
    prefill_estimated: bool = False
    notes: str = ""


class SimplePreset(NamedTuple):
    name: str
    tokens_per_s: TokensPerS
    low: TokensPerS
    high: TokensPerS
    source: str
    as_of: date
    notes: str = ""


class Catalog(NamedTuple):
    meta: Meta
    defaults: Defaults
    precisions: dict[str, PrecisionSpec]
    api_models: dict[str, ApiModel]
    gpus: dict[str, Gpu]
    models: dict[str, OpenModel]
    presets: list[Preset]
    simple_presets: dict[str, SimplePreset] = {}  # noqa: RUF012 (never mutated)

    def api_model(self, model_id: str, field: str = "api.model") -> ApiModel:
        return _lookup(self.api_models, model_id, field, "API model")

    def gpu(self, gpu_id: str, field: str = "self_host.gpu") -> Gpu:
        return _lookup(self.gpus, gpu_id, field, "GPU")

    def open_model(self, model_id: str, field: str = "self_host.model") -> OpenModel:
        return _lookup(self.models, model_id, field, "open model")

    def precision(self, name: str, field: str = "self_host.precision") -> PrecisionSpec:
        return _lookup(self.precisions, name, field, "precision")

    def preset(self, model: str, gpu: str, gpus: int, precision: str) -> Preset | None:
        return _preset_index(self).get((model, gpu, gpus, precision))


T = TypeVar("T")
LISTED = 40  # catalog ids a message lists, at most


def _lookup(table: dict[str, T], key: str, field: str, what: str) -> T:
    try:
        return table[key]
    except KeyError:
        ids = sorted(table)
        allowed = ", ".join(quoted(i, 40)[1:-1] for i in ids[:LISTED])
        if len(ids) > LISTED:
            allowed += f" and {len(ids) - LISTED:,} more (`advisor catalog` lists them all)"
        raise InputError(
            "catalog", f"unknown {what} id {quoted(key)}.", field=field, allowed=allowed
        ) from None


_PRESET_INDEXES: dict[int, dict[tuple[str, str, int, str], Preset]] = {}


def _preset_index(catalog: Catalog) -> dict[tuple[str, str, int, str], Preset]:
    index = _PRESET_INDEXES.get(id(catalog))
    if index is None:
        index = {(p.model, p.gpu, p.gpus, p.precision): p for p in catalog.presets}
        _PRESET_INDEXES[id(catalog)] = index
    return index
