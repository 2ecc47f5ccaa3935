"""Resolve a profile against the catalog and policy defaults into plain numbers.

Everything downstream (costs, rules, sensitivity) works on these named tuples, so a what-if is
a `_replace`, with no validation or lookups on the hot path. (Named tuples, not frozen
dataclasses: they are immutable too and build ten times faster at import.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from advisor.core.catalog.model import Catalog, OpenModel
from advisor.core.costs.billing import Bill, Terms, bill, terms_of
from advisor.core.costs.policy import Policy, resolve_policy
from advisor.core.errors import InputError

if TYPE_CHECKING:  # the profile model is pydantic: a decision's types must not need it
    from advisor.core.profile.model import Profile


class OwnedTerms(NamedTuple):
    """Owned hardware as this profile buys it: its own figures, else the catalog's."""

    purchase_price: float | None  # $ per GPU; None: the catalog's for the GPU type
    power_kw: float | None  # per GPU; None: the catalog's
    amortisation_months: int
    electricity_per_kwh: float
    pue: float


ALL_PURCHASES = ("on_demand", "spot", "reserved_1y", "reserved_3y", "owned")


class ModelChoice(NamedTuple):
    """One self-hosted model: what the profile pins and what the deployment search may vary."""

    model_id: str
    model: OpenModel
    gpu: str | None  # pinned GPU type; None: searched
    gpus: int | None  # pinned GPUs per replica; None: searched
    precision: str | None  # pinned precision; None: searched within `precisions`
    precisions: tuple[str, ...]
    scaling: str | None  # pinned "fixed" | "autoscale"; None: searched
    gpu_hourly: float | None  # the profile's price of its (pinned) GPU type
    infra_overhead: float
    ops_monthly: float
    replicas: int | None = None  # a fixed count instead of sizing for the load
    min_replicas: int = 1
    throughput: float | None = None  # simple mode: aggregate tokens/s per replica
    utilization: float | None = None  # target average utilisation
    throughput_scale: float = 1.0  # what-if multiplier on every throughput
    gpu_price_scale: float = 1.0  # what-if multiplier on every GPU price
    purchase: str | None = None  # pinned way of buying GPU time; None: searched
    purchases: tuple[str, ...] = ALL_PURCHASES  # what the search may use
    owned: OwnedTerms = OwnedTerms(None, None, 36, 0.10, 1.3)

    @property
    def simple(self) -> bool:
        return self.throughput is not None

    def pinned(self) -> dict[str, object]:
        """The dimensions the profile fixed, as shown to people."""
        found: dict[str, object] = {}
        for key in ("gpu", "gpus", "precision", "scaling", "purchase", "replicas"):
            value = getattr(self, key)
            if value is not None:
                found[key] = value
        return found


class HorizonTerms(NamedTuple):
    months: int
    growth: float  # volume growth per year (1.0: doubles every year)
    api_change: float  # API price change per year (-0.5: halves every year)


class UncertaintyTerms(NamedTuple):
    draws: int
    seed: int
    given: dict[str, tuple[float, float]]  # the profile's own ranges, by key


class Inputs(NamedTuple):
    requests_per_day: float
    input_tokens: float
    output_tokens: float
    output_measured: bool
    days: float
    simple_share: float
    sensitive_share: float
    api_model_id: str
    api: Terms  # the closed model's prices (the bill paid today)
    hosted: Terms | None  # the same open model as self-hosting, hosted: its cheapest provider
    hosted_excluded: str | None  # why the hosted open model is not an option, if it is not
    cached_share: float  # of input tokens, read from the prompt cache
    batch_share: float  # of requests, through a batch API
    monthly_spend: float | None
    variability: str
    peak_to_average: float
    burst: float  # the busiest minute over its hour's mean (1: not measured)
    hourly_load: tuple[float, ...] | None  # 24 hours, mean 1 (measured), else None
    growth_phase: bool
    p95_ms: float
    critical_share: float
    sovereignty: str
    compliance_ok: bool
    air_gapped: bool
    expertise: str
    frontier: bool
    fine_tuned: bool
    rapid_iteration: bool
    multi_model: bool
    redundancy: str  # "auto" | "none" | "n_plus_1"
    main: ModelChoice
    small: ModelChoice
    policy: Policy
    catalog: Catalog
    horizon: HorizonTerms = HorizonTerms(36, 0.0, 0.0)
    uncertainty: UncertaintyTerms = UncertaintyTerms(2000, 2026, {})

    @property
    def context_tokens(self) -> float:
        return self.input_tokens + self.output_tokens

    @property
    def api_in_price(self) -> float:
        return self.api.input

    @property
    def api_out_price(self) -> float:
        return self.api.output

    def bill_of(self, terms: Terms) -> Bill:
        return bill(
            terms, self.input_tokens, self.output_tokens, self.cached_share, self.batch_share
        )

    @property
    def api_request_cost(self) -> float:
        """One request on the closed model, as billed."""
        return self.bill_of(self.api).per_request

    @property
    def route_request_cost(self) -> float:
        """One request by the cheapest API route that may be used (the closed model, or the
        hosted open model): what an API part of a self-hosted or hybrid option pays."""
        closed = self.api_request_cost
        if self.hosted is None or self.hosted_excluded is not None:
            return closed
        return min(closed, self.bill_of(self.hosted).per_request)

    @property
    def no_outside_provider(self) -> bool:
        """No request may go to an outside API (air-gapped, or all data on premises)."""
        on_prem = self.sovereignty == "on_prem" and not self.compliance_ok
        return self.air_gapped or (on_prem and self.sensitive_share in (0.0, 1.0))


