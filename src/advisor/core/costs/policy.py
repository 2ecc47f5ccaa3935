"""The rule engine's thresholds and weights: the bundled defaults (policy.toml) overlaid with
a profile's [policy], as plain numbers."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from advisor.core import paths
from advisor.core.errors import InputError

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile


class Policy(NamedTuple):
    friction_multiplier: float
    small_spend: float
    large_spend: float
    significant_share: float
    utilization_floor: float
    latency_ms: float
    headroom: float
    extreme_multiple: float
    gpus_per_ops_step: int
    memory_fraction: float
    close_call: float
    weight_strong: float
    weight_normal: float
    weight_break_even: float
    weight_break_even_margin: float
    migration_cost: float | None = None  # one-off; None: two months of ops (the horizon's)


@cache
def bundled_policy() -> dict[str, object]:
    import tomllib

    return tomllib.loads(paths.read_bundled("policy.toml"))


def resolve_policy(profile: Profile) -> Policy:
    """Bundled defaults overlaid with the profile's [policy]; contradictions are refused."""
    defaults = bundled_policy()
    given = profile.policy.model_dump(exclude_none=True)
    migration = given.pop("migration_cost", None)
    weights = {**defaults["weights"], **given.pop("weights", {})}  # type: ignore[dict-item]
    merged = {k: v for k, v in defaults.items() if k != "weights"} | given
    if float(merged["small_spend"]) > float(merged["large_spend"]):  # type: ignore[arg-type]
        raise InputError(
            "profile",
            f"small_spend ({merged['small_spend']}) is above large_spend "
            f"({merged['large_spend']}): the spend bands would overlap.",
            field="policy.small_spend",
            allowed="small_spend at most large_spend",
        )
    return Policy(
        **{k: float(v) for k, v in merged.items() if k != "gpus_per_ops_step"},  # type: ignore[arg-type]
        gpus_per_ops_step=int(merged["gpus_per_ops_step"]),  # type: ignore[call-overload]
        weight_strong=float(weights["strong"]),
        weight_normal=float(weights["normal"]),
        weight_break_even=float(weights["break_even"]),
        weight_break_even_margin=float(weights["break_even_margin"]),
        migration_cost=migration,
    )
