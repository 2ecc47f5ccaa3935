"""Every input a decision used, where it came from, and which prices are stale."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from advisor.core.costs.deployment import Deployment
from advisor.core.costs.inputs import Inputs
from advisor.core.decision.assumption_words import described
from advisor.core.fmt import number

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile


class Assumption(NamedTuple):
    """One input the decision used: its value, and for catalog values their source and date."""

    name: str
    value: float | int | str | bool | None
    origin: str  # "profile" | "catalog" | "policy" | "default" | "search" | "estimate"
    source: str | None = None
    as_of: date | None = None
    label: str = ""  # in words, for every face but the JSON: "Share of sensitive requests"
    shown: str = ""  # the value in words: "40%", "$4,000/month", "yes"


# Where a value no catalog entry dates comes from, in words a stakeholder can follow up (never
# a file of this project's: they do not have it).
ARTICLE_COSTS = "the article, 'Realistic Self-Hosted Cost Calculation'"
OVERHEAD_SOURCE = f"{ARTICLE_COSTS}: infrastructure at 40% overhead on the hardware"
OPS_SOURCE = f"{ARTICLE_COSTS}: operations, a part-time engineer at about $4,000/month"
SMALL_SOURCE = (
    "advisor default, after the article's 'Tiered by complexity' (a small 7B-13B model for "
    "simple tasks)"
)
SEARCH_SOURCE = "advisor's deployment search: the cheapest configuration that qualifies"
DEFAULT_SOURCE = "advisor default"
POLICY_SOURCE = "advisor default policy"
PEAK_BY_VARIABILITY = "steady 1.25, moderate 2, bursty 4, unpredictable 8"


def _deployment(profile: Profile, inp: Inputs, d: Deployment) -> list[Assumption]:
    """The self-hosted deployment: what the profile set, and what the search chose."""
    cat, m, sh = inp.catalog, inp.main, profile.self_host
    gpu = cat.gpus[d.gpu]
    out = [
        Assumption(
            "self_host.model",
            m.model_id,
            "profile" if sh.model else "catalog",
            m.model.source,
            m.model.as_of,
        ),
    ]
    for key, chosen_value, given in (
        ("gpu", d.gpu, m.gpu),
        ("gpus", d.gpus_per_replica, m.gpus),
        ("precision", d.precision, m.precision),
        ("scaling", d.sizing if d.sizing in ("autoscale",) else "fixed", m.scaling),
    ):
        origin = "profile" if getattr(sh, key) is not None else "search"
        source: str | None = SEARCH_SOURCE if origin == "search" else None
        if given is not None and getattr(sh, key) is None:
            origin = "catalog"  # the default GPU a price or a throughput of one's own is for
            source = (
                "advisor default: the GPU and precision of the article's worked example, "
                "for a GPU price or throughput of your own"
            )
        as_of = None
        if key == "gpu":
            source, as_of = gpu.source, gpu.as_of
        out.append(Assumption(f"self_host.{key}", chosen_value, origin, source, as_of))
    if sh.gpu_hourly_price is not None and m.gpu == d.gpu:
        out.append(Assumption("self_host.gpu_hourly_price", d.gpu_hourly_price, "profile"))
    else:
        out.append(
            Assumption(
                "self_host.gpu_hourly_price", gpu.hourly_price, "catalog", gpu.source, gpu.as_of
            )
        )
    out += _purchase(profile, inp, d)
    thr = d.throughput
    figures: str | float | None
    if thr.mode == "simple":
        figures = thr.aggregate
        out.append(Assumption("self_host.throughput_tokens_per_s", figures, "profile"))
    else:
        figures = (
            f"prefill {number(thr.prefill or 0)}, decode {number(thr.decode or 0)} tokens/s per "
            "replica"
            f" ({thr.mode}, {d.gpus_per_replica} x {gpu.name} at {d.precision})"
        )
        out.append(
            Assumption(
                "throughput",
                figures,
                "catalog" if thr.mode == "measured" else "estimate",
                thr.source,
                thr.as_of,
            )
        )
    for key in ("replicas", "utilization"):
        given_value = getattr(sh, key)
        if given_value is not None:
            out.append(Assumption(f"self_host.{key}", given_value, "profile"))
    defaults = cat.defaults
    for key, value, own, article in (
        ("infra_overhead", m.infra_overhead, sh.infra_overhead, OVERHEAD_SOURCE),
        ("ops_monthly_cost", m.ops_monthly, sh.ops_monthly_cost, OPS_SOURCE),
    ):
        if own is None:
            bundled = getattr(defaults, key) == {"infra_overhead": 0.40}.get(key, 4000.0)
            source = article if bundled else defaults.source
            out.append(Assumption(f"self_host.{key}", value, "catalog", source, defaults.as_of))
        else:
            out.append(Assumption(f"self_host.{key}", value, "profile"))
    out.append(
        Assumption(
            "self_host.min_replicas",
            sh.min_replicas,
            "profile" if "min_replicas" in sh.model_fields_set else "default",
            None if "min_replicas" in sh.model_fields_set else DEFAULT_SOURCE,
        )
    )
    out.append(
        Assumption(
            "self_host.redundancy",
            sh.redundancy,
            "profile" if "redundancy" in sh.model_fields_set else "default",
            None if "redundancy" in sh.model_fields_set else DEFAULT_SOURCE,
        )
    )
    small = inp.small.model
    out.append(
        Assumption(
            "small_model",
            inp.small.model_id,
            "catalog",
            f"{SMALL_SOURCE}; model: {small.source}",
            small.as_of,
        )
    )
    return out


def _purchase(profile: Profile, inp: Inputs, d: Deployment) -> list[Assumption]:
    """How the GPU time is bought, with the source and date of its discount."""
    given = profile.self_host.purchase is not None
    origin = "profile" if given else "search"
    terms = inp.catalog.purchase.get(d.purchase)
    gpu = inp.catalog.gpus[d.gpu]
    source: str | None
    as_of: date | None
    if d.purchase == "owned" and inp.catalog.owned is not None:
        owned = inp.catalog.owned
        source = "; ".join(x for x in (gpu.purchase_source, owned.source) if x)
        as_of = owned.as_of
    elif terms is not None:
        _, source, as_of = terms.for_provider(gpu.provider)
    else:
        source, as_of = (None if given else SEARCH_SOURCE), None
    return [Assumption("self_host.purchase", d.purchase, origin, source, as_of)]


def assumptions_of(profile: Profile, inp: Inputs, chosen: Deployment) -> tuple[Assumption, ...]:
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
            given = key in model.model_fields_set
            origin = "profile" if given else "default"
            out.append(
                Assumption(f"{section}.{key}", value, origin, None if given else DEFAULT_SOURCE)
            )
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
    for key in ("cached_input_share", "batch_share"):
        given = key in a.model_fields_set
        out.append(
            Assumption(
                f"api.{key}",
                getattr(a, key),
                "profile" if given else "default",
                None if given else DEFAULT_SOURCE,
            )
        )
    t = inp.api
    for key, value in (
        ("api.cached_input_price_per_mtok", t.cached),
        ("api.batch_discount", t.batch_discount),
    ):
        if value is not None:
            out.append(
                Assumption(key, value, "profile")
                if t.own_prices and key.endswith("mtok")
                else Assumption(key, value, "catalog", api.source, api.as_of)
            )
    if a.monthly_spend is not None:
        out.append(Assumption("api.monthly_spend", a.monthly_spend, "profile"))
    if inp.hosted is not None:
        h = inp.hosted
        for key, value in (
            ("hosted_open.model", h.model_id),
            ("hosted_open.input_price_per_mtok", h.input),
            ("hosted_open.output_price_per_mtok", h.output),
        ):
            out.append(Assumption(key, value, "catalog", h.source, h.as_of))
    if profile.traffic.peak_to_average is None:
        variability = profile.traffic.variability
        out.append(
            Assumption(
                "traffic.peak_to_average",
                inp.peak_to_average,
                "default",
                f"{DEFAULT_SOURCE} for {variability} traffic ({PEAK_BY_VARIABILITY})",
            )
        )
    out += _deployment(profile, inp, chosen)
    policy_given = profile.policy.model_dump(exclude_none=True)
    weights_given = policy_given.pop("weights", {})
    for key, value in vars_of(inp.policy).items():
        name = key.removeprefix("weight_")
        was_given = (name in weights_given) if key.startswith("weight_") else key in policy_given
        label = f"policy.weights.{name}" if key.startswith("weight_") else f"policy.{key}"
        out.append(
            Assumption(
                label,
                value,
                "profile" if was_given else "policy",
                None if was_given else POLICY_SOURCE,
            )
        )
    return tuple(described(a, cat) for a in out)


def vars_of(obj: object) -> dict[str, float | int]:
    return {name: getattr(obj, name) for name in obj._fields}  # type: ignore[attr-defined]


def stale_prices(profile: Profile, inp: Inputs, chosen: Deployment, today: date) -> list[str]:
    """A warning for each catalog price in use (not set by the profile) older than the limit."""
    limit = inp.catalog.meta.stale_after_days
    found: list[str] = []
    api = inp.catalog.api_models[inp.api_model_id]
    checks = []
    if profile.api.input_price_per_mtok is None or profile.api.output_price_per_mtok is None:
        checks.append((f"API price of {inp.api_model_id}", api.as_of))
    if inp.hosted is not None and inp.hosted_excluded is None:
        checks.append((f"API price of {inp.hosted.model_id}", inp.hosted.as_of))
    if profile.self_host.gpu_hourly_price is None or inp.main.gpu != chosen.gpu:
        checks.append((f"GPU price of {chosen.gpu}", inp.catalog.gpus[chosen.gpu].as_of))
    for what, as_of in checks:
        age = (today - as_of).days
        if age > limit:
            found.append(
                f"{what} is as of {as_of.isoformat()}, {age} days old "
                f"(older than {limit}): check current prices."
            )
    return found