def _hourly(values: list[float] | None) -> tuple[float, ...] | None:
    if values is None:
        return None
    total = sum(values)
    if total <= 0:
        raise InputError(
            "profile",
            "the hourly load is zero in every hour.",
            field="traffic.hourly_load",
            allowed="24 numbers, at least one above 0 (import-usage writes them)",
        )
    return tuple(24 * v / total for v in values)


def _main(profile: Profile, catalog: Catalog) -> ModelChoice:
    d, sh = catalog.defaults, profile.self_host
    model_id = sh.model or d.self_host_model
    model = catalog.open_model(model_id)
    gpu: str | None = sh.gpu
    precision: str | None = sh.precision
    precisions = tuple(sh.precisions or d.precisions)
    if (
        sh.throughput_tokens_per_s is not None
        or sh.gpu_hourly_price is not None
        or sh.gpu_purchase_price is not None
    ):
        # A throughput or a GPU price of one's own is about one GPU type (and, for a
        # throughput, one precision): the catalog's default unless the profile says.
        gpu = gpu or d.gpu
        if sh.throughput_tokens_per_s is not None:
            precision = precision or d.precision
    if gpu is not None:
        catalog.gpu(gpu)
    if sh.scaling == "autoscale" and sh.purchase in ("reserved_1y", "reserved_3y", "owned"):
        raise InputError(
            "profile",
            f"{sh.purchase} GPUs are paid for every hour, so they cannot autoscale.",
            field="self_host.scaling",
            allowed='"fixed" with reserved or owned GPUs; "autoscale" on demand or spot',
        )
    for p in (precision, *precisions):
        if p is not None:
            catalog.precision(
                p, "self_host.precisions" if p != precision else "self_host.precision"
            )
    owned = catalog.owned
    purchase = sh.purchase
    if purchase is None and sh.gpu_hourly_price is not None:
        purchase = "on_demand"  # a GPU price of one's own is what one pays: no discount on it
    return ModelChoice(
        purchase=purchase,
        purchases=("owned",) if profile.data.air_gapped else ALL_PURCHASES,
        owned=OwnedTerms(
            purchase_price=sh.gpu_purchase_price,
            power_kw=sh.power_kw_per_gpu,
            amortisation_months=sh.amortisation_months
            or (owned.amortisation_months if owned else 36),
            electricity_per_kwh=sh.electricity_per_kwh
            if sh.electricity_per_kwh is not None
            else (owned.electricity_per_kwh if owned else 0.10),
            pue=sh.pue if sh.pue is not None else (owned.pue if owned else 1.3),
        ),
        model_id=model_id,
        model=model,
        gpu=gpu,
        gpus=sh.gpus,
        precision=precision,
        precisions=precisions,
        scaling=sh.scaling,
        gpu_hourly=sh.gpu_hourly_price,
        infra_overhead=sh.infra_overhead if sh.infra_overhead is not None else d.infra_overhead,
        ops_monthly=sh.ops_monthly_cost if sh.ops_monthly_cost is not None else d.ops_monthly_cost,
        replicas=sh.replicas,
        min_replicas=sh.min_replicas,
        throughput=sh.throughput_tokens_per_s,
        utilization=sh.utilization,
    )


