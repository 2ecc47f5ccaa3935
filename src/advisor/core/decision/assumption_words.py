"""Each assumption in a stakeholder's words: a label for the field path ('Share of sensitive
requests', not 'workload.sensitive_share'), its value as the questionnaire asks it (40%, $4,000,
yes, 'On our own servers only', the catalog's name for an id) and where it came from. Field
paths and ids stay in the JSON and the profile file; every other face shows these words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.core.costs.purchase import WORDS as PURCHASE_WORDS
from advisor.core.fmt import money, number, price, share, value

if TYPE_CHECKING:
    from advisor.core.catalog.model import Catalog
    from advisor.core.decision.assumptions import Assumption

# name -> (label, kind); kind says how the value reads (see `shown`)
LABELS: dict[str, tuple[str, str]] = {
    "workload.requests_per_day": ("Requests per day", "count"),
    "workload.input_tokens": ("Tokens in, per request", "tokens"),
    "workload.output_tokens": ("Tokens out, per request", "tokens"),
    "workload.output_tokens_measured": ("Output lengths measured", "bool"),
    "workload.days_per_month": ("Days in a month", "days"),
    "workload.simple_task_share": ("Share of simple requests", "share"),
    "workload.sensitive_share": ("Share of sensitive requests", "share"),
    "traffic.variability": ("How traffic varies", "choice"),
    "traffic.peak_to_average": ("Busiest hour vs an average hour", "times"),
    "traffic.growth_phase": ("Product still in growth phase", "bool"),
    "traffic.hourly_load": ("Load of each hour (x the mean hour)", "list"),
    "traffic.burst_to_average": ("Busiest minute vs the average", "times"),
    "latency.p95_target_ms": ("Time to first token (p95)", "ms"),
    "latency.critical_share": ("Share needing that speed", "share"),
    "data.sovereignty": ("Where the data must stay", "choice"),
    "data.api_compliance_ok": ("A provider's compliance offer is acceptable", "bool"),
    "data.air_gapped": ("Offline or air-gapped", "bool"),
    "team.ml_expertise": ("Team's ML infrastructure skills", "choice"),
    "needs.frontier_capability": ("Needs the very best models", "bool"),
    "needs.fine_tuned_model": ("A fine-tuned model is much better", "bool"),
    "needs.rapid_iteration": ("Still changing prompts and models", "bool"),
    "needs.multi_model": ("Several models in the product", "bool"),
    "api.model": ("API model", "api_model"),
    "api.input_price_per_mtok": ("API input price", "price"),
    "api.output_price_per_mtok": ("API output price", "price"),
    "api.cached_input_share": ("Share of input read from the prompt cache", "share"),
    "api.batch_share": ("Share of requests sent as batches", "share"),
    "api.cached_input_price_per_mtok": ("API cached-input price", "price"),
    "api.batch_discount": ("API batch discount", "share"),
    "api.monthly_spend": ("Your monthly API bill", "money"),
    "hosted_open.model": ("Open model, hosted by a provider", "api_model"),
    "hosted_open.input_price_per_mtok": ("Hosted open model: input price", "price"),
    "hosted_open.output_price_per_mtok": ("Hosted open model: output price", "price"),
    "self_host.model": ("Open model to self-host", "open_model"),
    "self_host.gpu": ("GPU type", "gpu"),
    "self_host.gpus": ("GPUs per replica", "count"),
    "self_host.precision": ("Precision", "upper"),
    "self_host.scaling": ("Scaling", "choice"),
    "self_host.gpu_hourly_price": ("GPU price (on demand)", "per_hour"),
    "self_host.throughput_tokens_per_s": ("Throughput (your figure)", "tok_s"),
    "throughput": ("Throughput preset", "text"),
    "self_host.replicas": ("Replicas (fixed)", "count"),
    "self_host.utilization": ("Average utilisation (target)", "share"),
    "self_host.infra_overhead": ("Infrastructure overhead", "share"),
    "self_host.ops_monthly_cost": ("Operations cost", "per_month"),
    "self_host.min_replicas": ("Fewest replicas", "count"),
    "self_host.redundancy": ("Spare replica", "choice"),
    "self_host.purchase": ("How GPU time is bought", "choice"),
    "small_model": ("Small model (simple and fast requests)", "open_model"),
    "policy.friction_multiplier": ("Friction multiplier (self-hosting's hidden costs)", "times"),
    "policy.small_spend": ("Small spend: under", "per_month"),
    "policy.large_spend": ("Large spend: over", "per_month"),
    "policy.significant_share": ("A significant share of simple requests", "share"),
    "policy.utilization_floor": ("Lowest utilisation worth self-hosting", "share"),
    "policy.latency_ms": ("Latency an API cannot meet: under", "ms"),
    "policy.headroom": ("Highest planned load per replica", "share"),
    "policy.extreme_multiple": ("Extreme volume: times the break-even volume", "times"),
    "policy.gpus_per_ops_step": ("GPUs per step of operations cost", "count"),
    "policy.memory_fraction": ("Usable share of GPU memory", "share"),
    "policy.close_call": ("A close call: cost within", "times"),
    "policy.weights.strong": ("Weight of a strong rule", "plain"),
    "policy.weights.normal": ("Weight of a rule", "plain"),
    "policy.weights.break_even": ("Weight of the cost comparison", "plain"),
    "policy.weights.break_even_margin": ("Extra weight for a clear cost margin", "plain"),
    "policy.migration_cost": ("One-off migration cost", "migration"),
}

CHOICES: dict[str, str] = {
    # traffic.variability
    "steady": "steady: about the same all day",
    "moderate": "moderate: daily peaks",
    "bursty": "bursty: sharp spikes",
    "unpredictable": "unpredictable: launches, seasons",
    # data.sovereignty
    "residency": "in a region (data residency)",
    "on_prem": "on our own servers only",
    # team.ml_expertise
    "some": "some: we could learn",
    "strong": "strong: we run GPU serving",
    # self_host.scaling
    "fixed": "fixed, sized for the busiest hour",
    "autoscale": "autoscaled with the load",
    # self_host.redundancy
    "auto": "where no API may take over (automatic)",
    "n_plus_1": "one spare (N+1)",
}
CHOICE_BY_FIELD: dict[str, dict[str, str]] = {
    "data.sovereignty": {"none": "anywhere: no restriction"},
    "team.ml_expertise": {"none": "none: nobody runs GPU servers"},
    "self_host.redundancy": {"none": "no spare"},
    "self_host.purchase": dict(PURCHASE_WORDS),
}

ORIGINS = {
    "profile": "your answer",
    "default": "default",
    "catalog": "catalog",
    "policy": "advisor policy",
    "search": "the search",
    "estimate": "estimate",
}


def label_of(name: str) -> str:
    """The words for a field path; a path this table does not know reads as words too."""
    known = LABELS.get(name)
    if known is not None:
        return known[0]
    return name.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def origin_words(origin: str) -> str:
    return ORIGINS.get(origin, origin)


def shown(name: str, x: object, catalog: Catalog | None = None) -> str:
    """A value as a stakeholder reads it: 40%, $4,000/month, yes, the catalog's own name."""
    kind = LABELS.get(name, ("", "plain"))[1]
    if x is None:
        return "two months of operations" if kind == "migration" else "-"
    if isinstance(x, bool) or not isinstance(x, int | float):
        return _words(name, kind, x, catalog)
    f = float(x)
    figures = {
        "share": lambda: share(f),
        "money": lambda: money(f) + "/month",
        "per_month": lambda: money(f) + "/month",
        "migration": lambda: money(f),
        "price": lambda: price(f) + " per M tokens",
        "per_hour": lambda: f"${f:,.2f} per GPU-hour",
        "times": lambda: f"{number(f)}x",
        "ms": lambda: f"{number(f)} ms",
        "tokens": lambda: f"{number(f)} tokens",
        "tok_s": lambda: f"{number(f)} tokens/s per replica",
        "days": lambda: f"{number(f)} days",
    }
    make = figures.get(kind)
    return make() if make is not None else number(f)


def _words(name: str, kind: str, x: object, catalog: Catalog | None) -> str:
    if isinstance(x, str):
        if kind == "choice":
            return CHOICE_BY_FIELD.get(name, {}).get(x) or CHOICES.get(x, x)
        if kind == "upper":
            return x.upper()
        if catalog is not None:
            if kind == "api_model" and x in catalog.api_models:
                return catalog.api_models[x].name
            if kind == "open_model" and x in catalog.models:
                return catalog.models[x].name
            if kind == "gpu" and x in catalog.gpus:
                return catalog.gpus[x].name
        return x
    if isinstance(x, list | tuple) and kind == "list":
        return " ".join(number(float(v)) for v in x if isinstance(v, int | float))
    return value(x)


def described(a: Assumption, catalog: Catalog | None) -> Assumption:
    """The assumption with its label and its value in words filled in."""
    return a._replace(label=label_of(a.name), shown=shown(a.name, a.value, catalog))
