"""The catalog: API prices, GPUs, open models and throughput presets, each dated and sourced.

Bundled as `advisor/data/catalog.toml`; a user catalog file (same format, any subset of
entries) overrides or adds entries by id. Presets are keyed by (model, gpu, gpus, precision).
"""

from __future__ import annotations

import os
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import Field

from advisor.core import data
from advisor.core.errors import InputError
from advisor.core.profile import PEAK_TO_AVERAGE_MAX
from advisor.core.tomlfile import read_toml

# Entries are named tuples: cheap to define at start-up (a pydantic model class costs ~5 ms to
# build). The annotations carry the constraints; pydantic checks them (validate_catalog) for
# a user catalog, and a test checks the bundled one, which then loads without validation.
Positive = Annotated[float, Field(gt=0.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Count = Annotated[int, Field(ge=1)]
Efficiency = Annotated[float, Field(gt=0.0, le=1.0)]


class Meta(NamedTuple):
    title: str
    as_of: date
    stale_after_days: Count = 90


class Defaults(NamedTuple):
    api_model: str
    self_host_model: str
    gpu: str
    precision: str
    small_model: str
    small_gpu: str
    small_precision: str
    infra_overhead: NonNegative
    ops_monthly_cost: NonNegative
    batch_size: Count
    prefill_efficiency: Efficiency
    decode_efficiency: Efficiency
    peak_to_average: dict[str, Annotated[float, Field(ge=1.0, le=PEAK_TO_AVERAGE_MAX)]]
    source: str
    as_of: date
    notes: str = ""


class PrecisionSpec(NamedTuple):
    weight_bytes: Positive
    kv_bytes: Positive


class ApiModel(NamedTuple):
    name: str
    provider: str
    input_per_mtok: NonNegative
    output_per_mtok: NonNegative
    source: str
    as_of: date
    notes: str = ""


class Offer(NamedTuple):
    provider: str
    hourly_price: Positive
    source: str
    as_of: date
    notes: str = ""


class Gpu(NamedTuple):
    name: str
    memory_gb: Positive
    bandwidth_tb_s: Positive
    tflops_bf16: Positive
    hourly_price: Positive
    source: str
    as_of: date
    tflops_fp8: NonNegative = 0.0
    offers: list[Offer] = []  # noqa: RUF012 (never mutated)
    notes: str = ""

    def tflops(self, precision: str) -> float:
        """Dense TFLOP/s at a precision: FP8 rate where the GPU has one, else BF16."""
        if precision in ("fp8", "int8") and self.tflops_fp8 > 0:
            return self.tflops_fp8
        return self.tflops_bf16


class OpenModel(NamedTuple):
    name: str
    parameters_b: Positive
    layers: Count
    kv_heads: Count
    head_dim: Count
    context_max: Count
    source: str
    as_of: date
    notes: str = ""


class Preset(NamedTuple):
    model: str
    gpu: str
    gpus: Count
    precision: str
    decode_tokens_per_s: Positive
    prefill_tokens_per_s: Positive
    batch_size: Count
    engine: str
    source: str
    as_of: date
    estimated: bool = False
    prefill_estimated: bool = False
    notes: str = ""


class SimplePreset(NamedTuple):
    name: str
    tokens_per_s: Positive
    low: Positive
    high: Positive
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


def _lookup(table: dict[str, T], key: str, field: str, what: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise InputError(
            "catalog", f"unknown {what} id {key!r}.", field=field, allowed=", ".join(sorted(table))
        ) from None


_PRESET_INDEXES: dict[int, dict[tuple[str, str, int, str], Preset]] = {}


def _preset_index(catalog: Catalog) -> dict[tuple[str, str, int, str], Preset]:
    index = _PRESET_INDEXES.get(id(catalog))
    if index is None:
        index = {(p.model, p.gpu, p.gpus, p.precision): p for p in catalog.presets}
        _PRESET_INDEXES[id(catalog)] = index
    return index


def user_catalog_path() -> Path | None:
    """ADVISOR_CATALOG, else $XDG_CONFIG_HOME/advisor/catalog.toml when it exists."""
    explicit = os.environ.get("ADVISOR_CATALOG")
    if explicit:
        return Path(explicit)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    candidate = base / "advisor" / "catalog.toml"
    return candidate if candidate.is_file() else None


def _merge_raw(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if key == "presets" and isinstance(value, list):

            def ident(p: Any) -> Any:
                return tuple(p.get(k) for k in ("model", "gpu", "gpus", "precision"))

            keep = {ident(p): p for p in base.get("presets", [])}
            keep.update({ident(p): p for p in value if isinstance(p, dict)})
            merged[key] = list(keep.values())
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


def bundled_catalog_text() -> str:
    return data.read_text("catalog.toml")


def construct(raw: dict[str, Any]) -> Catalog:
    """Build a catalog from trusted, already-valid data (the bundled file), without checks."""

    def table(kind: Any, entries: dict[str, Any]) -> dict[str, Any]:
        return {key: kind(**value) for key, value in entries.items()}

    gpus = {
        key: Gpu(**{**value, "offers": [Offer(**o) for o in value.get("offers", [])]})
        for key, value in raw["gpus"].items()
    }
    return Catalog(
        meta=Meta(**raw["meta"]),
        defaults=Defaults(**raw["defaults"]),
        precisions=table(PrecisionSpec, raw["precisions"]),
        api_models=table(ApiModel, raw["api_models"]),
        gpus=gpus,
        models=table(OpenModel, raw["models"]),
        presets=[Preset(**p) for p in raw["presets"]],
        simple_presets=table(SimplePreset, raw.get("simple_presets", {})),
    )


def validate_catalog(raw: dict[str, Any], file: str, text: str | None = None) -> Catalog:
    """Check catalog data against every constraint; errors name the file, field and line."""
    from pydantic import ConfigDict, TypeAdapter, ValidationError

    from advisor.core.validation import to_input_errors

    adapter = TypeAdapter(Catalog, config=ConfigDict(strict=True))
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        raise to_input_errors(exc, file, text, Catalog) from None


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "advisor"


def bundled_raw() -> dict[str, Any]:
    """The bundled catalog's data. Parsing 900 lines of TOML costs ~12 ms of every start-up,
    so the parsed data is kept in the user's cache folder, keyed by the file's size and mtime;
    any trouble with the cache falls back to parsing."""
    import pickle
    import tomllib

    source = data.DATA / "catalog.toml"
    stat = source.stat()
    cached = _cache_dir() / f"catalog-{stat.st_size}-{stat.st_mtime_ns}.pickle"
    try:
        raw: dict[str, Any] = pickle.loads(cached.read_bytes())
        return raw
    except Exception:  # missing, unreadable or stale cache: parse instead
        pass
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    try:
        from advisor.core.atomic import atomic_write_bytes

        cached.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(cached, pickle.dumps(raw), mode=0o600)
    except OSError:
        pass
    return raw


@cache
def load_catalog(user_path: Path | None = None) -> Catalog:
    """The bundled catalog, with the user catalog's entries laid over it (and checked)."""
    raw = bundled_raw()
    if user_path is None:
        return construct(raw)
    extra, text = read_toml(user_path)
    return validate_catalog(_merge_raw(raw, extra), str(user_path), text)


def default_catalog() -> Catalog:
    """The catalog the program uses: bundled plus the user's, if any."""
    return load_catalog(user_catalog_path())
