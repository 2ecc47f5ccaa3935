"""The figures a usage log gives, exactly as defined, and what an import writes into a profile.

Definitions (also in the summary the CLI prints, its JSON, and the README;
`advisor.usage.definitions` holds their words):

- the window, `requests_per_day`, `peak_to_average` (per hour or per minute),
  `burst_to_average` and `hourly_load`: see `advisor.usage.traffic`;
- `input_tokens`, `output_tokens` = means per request (p50 and p95 shown beside them, by linear
  interpolation between closest ranks); `output_tokens_measured = true`;
- variability `steady` below 1.5, `moderate` below 3, `bursty` below 6, else `unpredictable`,
  from `peak_to_average`;
- model mix: each model's share of requests; several models each above 10% set
  `needs.multi_model = true`; the most used one becomes `api.model` when the catalog knows it;
- `cached_input_share` = input tokens read from the prompt cache ÷ every input token, when the
  logs say what was cached; `batch_share` = Batch API results ÷ requests, when there are any;
- the API bill: each request as billed at the catalog price in force on its date
  (`advisor.usage.bill`); per month = that bill ÷ the window's days × `days_per_month`;
- the reconciliation, where every request records what was paid: `advisor.usage.reconcile`.

The profile is updated by `advisor.usage.profile_update`; the JSON is `advisor.usage.summary_json`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX
from advisor.core.errors import InputError
from advisor.usage.accumulator import Accumulator
from advisor.usage.bill import Priced, changes_within, price_model
from advisor.usage.bill import unpriced as unpriced_model
from advisor.usage.definitions import variability_of
from advisor.usage.fields import UNKNOWN_MODEL
from advisor.usage.groups import GroupKey, Tally, tier_thresholds
from advisor.usage.histogram import percentile
from advisor.usage.models import match_model
from advisor.usage.reader import FileReport, read_files
from advisor.usage.reconcile import Reconciliation, reconcile
from advisor.usage.traffic import Window, measure
from advisor.usage.warnings import summary_warnings

if TYPE_CHECKING:
    from collections.abc import Callable

    from advisor.core.catalog.model import Catalog

MULTI_MODEL_SHARE = 0.10
BURST_MIN_PER_MINUTE = 10.0


@dataclass(frozen=True)
class TokenFigures:
    mean: float
    p50: float
    p95: float
    total: int


@dataclass(frozen=True)
class ModelUse:
    name: str  # as logged
    requests: int
    share: float
    input_tokens: int  # every input token, cache reads and writes included
    output_tokens: int
    catalog_id: str | None
    how: str  # how the name was matched: "exact", "as gpt-4o", "not in the catalog"...
    cost: float | None  # as billed at catalog prices (advisor.usage.bill), over the whole log
    cached_tokens: int = 0  # read from the prompt cache
    written_tokens: int = 0  # written to it
    paid: float | None = None  # what the logs record, when they do for every request
    batch_requests: int = 0  # Batch API results
    proxy_hits: int = 0  # answered from LiteLLM's own cache


@dataclass(frozen=True)
class UsageSummary:
    files: list[FileReport]
    requests: int
    first: datetime  # UTC: the first and the last request
    last: datetime
    window: Window  # the time the logs observed (advisor.usage.traffic)
    days: int  # calendar days from the first request's date to the last's, inclusive (UTC)
    requests_per_day: float  # requests ÷ window.days
    inputs: TokenFigures
    outputs: TokenFigures
    approximate: bool  # token percentiles from buckets (within 0.1%)
    resolution: str  # "hour" or "minute": the periods peak_to_average is measured over
    mean_per_period: float  # requests per period, mean over the window
    p95_per_period: float
    peak_to_average: float
    variability: str
    minute_peak_to_average: float  # p95 minute ÷ mean minute, whatever the window's length
    burst_to_average: float  # p99 minute ÷ its hour's mean minute
    busiest_count: int  # requests in the busiest period (hour or minute: resolution)
    busiest_start: datetime
    busiest_minute_count: int
    busiest_minute_start: datetime
    hour_of_day: list[float] | None  # mean requests in each UTC hour of the day; a day or more
    hourly_load: list[float] | None  # hour_of_day ÷ its mean: 24 figures, mean 1.0
    timeline: list[float]  # the busiest timeline_unit in each column of the window
    timeline_unit: str  # "hour" (a window of a day or more) or "minute"
    periods_per_column: int
    models: list[ModelUse]
    multi_model: bool
    api_model: str | None  # the most used model's catalog id, when known
    bill: float  # over the log, models the catalog prices, as billed (advisor.usage.bill)
    unpriced_requests: int
    days_per_month: float
    logged_spend: float | None  # what the logs say was paid (LiteLLM's spend, a cost column)
    warnings: list[str] = field(default_factory=list)
    cached_tokens: int = 0  # input tokens read from the prompt cache
    written_tokens: int = 0  # written to it
    cache_rows: int = 0  # requests whose log says what was cached
    batch_requests: int = 0
    proxy_hits: int = 0
    spend_rows: int = 0  # requests whose log says what was paid
    reconciliation: Reconciliation | None = None  # computed against paid
    price_changes: dict[str, list[date]] = field(default_factory=dict)  # inside the window

    @property
    def cached_input_share(self) -> float | None:
        """Cache reads ÷ every input token; None when the logs do not say what was cached."""
        if not self.cache_rows:
            return None
        total = self.inputs.total
        return self.cached_tokens / total if total else 0.0

    @property
    def batch_share(self) -> float:
        return self.batch_requests / self.requests

    @property
    def top_model(self) -> ModelUse:
        return self.models[0]

    @property
    def window_days(self) -> float:
        return self.window.days

    @property
    def monthly_bill(self) -> float:
        return self.bill / self.window.days * self.days_per_month

    @property
    def monthly_logged_spend(self) -> float | None:
        if self.logged_spend is None:
            return None
        return self.logged_spend / self.window.days * self.days_per_month

    def profile_values(self) -> dict[str, dict[str, object]]:
        """What an import writes into a profile, section by section."""
        workload: dict[str, object] = {
            "requests_per_day": max(0.01, round(self.requests_per_day, 2)),
            "input_tokens": round(self.inputs.mean),
            "output_tokens": round(self.outputs.mean),
            "output_tokens_measured": True,
        }
        traffic: dict[str, object] = {
            "variability": self.variability,
            "peak_to_average": min(PEAK_TO_AVERAGE_MAX, max(1.0, round(self.peak_to_average, 3))),
        }
        if self.hourly_load is not None:  # a day or more of logs: the measured daily shape
            traffic["hourly_load"] = [round(x, 4) for x in self.hourly_load]
        if self.resolution == "hour" and self.requests_per_day / 1440 >= BURST_MIN_PER_MINUTE:
            # Peaks measured per hour miss the minutes inside them that a replica must absorb.
            # (Below 10 requests a minute the figure is mostly the noise of random arrivals.)
            burst = min(PEAK_TO_AVERAGE_MAX, max(1.0, round(self.burst_to_average, 3)))
            traffic["burst_to_average"] = burst
        values: dict[str, dict[str, object]] = {"workload": workload, "traffic": traffic}
        api: dict[str, object] = {}
        if self.api_model is not None:
            api["model"] = self.api_model
        share = self.cached_input_share
        if share is not None:  # the logs say what was cached
            api["cached_input_share"] = round(share, 4)
        if self.batch_requests:  # the logs show Batch API results
            api["batch_share"] = round(self.batch_share, 4)
        if api:
            values["api"] = api
        if self.multi_model:
            values["needs"] = {"multi_model": True}
        return values


def summarise(
    acc: Accumulator,
    files: Sequence[FileReport],
    catalog: Catalog,
    days_per_month: float = 30.0,
) -> UsageSummary:
    """The defined figures from an accumulator (see the module docstring)."""
    acc.finish()
    n = acc.requests
    if n == 0 or acc.first is None or acc.last is None:
        raise InputError(", ".join(f.path for f in files) or "<logs>", "hold no requests.")
    t = measure(acc.first, acc.last, acc.minutes, n)
    window = t.window

    uses, priced, unpriced_models, changes = _model_uses(acc, catalog)
    multi = sum(1 for u in uses if u.share > MULTI_MODEL_SHARE) >= 2
    top = uses[0]
    unpriced = sum(u.requests for u in uses if u.cost is None)
    reconciliation = reconcile(priced, unpriced_models, changes)
    warnings = summary_warnings(acc, files, t, uses, unpriced, n, reconciliation)

    return UsageSummary(
        files=list(files),
        requests=n,
        first=datetime.fromtimestamp(acc.first, UTC),
        last=datetime.fromtimestamp(acc.last, UTC),
        window=window,
        days=window.calendar_days,
        requests_per_day=t.requests_per_day,
        inputs=_tokens(acc.inputs, sum(m[1] for m in acc.models.values()), n),
        outputs=_tokens(acc.outputs, sum(m[2] for m in acc.models.values()), n),
        approximate=acc.approximate,
        resolution=t.resolution,
        mean_per_period=t.mean_per_period,
        p95_per_period=t.p95_per_period,
        peak_to_average=t.peak_to_average,
        variability=variability_of(t.peak_to_average),
        minute_peak_to_average=t.minute_peak_to_average,
        burst_to_average=t.burst_to_average,
        busiest_count=t.busiest_count,
        busiest_start=datetime.fromtimestamp(t.busiest_start, UTC),
        busiest_minute_count=t.busiest_minute_count,
        busiest_minute_start=datetime.fromtimestamp(t.busiest_minute_start, UTC),
        hour_of_day=t.hour_of_day,
        hourly_load=t.hourly_load,
        timeline=t.timeline,
        timeline_unit=t.timeline_unit,
        periods_per_column=t.periods_per_column,
        models=uses,
        multi_model=multi,
        api_model=top.catalog_id,
        bill=sum(u.cost for u in uses if u.cost is not None),
        unpriced_requests=unpriced,
        days_per_month=days_per_month,
        logged_spend=acc.spend if acc.spend_rows else None,
        warnings=warnings,
        cached_tokens=acc.cached_tokens,
        written_tokens=acc.written_tokens,
        cache_rows=acc.cache_rows,
        batch_requests=sum(u.batch_requests for u in uses),
        proxy_hits=sum(u.proxy_hits for u in uses),
        spend_rows=acc.spend_rows,
        reconciliation=reconciliation,
        price_changes={m: d for m, d in changes.items() if d},
    )


def _model_uses(
    acc: Accumulator, catalog: Catalog
) -> tuple[list[ModelUse], dict[str, Priced], dict[str, Priced], dict[str, list[date]]]:
    """Each logged model, matched to the catalog and priced as billed; with the priced and
    unpriced tallies by name, and each priced model's price changes inside the window."""
    by_model: dict[str, list[tuple[GroupKey, Tally]]] = {}
    for key, tally in acc.groups.items():
        by_model.setdefault(key.model, []).append((key, tally))
    ids = catalog.api_models
    n = acc.requests
    uses: list[ModelUse] = []
    priced: dict[str, Priced] = {}
    lost: dict[str, Priced] = {}
    changes: dict[str, list[date]] = {}
    for name, items in by_model.items():
        found = match_model(name, ids)
        if name == UNKNOWN_MODEL:
            found = found._replace(catalog_id=None, how="no model logged")
        cost: float | None = None
        if found.catalog_id is not None:
            entry = ids[found.catalog_id]
            p = priced[name] = price_model(found.catalog_id, entry, items, acc.thresholds)
            first, last = date.fromordinal(min(p.days)), date.fromordinal(max(p.days))
            changes[name] = changes_within(entry, first, last)
            cost = p.cost
        else:
            p = lost[name] = unpriced_model(items)
        uses.append(
            ModelUse(
                name,
                p.requests,
                p.requests / n,
                p.input_tokens,
                p.output_tokens,
                found.catalog_id,
                found.how,
                cost,
                p.cached_tokens,
                p.written_tokens,
                p.paid if p.paid_requests == p.requests else None,
                p.batch_requests,
                p.proxy_hits,
            )
        )
    uses.sort(key=lambda u: (-u.requests, u.name))
    return uses, priced, lost, changes


def _tokens(histogram: Counter[int], total: int, n: int) -> TokenFigures:
    """Mean from the exact total (the histogram may be folded); percentiles from it."""
    return TokenFigures(total / n, percentile(histogram, 0.5), percentile(histogram, 0.95), total)


def analyse(
    paths: Sequence[str | Path],
    catalog: Catalog,
    wanted: str = "auto",
    days_per_month: float = 30.0,
    progress: Callable[[int, int], None] | None = None,
) -> UsageSummary:
    """Read the logs and give their summary. Raises InputError for a file it cannot use."""
    acc, files = read_files(paths, wanted, progress, tier_thresholds(catalog))
    return summarise(acc, files, catalog, days_per_month)
