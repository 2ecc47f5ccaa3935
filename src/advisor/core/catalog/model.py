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
Share = Annotated[float, Bound(ge=0.0, le=1.0)]
Price = Annotated[float, Bound(ge=0.0, le=10_000.0)]  # $ per million tokens: finite, bounded
HourlyPrice = Annotated[float, Bound(gt=0.0, le=1000.0)]  # as self_host.gpu_hourly_price
Money = Annotated[float, Bound(ge=0.0, le=1e10)]  # as a profile's money
Gpus = Annotated[int, Bound(ge=1, le=64)]  # as self_host.gpus
Bytes = Annotated[float, Bound(gt=0.0, le=16.0)]  # bytes a weight or a KV value takes
Teraflops = Annotated[float, Bound(ge=0.0, le=1e6)]
Positive = Annotated[float, Bound(gt=0.0, le=1e12)]  # finite: TOML reads 1e400 as infinity


class Meta(NamedTuple):
    title: str
    as_of: date
    stale_after_days: Annotated[int, Bound(ge=1, le=36_500)] = 90


class Defaults(NamedTuple):
    api_model: str
    self_host_model: str
    gpu: str  # the GPU type of a simple-mode throughput or a GPU price (see catalog.toml)
    precision: str
    precisions: list[str]  # what the deployment search may use
    small_model: str
    infra_overhead: Annotated[float, Bound(ge=0.0, le=10.0)]
    ops_monthly_cost: Money
    peak_to_average: dict[str, Annotated[float, Bound(ge=1.0, le=PEAK_TO_AVERAGE_MAX)]]
    source: str
    as_of: date
    notes: str = ""


class PrecisionSpec(NamedTuple):
    weight_bytes: Bytes
    kv_bytes: Bytes


class PriceTier(NamedTuple):
    """A long-context price: every token of a request whose input (cached included) exceeds
    `above_input_tokens` is billed at these prices (cliff pricing, not marginal)."""

    above_input_tokens: Count
    input_per_mtok: Price
    output_per_mtok: Price
    cached_input_per_mtok: Price | None = None


class PriceChange(NamedTuple):
    """A price in force from `since` until the next one (a model's history, oldest first; the
    last is the current price)."""

    since: date
    input_per_mtok: Price
    output_per_mtok: Price
    cached_input_per_mtok: Price | None = None


class ApiModel(NamedTuple):
    name: str
    provider: str
    input_per_mtok: Price
    output_per_mtok: Price
    source: str
    as_of: date
    notes: str = ""
    cached_input_per_mtok: Price | None = None  # prompt-cache reads; None: no cache price
    batch_discount: Annotated[float, Bound(ge=0.0, lt=1.0)] | None = None  # share off
    tiers: list[PriceTier] = []  # noqa: RUF012 (never mutated)
    open_model: str | None = None  # a hosted open model: its open-model id
    retired: bool | date = False  # no longer sold (a date: since when)
    successor: str | None = None  # the model to move to, for a retired one
    history: list[PriceChange] = []  # noqa: RUF012 (never mutated); the last is current

    def price_on(self, day: date) -> tuple[float, float, float | None]:
        """(input, output, cached input) $ per M tokens in force on `day`: the last change on
        or before it; before the first known change, the earliest known price; with no
        history, the current price."""
        if not self.history:
            return self.input_per_mtok, self.output_per_mtok, self.cached_input_per_mtok
        ordered = sorted(self.history, key=lambda c: c.since)
        found = ordered[0]
        for change in ordered:
            if change.since <= day:
                found = change
        return found.input_per_mtok, found.output_per_mtok, found.cached_input_per_mtok


class Offer(NamedTuple):
    provider: str
    hourly_price: HourlyPrice
    source: str
    as_of: date
    notes: str = ""


class PurchaseOffer(NamedTuple):
    """A provider's own discount for one way of buying GPU time."""

    provider: str
    discount: Share
    source: str
    as_of: date
    notes: str = ""


class Purchase(NamedTuple):
    """One way of buying GPU time other than on demand: a discount off the on-demand price
    (a provider's own where the catalog has it), and what it commits to. Spot is billed at
    its discount for the hours it runs and on demand for the `reclaimed_share` of hours the
    provider takes it back (the fallback)."""

    months: Annotated[int, Bound(ge=0, le=120)]  # the commitment; 0: none
    discount: Share
    source: str
    as_of: date
    reclaimed_share: Share = 0.0
    offers: list[PurchaseOffer] = []  # noqa: RUF012 (never mutated)
    notes: str = ""

    def for_provider(self, provider: str) -> tuple[float, str, date]:
        """(discount, source, as of) for a provider: its own offer, else the default."""
        for offer in self.offers:
            if offer.provider == provider:
                return offer.discount, offer.source, offer.as_of
        return self.discount, self.source, self.as_of


class Owned(NamedTuple):
    """Defaults for owned hardware (a profile may give its own)."""

    amortisation_months: Annotated[int, Bound(ge=1, le=120)]
    electricity_per_kwh: Annotated[float, Bound(ge=0.0, le=10.0)]
    pue: Annotated[float, Bound(ge=1.0, le=3.0)]
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
    arch: str = ""  # ampere, hopper, ada: estimates borrow efficiencies within an architecture
    provider: str = ""  # whose on-demand price `hourly_price` is (for its reserved discount)
    purchase_price: Positive | None = None  # $ per GPU, bought (None: not known)
    power_kw: Positive | None = None  # per GPU, with its share of the server
    purchase_source: str = ""
    purchase_as_of: date | None = None

    def tflops(self, precision: str) -> float:
        """Dense TFLOP/s at a precision: FP8 rate where the GPU has one, else BF16."""
        if precision in ("fp8", "int8") and self.tflops_fp8 > 0:
            return self.tflops_fp8
        return self.tflops_bf16

    def runs(self, precision: str) -> bool:
        """Runs this precision natively: FP8 needs FP8 tensor cores (Hopper, Ada or newer);
        INT8 and INT4 (weight-only) and FP16 run on every GPU in the catalog."""
        return precision != "fp8" or self.tflops_fp8 > 0


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
    """Measured aggregate throughput of one replica (presets.toml, scripts/build_presets.py):
    a request of I input and O output tokens keeps it busy I/P + O/D0 + O x (I + O/2)/K s."""

    model: str
    gpu: str
    gpus: Gpus
    precision: str
    prefill_tokens_per_s: Positive  # P
    decode_tokens_per_s: Positive  # D0: decode with no context
    decode_context_rate: Positive  # K: context tokens x output tokens per second
    engine: str
    lengths: str  # the input/output lengths measured
    concurrency: str  # how many requests the figures kept in flight
    fit: str  # how closely the three figures reproduce every measurement
    source: str
    source_url: str
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
    purchase: dict[str, Purchase] = {}  # noqa: RUF012 (never mutated): reserved_1y, ...
    owned: Owned | None = None

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
