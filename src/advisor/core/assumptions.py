"""Every input a decision used, where it came from, and which prices are stale."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from advisor.core.inputs import Inputs
from advisor.core.profile import Profile


class Assumption(NamedTuple):
    """One input the decision used: its value, and for catalog values their source and date."""

    name: str
    value: float | int | str | bool | None
    origin: str  # "profile" | "catalog" | "policy" | "default"
    source: str | None = None
    as_of: date | None = None


def assumptions_of(profile: Profile, inp: Inputs) -> tuple[Assumption, ...]:
    """Profile values as given, defaults as applied, catalog values with source and date."""
    out: list[Assumption] = []
    given = profile.model_dump(exclude_none=True, exclude_defaults=True)
    for section in ("workload", "traffic", "latency", "data", "team", "needs"):
        values = getattr(profile, section).model_dump()
        for key, value in values.items():
            if value is None:  # an optional answer left out: its resolved value follows
                continue
            origin = "profile" if key in given.get(section, {}) else "default"
            out.append(Assumption(f"{section}.{key}", value, origin))
    cat = inp.catalog
    api = cat.api_models[inp.api_model_id]
    a = profile.api
    out.append(
        Assumption(
            "api.model",
            inp.api_model_id,
            "profile" if a.model else "catalog",
            cat.defaults.source,
            cat.defaults.as_of,
        )
    )
    for key, value, overridden in (
        ("api.input_price_per_mtok", inp.api_in_price, a.input_price_per_mtok is not None),
        ("api.output_price_per_mtok", inp.api_out_price, a.output_price_per_mtok is not None),
    ):
        out.append(
            Assumption(key, value, "profile")
            if overridden
            else Assumption(key, value, "catalog", api.source, api.as_of)
        )
    if a.monthly_spend is not None:
        out.append(Assumption("api.monthly_spend", a.monthly_spend, "profile"))
    if profile.traffic.peak_to_average is None:
        out.append(
            Assumption(
                "traffic.peak_to_average",
                inp.peak_to_average,
                "catalog",
                cat.defaults.source,
                cat.defaults.as_of,
            )
        )
    m, sh = inp.main, profile.self_host
    for key, value, source, as_of in (
        ("self_host.model", m.model_id, m.model.source, m.model.as_of),
        ("self_host.gpu", m.gpu_id, m.gpu.source, m.gpu.as_of),
        ("self_host.precision", m.precision, cat.defaults.source, cat.defaults.as_of),
        ("self_host.gpu_hourly_price", m.gpu_hourly, m.gpu.source, m.gpu.as_of),
        ("self_host.infra_overhead", m.infra_overhead, cat.defaults.source, cat.defaults.as_of),
        ("self_host.ops_monthly_cost", m.ops_monthly, cat.defaults.source, cat.defaults.as_of),
    ):
        field = key.split(".", 1)[1]
        if field == "gpu_hourly_price":
            field_given = sh.gpu_hourly_price is not None
        else:
            field_given = getattr(sh, field) is not None
        out.append(
            Assumption(key, value, "profile")
            if field_given
            else Assumption(key, value, "catalog", source, as_of)
        )
    for key in ("gpus", "replicas", "throughput_tokens_per_s", "utilization"):
        value = getattr(sh, key)
        if value is not None:
            out.append(Assumption(f"self_host.{key}", value, "profile"))
    small = inp.small
    out.append(
        Assumption(
            "small_model",
            f"{small.model_id} on {small.gpu_id} ({small.precision})",
            "catalog",
            cat.defaults.source,
            cat.defaults.as_of,
        )
    )
    out.append(
        Assumption(
            "small_gpu_hourly_price", small.gpu_hourly, "catalog", small.gpu.source, small.gpu.as_of
        )
    )
    policy_given = profile.policy.model_dump(exclude_none=True)
    weights_given = policy_given.pop("weights", {})
    for key, value in vars_of(inp.policy).items():
        name = key.removeprefix("weight_")
        was_given = (name in weights_given) if key.startswith("weight_") else key in policy_given
        label = f"policy.weights.{name}" if key.startswith("weight_") else f"policy.{key}"
        out.append(Assumption(label, value, "profile" if was_given else "policy"))
    return tuple(out)


def vars_of(obj: object) -> dict[str, float | int]:
    return {name: getattr(obj, name) for name in obj._fields}  # type: ignore[attr-defined]


def stale_prices(profile: Profile, inp: Inputs, today: date) -> list[str]:
    """A warning for each catalog price in use (not set by the profile) older than the limit."""
    limit = inp.catalog.meta.stale_after_days
    found: list[str] = []
    api = inp.catalog.api_models[inp.api_model_id]
    checks = []
    if profile.api.input_price_per_mtok is None or profile.api.output_price_per_mtok is None:
        checks.append((f"API price of {inp.api_model_id}", api.as_of))
    if profile.self_host.gpu_hourly_price is None:
        checks.append((f"GPU price of {inp.main.gpu_id}", inp.main.gpu.as_of))
    for what, as_of in checks:
        age = (today - as_of).days
        if age > limit:
            found.append(
                f"{what} is as of {as_of.isoformat()}, {age} days old "
                f"(older than {limit}): check current prices."
            )
    return found
