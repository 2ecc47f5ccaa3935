"""The profile: everything a user answers, as pydantic models (schema_version 2).

Field names are the file-format contract (DESIGN.md section 4). Unknown keys are errors;
wrong types are errors (strict mode: "10000" is not a number). Optional keys left as None
take their value from the bundled catalog or policy defaults when a decision is made.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX
from advisor.core.profile.version import SCHEMA_VERSION


def _none_below_a_billionth(share: float) -> float:
    """A share under one in a billion is none (5e-324 of the requests would make a cost per
    served token overflow)."""
    return 0.0 if share < 1e-9 else share


Share = Annotated[float, Field(ge=0.0, le=1.0), AfterValidator(_none_below_a_billionth)]
Money = Annotated[float, Field(ge=0.0, le=1e10)]
Variability = Literal["steady", "moderate", "bursty", "unpredictable"]
Sovereignty = Literal["none", "residency", "on_prem"]
Expertise = Literal["none", "some", "strong"]
Precision = Literal["fp16", "fp8", "int8", "int4"]
Scaling = Literal["fixed", "autoscale"]
Redundancy = Literal["auto", "none", "n_plus_1"]
PurchaseOption = Literal["on_demand", "reserved_1y", "reserved_3y", "spot", "owned"]
# The load of each hour of a typical UTC day, relative to the mean hour (import-usage writes it).
HourlyLoad = Annotated[
    list[Annotated[float, Field(ge=0.0, le=1e6)]], Field(min_length=24, max_length=24)
]


class _Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        validate_assignment=True,
        defer_build=True,
        allow_inf_nan=False,
    )


class Workload(_Section):
    requests_per_day: Annotated[float, Field(ge=0.01, le=1e10)] = 10_000
    input_tokens: Annotated[int, Field(ge=0, le=10_000_000)] = 1_000
    output_tokens: Annotated[int, Field(ge=0, le=1_000_000)] = 500
    output_tokens_measured: bool = False
    days_per_month: Annotated[float, Field(ge=1.0, le=31.0)] = 30
    simple_task_share: Share = 0.0
    sensitive_share: Share = 0.0
    # "Not both 0" is checked when deciding (inputs.resolve), not here: a cross-field model
    # validator would leave a refused assignment half-applied (pydantic does not roll back).


class Api(_Section):
    model: str | None = None
    # Schema 2: how the bill is really paid (DESIGN.md §6, "The API as it is billed").
    cached_input_share: Share = 0.0  # input tokens read from the provider's prompt cache
    batch_share: Share = 0.0  # requests that can wait for a batch API's discount
    # Compare with the open model self-hosting would run, hosted by the cheapest provider in
    # the catalog; false where only your current provider may be used.
    hosted_open: bool = True
    input_price_per_mtok: Annotated[float, Field(ge=0.0, le=10_000.0)] | None = None
    output_price_per_mtok: Annotated[float, Field(ge=0.0, le=10_000.0)] | None = None
    monthly_spend: Money | None = None


class Traffic(_Section):
    variability: Variability = "steady"
    peak_to_average: Annotated[float, Field(ge=1.0, le=PEAK_TO_AVERAGE_MAX)] | None = None
    growth_phase: bool = False
    # Measured by import-usage (schema 2): the daily shape, and the busiest minute over its
    # hour's mean, which a deployment sized for the hourly peak must also absorb.
    hourly_load: HourlyLoad | None = None
    burst_to_average: Annotated[float, Field(ge=1.0, le=PEAK_TO_AVERAGE_MAX)] | None = None


class Latency(_Section):
    p95_target_ms: Annotated[float, Field(ge=1.0, le=600_000.0)] = 2000  # 1 ms at the least
    critical_share: Share = 1.0


class DataRules(_Section):
    """Where the data may go: rules, contracts and the network (the `[data]` table)."""

    sovereignty: Sovereignty = "none"
    api_compliance_ok: bool = False
    air_gapped: bool = False


class Team(_Section):
    ml_expertise: Expertise = "none"


class Needs(_Section):
    frontier_capability: bool = False
    fine_tuned_model: bool = False
    rapid_iteration: bool = False
    multi_model: bool = False


class SelfHost(_Section):
    # gpu, gpus, precision and scaling: given = pinned; missing = searched (DESIGN.md §6).
    model: str | None = None
    gpu: str | None = None
    precision: Precision | None = None
    precisions: Annotated[list[Precision], Field(min_length=1, max_length=4)] | None = None
    gpus: Annotated[int, Field(ge=1, le=64)] | None = None
    replicas: Annotated[int, Field(ge=1, le=100_000)] | None = None
    scaling: Scaling | None = None
    min_replicas: Annotated[int, Field(ge=1, le=100_000)] = 1
    redundancy: Redundancy = "auto"
    gpu_hourly_price: Annotated[float, Field(gt=0.0, le=1000.0)] | None = None
    infra_overhead: Annotated[float, Field(ge=0.0, le=10.0)] | None = None
    ops_monthly_cost: Money | None = None
    throughput_tokens_per_s: Annotated[float, Field(ge=0.1, le=1e8)] | None = None
    utilization: Annotated[float, Field(ge=0.01, le=1.0)] | None = None
    # How GPU time is bought (schema 2): given = pinned; missing = searched. Owned hardware:
    # its price per GPU and power (the catalog's where it has them), amortisation, power cost.
    purchase: PurchaseOption | None = None
    gpu_purchase_price: Annotated[float, Field(gt=0.0, le=10_000_000.0)] | None = None
    amortisation_months: Annotated[int, Field(ge=1, le=120)] | None = None
    power_kw_per_gpu: Annotated[float, Field(gt=0.0, le=100.0)] | None = None
    electricity_per_kwh: Annotated[float, Field(ge=0.0, le=10.0)] | None = None
    pue: Annotated[float, Field(ge=1.0, le=3.0)] | None = None


def _ordered(pair: list[float]) -> list[float]:
    if pair[0] > pair[1]:
        raise ValueError(f"the low end ({pair[0]:g}) is above the high end ({pair[1]:g})")
    return pair


Range = Annotated[
    list[Annotated[float, Field(ge=0.0, le=1e10)]],
    Field(min_length=2, max_length=2),
    AfterValidator(_ordered),
]


class Horizon(_Section):
    """Month by month over a commitment (schema 2): growth and API prices compound monthly."""

    months: Annotated[int, Field(ge=1, le=120)] = 36
    volume_growth_per_year: Annotated[float, Field(ge=-0.99, le=100.0)] = 0.0
    api_price_change_per_year: Annotated[float, Field(ge=-0.99, le=10.0)] = 0.0


class Uncertainty(_Section):
    """Ranges [low, high] for the draws (schema 2); missing ones take defaults. Workload and
    traffic figures are in their own units; `*_factor` ranges multiply today's figure."""

    draws: Annotated[int, Field(ge=100, le=20_000)] = 2000
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 2026
    requests_per_day: Range | None = None
    input_tokens: Range | None = None
    output_tokens: Range | None = None
    peak_to_average: Range | None = None
    throughput_factor: Range | None = None
    gpu_price_factor: Range | None = None
    api_price_factor: Range | None = None
    ops_cost_factor: Range | None = None


