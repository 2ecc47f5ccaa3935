"""Every input a decision used, where it came from, and which prices are stale."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from advisor.core.costs.inputs import Inputs

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile


class Assumption(NamedTuple):
    """One input the decision used: its value, and for catalog values their source and date."""

    name: str
    value: float | int | str | bool | None
    origin: str  # "profile" | "catalog" | "policy" | "default"
    source: str | None = None
    as_of: date | None = None


def assumptions_of(profile: Profile, inp: Inputs) -> tuple[Assumption, ...]:
    """Profile values as given, defaults as applied, catalog values with source and date.

    A value's origin is whether the profile set it (pydantic's `model_fields_set`: a file that
    writes `output_tokens = 500` set it, even though 500 is also the default), never whether it
    differs from the default. A catalog id (API model, open model, GPU) carries the source and
    date of its own catalog entry, whoever chose it.
    """
    out: list[Assumption] = []
    for section in ("workload", "traffic", "latency", "data", "team", "needs"):
        model = getattr(profile, section)
        for key, value in model.model_dump().items():
            if value is None:  # an optional answer left out: its resolved value follows
                continue
            origin = "profile" if key in model.model_fields_set else "default"
            out.append(Assumption(f"{section}.{key}", value, origin))
    cat = inp.catalog
    api = cat.api_models[inp.api_model_id]
    a = profile.api
    out.append(
        Assumption(
            "api.model",
            inp.api_model_id,
            "profile" if a.model else "catalog",
            api.source,
            api.as_of,
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
    src, day = cat.defaults.source, cat.defaults.as_of
    for key, value, source, as_of, entry in (
        ("self_host.model", m.model_id, m.model.source, m.model.as_of, True),
        ("self_host.gpu", m.gpu_id, m.gpu.source, m.gpu.as_of, True),
        ("self_host.precision", m.precision, src, day, False),
        ("self_host.gpu_hourly_price", m.gpu_hourly, m.gpu.source, m.gpu.as_of, False),
        ("self_host.infra_overhead", m.infra_overhead, src, day, False),
        ("self_host.ops_monthly_cost", m.ops_monthly, src, day, False),
    ):
        # Optional answers: None (left out, or cleared) means the catalog value applies.
        if getattr(sh, key.split(".", 1)[1]) is None:
            out.append(Assumption(key, value, "catalog", source, as_of))
        elif entry:  # a catalog id the profile chose: its entry's source still applies
            out.append(Assumption(key, value, "profile", source, as_of))
        else:
            out.append(Assumption(key, value, "profile"))
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
