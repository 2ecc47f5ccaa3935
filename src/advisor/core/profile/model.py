"""The profile: everything a user answers, as pydantic models (schema_version 1).

Field names are the file-format contract (DESIGN.md section 4). Unknown keys are errors;
wrong types are errors (strict mode: "10000" is not a number). Optional keys left as None
take their value from the bundled catalog or policy defaults when a decision is made.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX

SCHEMA_VERSION: Final = 1



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
    input_price_per_mtok: Annotated[float, Field(ge=0.0, le=10_000.0)] | None = None
    output_price_per_mtok: Annotated[float, Field(ge=0.0, le=10_000.0)] | None = None
    monthly_spend: Money | None = None


class Traffic(_Section):
    variability: Variability = "steady"
    peak_to_average: Annotated[float, Field(ge=1.0, le=PEAK_TO_AVERAGE_MAX)] | None = None
    growth_phase: bool = False


class Latency(_Section):
    p95_target_ms: Annotated[float, Field(gt=0.0, le=600_000.0)] = 2000
    critical_share: Share = 1.0


class Data(_Section):
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
    model: str | None = None
    gpu: str | None = None
    precision: Precision | None = None
    gpus: Annotated[int, Field(ge=1, le=64)] | None = None
    replicas: Annotated[int, Field(ge=1, le=100_000)] | None = None
    gpu_hourly_price: Annotated[float, Field(gt=0.0, le=1000.0)] | None = None
    infra_overhead: Annotated[float, Field(ge=0.0, le=10.0)] | None = None
    ops_monthly_cost: Money | None = None
    throughput_tokens_per_s: Annotated[float, Field(ge=0.1, le=1e8)] | None = None
    utilization: Annotated[float, Field(ge=0.01, le=1.0)] | None = None


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
    weights: Weights = Field(default_factory=Weights)


class Profile(_Section):
    schema_version: Literal[1] = SCHEMA_VERSION
    name: Annotated[str, Field(max_length=200)] = "Untitled profile"
    notes: Annotated[str, Field(max_length=100_000)] = ""
    workload: Workload = Field(default_factory=Workload)
    api: Api = Field(default_factory=Api)
    traffic: Traffic = Field(default_factory=Traffic)
    latency: Latency = Field(default_factory=Latency)
    data: Data = Field(default_factory=Data)
    team: Team = Field(default_factory=Team)
    needs: Needs = Field(default_factory=Needs)
    self_host: SelfHost = Field(default_factory=SelfHost)
    policy: Policy = Field(default_factory=Policy)

    def to_toml_dict(self) -> dict[str, object]:
        """The profile as TOML-ready data: no None (TOML has no null)."""
        return self.model_dump(mode="json", exclude_none=True)