def hosted_open(
    profile: Profile, catalog: Catalog, model_id: str
) -> tuple[Terms | None, str | None]:
    """The cheapest provider in the catalog hosting the open model self-hosting would run,
    priced on this profile's tokens, and why it may not be used (None: it may)."""
    w, a = profile.workload, profile.api
    offers = [
        terms_of(key, entry)
        for key, entry in catalog.api_models.items()
        if entry.open_model == model_id and entry.retired is False
    ]
    if not offers:
        return None, f"no provider in the catalog hosts {model_id}"

    def per_request(t: Terms) -> float:
        b = bill(t, w.input_tokens, w.output_tokens, a.cached_input_share, a.batch_share)
        return b.per_request

    best = min(offers, key=lambda t: (per_request(t), t.model_id))
    d = profile.data
    if not a.hosted_open:
        return best, "you ruled out other providers of the model"
    if d.air_gapped:
        return best, "air-gapped: no outside provider can be reached"
    if d.sovereignty == "on_prem" and not d.api_compliance_ok:
        return best, "the data must stay on your own servers: no outside provider"
    if profile.needs.frontier_capability:
        return best, "frontier capability is needed, and an open model lags the frontier"
    return best, None


def resolve(profile: Profile, catalog: Catalog) -> Inputs:
    """Profile + catalog + policy defaults -> Inputs. Raises InputError on unknown ids."""
    d = catalog.defaults
    w, a = profile.workload, profile.api
    if w.input_tokens + w.output_tokens == 0:
        raise InputError(
            "profile",
            "input_tokens and output_tokens cannot both be 0.",
            field="workload.output_tokens",
            allowed="at least one token per request",
        )
    api_model_id = a.model or d.api_model
    api_model = catalog.api_model(api_model_id)
    main = _main(profile, catalog)
    context = w.input_tokens + w.output_tokens
    if context > main.model.context_max:
        raise InputError(
            "profile",
            f"requests of {context:,} tokens (input + output) exceed the context window of "
            f"{main.model_id} ({main.model.context_max:,} tokens).",
            field="workload.input_tokens",
            allowed=f"input + output tokens up to {main.model.context_max:,}, or another model",
        )
    small_id = d.small_model
    small = ModelChoice(
        model_id=small_id,
        model=catalog.open_model(small_id, "catalog defaults.small_model"),
        gpu=None,
        gpus=None,
        precision=None,
        precisions=main.precisions,
        scaling=main.scaling,
        gpu_hourly=None,
        infra_overhead=main.infra_overhead,
        ops_monthly=main.ops_monthly,
        min_replicas=main.min_replicas,
        utilization=main.utilization,
        purchase=main.purchase,
        purchases=main.purchases,
        owned=main.owned._replace(purchase_price=None, power_kw=None),
    )
    hosted, hosted_excluded = hosted_open(profile, catalog, main.model_id)
    t = profile.traffic
    p2a = t.peak_to_average
    if p2a is None:
        p2a = d.peak_to_average[t.variability]
    return Inputs(
        requests_per_day=float(w.requests_per_day),
        input_tokens=float(w.input_tokens),
        output_tokens=float(w.output_tokens),
        output_measured=w.output_tokens_measured,
        days=float(w.days_per_month),
        simple_share=w.simple_task_share,
        sensitive_share=w.sensitive_share,
        api_model_id=api_model_id,
        api=terms_of(api_model_id, api_model, a.input_price_per_mtok, a.output_price_per_mtok),
        hosted=hosted,
        hosted_excluded=hosted_excluded,
        cached_share=a.cached_input_share,
        batch_share=a.batch_share,
        monthly_spend=a.monthly_spend,
        variability=t.variability,
        peak_to_average=float(p2a),
        burst=float(t.burst_to_average or 1.0),
        hourly_load=_hourly(t.hourly_load),
        growth_phase=t.growth_phase,
        p95_ms=profile.latency.p95_target_ms,
        critical_share=profile.latency.critical_share,
        sovereignty=profile.data.sovereignty,
        compliance_ok=profile.data.api_compliance_ok,
        air_gapped=profile.data.air_gapped,
        expertise=profile.team.ml_expertise,
        frontier=profile.needs.frontier_capability,
        fine_tuned=profile.needs.fine_tuned_model,
        rapid_iteration=profile.needs.rapid_iteration,
        multi_model=profile.needs.multi_model,
        redundancy=profile.self_host.redundancy,
        main=main,
        small=small,
        policy=resolve_policy(profile),
        catalog=catalog,
        horizon=HorizonTerms(
            profile.horizon.months,
            profile.horizon.volume_growth_per_year,
            profile.horizon.api_price_change_per_year,
        ),
        uncertainty=UncertaintyTerms(
            profile.uncertainty.draws,
            profile.uncertainty.seed,
            {
                key: (float(value[0]), float(value[1]))
                for key, value in profile.uncertainty.model_dump(
                    exclude={"draws", "seed"}, exclude_none=True
                ).items()
            },
        ),
    )