class Weights(_Section):
    strong: Annotated[float, Field(ge=0.0, le=100.0)] | None = None
    normal: Annotated[float, Field(ge=0.0, le=100.0)] | None = None
    break_even: Annotated[float, Field(ge=0.0, le=100.0)] | None = None
    break_even_margin: Annotated[float, Field(ge=0.0, le=100.0)] | None = None


class Policy(_Section):
    friction_multiplier: Annotated[float, Field(ge=1.0, le=10.0)] | None = None
    small_spend: Money | None = None
    large_spend: Money | None = None
    significant_share: Share | None = None
    utilization_floor: Share | None = None
    latency_ms: Annotated[float, Field(gt=0.0, le=600_000.0)] | None = None
    headroom: Annotated[float, Field(ge=0.05, le=1.0)] | None = None
    extreme_multiple: Annotated[float, Field(ge=1.0, le=1000.0)] | None = None
    gpus_per_ops_step: Annotated[int, Field(ge=1, le=100_000)] | None = None
    memory_fraction: Annotated[float, Field(gt=0.0, le=1.0)] | None = None
    close_call: Annotated[float, Field(ge=1.0, le=10.0)] | None = None
    migration_cost: Money | None = None  # one-off; default: two months of ops
    weights: Weights = Field(default_factory=Weights)


class Profile(_Section):
    schema_version: Literal[2] = SCHEMA_VERSION
    name: Annotated[str, Field(max_length=200)] = "Untitled profile"
    notes: Annotated[str, Field(max_length=100_000)] = ""
    workload: Workload = Field(default_factory=Workload)
    api: Api = Field(default_factory=Api)
    traffic: Traffic = Field(default_factory=Traffic)
    latency: Latency = Field(default_factory=Latency)
    data: DataRules = Field(default_factory=DataRules)
    team: Team = Field(default_factory=Team)
    needs: Needs = Field(default_factory=Needs)
    self_host: SelfHost = Field(default_factory=SelfHost)
    horizon: Horizon = Field(default_factory=Horizon)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    policy: Policy = Field(default_factory=Policy)

    def to_toml_dict(self) -> dict[str, object]:
        """The profile as TOML-ready data: no None (TOML has no null), and only the answers
        given (in the file it was read from, or in the app): one never given keeps following
        the default. Always its schema version and name."""
        data = _given(self)
        data.pop("schema_version", None)
        data.pop("name", None)
        return {"schema_version": self.schema_version, "name": self.name, **data}


def _given(model: BaseModel) -> dict[str, object]:
    """The fields set on `model` (and, in its sections, on them), as JSON-ready data."""
    out: dict[str, object] = {}
    for key in type(model).model_fields:
        value = getattr(model, key)
        if isinstance(value, BaseModel):
            inner = _given(value)
            if inner:
                out[key] = inner
        elif key in model.model_fields_set and value is not None:
            out[key] = model.model_dump(mode="json", include={key})[key]
    return out
