"""The figures a usage log gives, exactly as defined, and how they update a profile.

Definitions (also in the summary the CLI prints, and in the README):

- `requests_per_day` = requests ÷ calendar days spanned, first to last date inclusive (UTC);
- `input_tokens`, `output_tokens` = means per request (p50 and p95 shown beside them, by linear
  interpolation between closest ranks); `output_tokens_measured = true`;
- hourly counts: requests in each UTC hour of those calendar days (24 per day), empty hours
  included; `peak_to_average` = their 95th percentile ÷ their mean (the mean is thus
  requests_per_day ÷ 24); variability `steady` below 1.5, `moderate` below 3, `bursty` below 6,
  else `unpredictable`;
- model mix: each model's share of requests; several models each above 10% set
  `needs.multi_model = true`; the most used one becomes `api.model` when the catalog knows it;
- the API bill: each model's input and output tokens at its catalog price, summed; per month =
  that bill ÷ days spanned × `days_per_month`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX
from advisor.core.errors import InputError
from advisor.usage.accumulator import Accumulator
from advisor.usage.histogram import percentile
from advisor.usage.models import match_model
from advisor.usage.reader import FileReport, read_files

if TYPE_CHECKING:
    from collections.abc import Callable

    from advisor.core.catalog.model import Catalog
    from advisor.core.profile.model import Profile

MULTI_MODEL_SHARE = 0.10
VARIABILITY = ((1.5, "steady"), (3.0, "moderate"), (6.0, "bursty"))
TIMELINE_COLUMNS = 72
SHORT_SPAN_DAYS = 28

DEFINITIONS = (
    ("requests_per_day", "requests ÷ calendar days spanned, first to last date inclusive (UTC)"),
    ("input_tokens, output_tokens", "means per request; p50/p95 by linear interpolation"),
    (
        "peak_to_average",
        "p95 of hourly request counts (every UTC hour of those days, empty hours included) ÷ "
        "their mean",
    ),
    ("variability", "steady < 1.5 ≤ moderate < 3 ≤ bursty < 6 ≤ unpredictable"),
    ("multi_model", "several models each above 10% of requests"),
    ("API bill", "each model's tokens at its catalog price; per month = ÷ days × days_per_month"),
)


def variability_of(peak_to_average: float) -> str:
    for limit, name in VARIABILITY:
        if peak_to_average < limit:
            return name
    return "unpredictable"


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
    input_tokens: int
    output_tokens: int
    catalog_id: str | None
    how: str  # how the name was matched: "exact", "as gpt-4o", "not in the catalog"...
    cost: float | None  # at catalog prices, dollars, over the whole log


@dataclass(frozen=True)
class UsageSummary:
    files: list[FileReport]
    requests: int
    first: datetime  # UTC
    last: datetime
    days: int  # calendar days spanned, inclusive
    requests_per_day: float
    inputs: TokenFigures
    outputs: TokenFigures
    approximate: bool  # token percentiles from buckets (within 0.1%)
    hours: int  # hours in the span: days × 24
    mean_hourly: float
    p95_hourly: float
    max_hourly: int
    busiest_hour: datetime
    peak_to_average: float
    variability: str
    hour_of_day: list[float]  # mean requests in each UTC hour of the day, 00..23
    timeline: list[float]  # the busiest hour in each column of the span
    hours_per_column: int
    models: list[ModelUse]
    multi_model: bool
    api_model: str | None  # the most used model's catalog id, when known
    bill: float  # over the log, models the catalog prices
    unpriced_requests: int
    days_per_month: float
    logged_spend: float | None  # LiteLLM's own spend column, summed
    warnings: list[str] = field(default_factory=list)

    @property
    def top_model(self) -> ModelUse:
        return self.models[0]

    @property
    def monthly_bill(self) -> float:
        return self.bill / self.days * self.days_per_month

    @property
    def monthly_logged_spend(self) -> float | None:
        if self.logged_spend is None:
            return None
        return self.logged_spend / self.days * self.days_per_month

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
        values: dict[str, dict[str, object]] = {"workload": workload, "traffic": traffic}
        if self.api_model is not None:
            values["api"] = {"model": self.api_model}
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
    first = datetime.fromtimestamp(acc.first, UTC)
    last = datetime.fromtimestamp(acc.last, UTC)
    first_day = math.floor(acc.first / 86400)
    days = math.floor(acc.last / 86400) - first_day + 1
    span_hours = days * 24
    start_hour = first_day * 24

    # Hourly counts, every hour of the span, empty ones included.
    counts: Counter[int] = Counter(acc.hours.values())
    counts[0] += span_hours - len(acc.hours)
    mean_hourly = n / span_hours
    p95_hourly = percentile(counts, 0.95)
    peak_to_average = p95_hourly / mean_hourly
    busiest, max_hourly = max(acc.hours.items(), key=lambda kv: (kv[1], -kv[0]))
    hour_of_day = [0.0] * 24
    for hour, count in acc.hours.items():
        hour_of_day[(hour - start_hour) % 24] += count / days
    per_column = max(1, math.ceil(span_hours / TIMELINE_COLUMNS))
    timeline = [0.0] * math.ceil(span_hours / per_column)
    for hour, count in acc.hours.items():
        column = (hour - start_hour) // per_column
        timeline[column] = max(timeline[column], float(count))

    ids = catalog.api_models
    uses = []
    for name, (requests, n_in, n_out) in acc.models.items():
        found = match_model(name, ids)
        cost = None
        if found.catalog_id is not None:
            price = ids[found.catalog_id]
            cost = (n_in * price.input_per_mtok + n_out * price.output_per_mtok) / 1e6
        uses.append(
            ModelUse(name, requests, requests / n, n_in, n_out, found.catalog_id, found.how, cost)
        )
    uses.sort(key=lambda u: (-u.requests, u.name))
    multi = sum(1 for u in uses if u.share > MULTI_MODEL_SHARE) >= 2
    top = uses[0]

    warnings = []
    if days < SHORT_SPAN_DAYS:
        warnings.append(
            f"The logs span {days} day{'s' if days != 1 else ''}: the article's advice is at "
            "least a month of real usage before projecting."
        )
    if p95_hourly < mean_hourly:
        warnings.append(
            "Fewer than 5% of the hours have any request, so the p95 of hourly counts is below "
            f"their mean; the busiest hour is {max_hourly / mean_hourly:.1f}x the mean: "
            "the traffic is burstier than its peak_to_average says."
        )
    if top.catalog_id is None:
        warnings.append(
            f"The most used model, {top.name!r}, is {top.how}: api.model is not set from it. "
            "`advisor catalog import-litellm` adds current prices for many more models."
        )
    unpriced = sum(u.requests for u in uses if u.cost is None)
    if unpriced:
        warnings.append(
            f"{unpriced:,} requests ({unpriced / n:.1%}) are on models the catalog does not "
            "price: the bill leaves them out."
        )
    if acc.approximate:
        warnings.append("Token counts were too varied to keep exactly: p50/p95 within 0.1%.")
    for f in files:
        if f.bad:
            warnings.append(
                f"{f.path}: skipped {f.bad:,} bad row{'s' if f.bad != 1 else ''} of "
                f"{f.rows:,} ({f.bad_share:.2%}): {f.describe_bad()}."
            )

    return UsageSummary(
        files=list(files),
        requests=n,
        first=first,
        last=last,
        days=days,
        requests_per_day=n / days,
        inputs=_tokens(acc.inputs, sum(t[1] for t in acc.models.values()), n),
        outputs=_tokens(acc.outputs, sum(t[2] for t in acc.models.values()), n),
        approximate=acc.approximate,
        hours=span_hours,
        mean_hourly=mean_hourly,
        p95_hourly=p95_hourly,
        max_hourly=max_hourly,
        busiest_hour=datetime.fromtimestamp(busiest * 3600, UTC),
        peak_to_average=peak_to_average,
        variability=variability_of(peak_to_average),
        hour_of_day=hour_of_day,
        timeline=timeline,
        hours_per_column=per_column,
        models=uses,
        multi_model=multi,
        api_model=top.catalog_id,
        bill=sum(u.cost for u in uses if u.cost is not None),
        unpriced_requests=unpriced,
        days_per_month=days_per_month,
        logged_spend=acc.spend if acc.spend_rows else None,
        warnings=warnings,
    )


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
    acc, files = read_files(paths, wanted, progress)
    return summarise(acc, files, catalog, days_per_month)


def apply_to_profile(summary: UsageSummary, profile: Profile, file: str = "<profile>") -> Profile:
    """The profile with its workload and traffic (and api.model, needs.multi_model when the
    logs say so) measured; every other answer kept."""
    from advisor.core.profile.io import parse_profile

    data = profile.model_dump(mode="json", exclude_none=True)
    for section, values in summary.profile_values().items():
        data.setdefault(section, {}).update(values)
    if data["workload"]["input_tokens"] + data["workload"]["output_tokens"] == 0:
        raise InputError(file, "the logs record no tokens at all: nothing to measure.")
    return parse_profile(data, file)


def update_profile_text(text: str, summary: UsageSummary, file: str = "<profile>") -> str:
    """A profile's TOML text with only the measured answers changed: every other line, comment
    and layout as it was (where `save_profile` would also write out every default). The result
    is checked as a profile; raises InputError(s)."""
    import tomllib

    import tomlkit

    from advisor.core.profile.io import parse_profile

    document = tomlkit.parse(text)
    for section, values in summary.profile_values().items():
        table = document.get(section)
        if table is None:
            table = tomlkit.table()
            document[section] = table
        for key, value in values.items():
            table[key] = value
    updated = tomlkit.dumps(document)
    parse_profile(tomllib.loads(updated), file, updated)
    return updated


def new_profile(summary: UsageSummary, sources: Sequence[str]) -> Profile:
    """A fresh profile (defaults elsewhere) from the measured figures."""
    from advisor.core.profile.model import Profile

    names = ", ".join(Path(s).name for s in sources)
    notes = (
        f"Workload and traffic measured by `advisor import-usage` from {names}: "
        f"{summary.requests:,} requests, {summary.first:%Y-%m-%d} to {summary.last:%Y-%m-%d} "
        f"({summary.days} days, UTC)."
    )
    base = Profile(name=f"Measured usage ({_clip(names, 150)})", notes=notes)
    return apply_to_profile(summary, base)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
