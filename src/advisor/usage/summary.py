"""The figures a usage log gives, exactly as defined, and how they update a profile.

Definitions (also in the summary the CLI prints, its JSON, and the README):

- the window, `requests_per_day`, `peak_to_average` (per hour or per minute),
  `burst_to_average` and `hourly_load`: see `advisor.usage.traffic`;
- `input_tokens`, `output_tokens` = means per request (p50 and p95 shown beside them, by linear
  interpolation between closest ranks); `output_tokens_measured = true`;
- variability `steady` below 1.5, `moderate` below 3, `bursty` below 6, else `unpredictable`,
  from `peak_to_average`;
- model mix: each model's share of requests; several models each above 10% set
  `needs.multi_model = true`; the most used one becomes `api.model` when the catalog knows it;
- the API bill: each model's input and output tokens at its catalog price, summed; per month =
  that bill ÷ the window's days × `days_per_month`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX
from advisor.core.errors import InputError
from advisor.usage.accumulator import Accumulator
from advisor.usage.fields import UNKNOWN_MODEL
from advisor.usage.histogram import percentile
from advisor.usage.models import match_model
from advisor.usage.reader import FileReport, read_files
from advisor.usage.traffic import (
    DAY,
    MINUTES_BELOW_DAYS,
    QUIET_SHARE,
    SHORTEST_SPAN,
    Traffic,
    Window,
    measure,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from advisor.core.catalog.model import Catalog
    from advisor.core.profile.model import Profile

MULTI_MODEL_SHARE = 0.10
VARIABILITY = ((1.5, "steady"), (3.0, "moderate"), (6.0, "bursty"))
SHORT_SPAN_DAYS = 28
WEEK_DAYS = 7

DEFINITIONS = (
    (
        "window",
        "the span, first to last request (UTC); logs over 2 calendar days or more whose first "
        f"and last requests leave only quiet hours uncovered (under {QUIET_SHARE:.0%} of the "
        "requests expected there, at each hour of the day's rate inside the span) cover those "
        f"days, midnight to midnight; a span under {SHORTEST_SPAN:g} s gives no rate: its "
        "calendar days",
    ),
    ("requests_per_day", "requests ÷ the window in days"),
    ("input_tokens, output_tokens", "means per request; p50/p95 by linear interpolation"),
    (
        "peak_to_average",
        "p95 of requests per period ÷ their mean; periods are the window's UTC hours when it "
        f"lasts {MINUTES_BELOW_DAYS:g} days or more, else its minutes; a partial first or last "
        "period counts as a rate weighted by its covered fraction",
    ),
    (
        "minute_peak_to_average",
        "p95 of requests per minute ÷ their mean, whatever the window's length (for a window "
        "under 2 days, peak_to_average itself)",
    ),
    (
        "burst_to_average",
        "p99 over the window's minutes of (requests in the minute ÷ the mean per minute of its "
        "UTC hour); hours without requests left out",
    ),
    (
        "variability",
        "from peak_to_average: steady < 1.5 ≤ moderate < 3 ≤ bursty < 6 ≤ unpredictable",
    ),
    (
        "hourly_load",
        "windows of a day or more: the mean requests in each UTC hour of the day ÷ the mean of "
        "the 24 (they average 1.0)",
    ),
    ("multi_model", "several models each above 10% of requests"),
    (
        "API bill",
        "each model's tokens at its catalog price; per month = ÷ window days × days_per_month",
    ),
)


def variability_of(peak_to_average: float) -> str:
    for limit, name in VARIABILITY:
        if peak_to_average < limit:
            return name
    return "unpredictable"


def duration(seconds: float) -> str:
    """A length of time as a person says it: 42 s, 58 min 22 s, 31 h 05 min, 4.8 days."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
    if seconds < 2 * DAY:
        hours, rest = divmod(round(seconds / 60), 60)
        return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
    return f"{seconds / DAY:.1f} days"


def describe_window(window: Window) -> str:
    """The window in words: how long, and which rule chose it."""
    first = datetime.fromtimestamp(window.first, UTC)
    last = datetime.fromtimestamp(window.last, UTC)
    days = window.calendar_days
    dates = f"{first:%Y-%m-%d}" + (f" to {last:%Y-%m-%d}" if days > 1 else "")
    plural = "s" if days != 1 else ""
    if window.too_short:
        return (
            f"{days} calendar day{plural}, {dates} UTC: the requests span "
            f"{duration(window.span)}, too short to measure a rate"
        )
    if window.kind == "calendar days":
        return (
            f"{days} calendar days, {dates} UTC: the first and last requests leave only quiet "
            f"hours of them uncovered ({window.quiet_share or 0.0:.1%} of the requests "
            "expected there)"
        )
    same_day = days == 1
    end = f"{last:%H:%M:%S}" if same_day else f"{last:%Y-%m-%d %H:%M:%S}"
    return (
        f"{duration(window.seconds)}, {first:%Y-%m-%d %H:%M:%S} to {end} UTC "
        "(first to last request)"
    )


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
    bill: float  # over the log, models the catalog prices
    unpriced_requests: int
    days_per_month: float
    logged_spend: float | None  # LiteLLM's own spend column, summed
    warnings: list[str] = field(default_factory=list)

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
        if self.api_model is not None:
            values["api"] = {"model": self.api_model}
        if self.multi_model:
            values["needs"] = {"multi_model": True}
        return values


BURST_MIN_PER_MINUTE = 10.0


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

    ids = catalog.api_models
    uses = []
    for name, (requests, n_in, n_out) in acc.models.items():
        found = match_model(name, ids)
        if name == UNKNOWN_MODEL:
            found = found._replace(catalog_id=None, how="no model logged")
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
    unpriced = sum(u.requests for u in uses if u.cost is None)
    warnings = _warnings(acc, files, t, uses, unpriced, n)

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
    )


def _warnings(
    acc: Accumulator,
    files: Sequence[FileReport],
    t: Traffic,
    uses: list[ModelUse],
    unpriced: int,
    n: int,
) -> list[str]:
    window = t.window
    warnings = []
    if window.too_short:
        warnings.append(
            f"The requests span {duration(window.span)}: too short to measure a rate. "
            f"requests_per_day is the requests ÷ their {window.calendar_days} calendar "
            f"day{'s' if window.calendar_days != 1 else ''}, and the traffic figures say little."
        )
    elif window.seconds < DAY:
        warnings.append(
            f"The logs cover {duration(window.seconds)}, less than a day: requests_per_day "
            "assumes the whole day runs at this window's rate, and the daily and weekly shape "
            "are unknown (no hourly_load). Logs of a week or more show both."
        )
    elif window.days < WEEK_DAYS:
        warnings.append(
            f"The logs cover {window.days:.1f} days, less than a week: the weekly shape "
            "(weekdays against weekends) is unknown."
        )
    if window.days < SHORT_SPAN_DAYS:
        warnings.append("The article's advice is at least a month of real usage before projecting.")
    period = t.resolution
    if t.p95_per_period < t.mean_per_period:
        warnings.append(
            f"Fewer than 5% of the {period}s have any request, so the p95 of requests per "
            f"{period} is below their mean; the busiest {period} is "
            f"{t.busiest_count / t.mean_per_period:.1f}x the mean: the traffic is burstier "
            "than its peak_to_average says."
        )
    if t.peak_to_average > PEAK_TO_AVERAGE_MAX:
        warnings.append(
            f"peak_to_average {t.peak_to_average:.1f} is above the {PEAK_TO_AVERAGE_MAX:g} a "
            f"profile holds: the profile gets {PEAK_TO_AVERAGE_MAX:g}."
        )
    top = uses[0]
    if top.name == UNKNOWN_MODEL:
        warnings.append(
            "The logs name no model for most requests: api.model is not set from them, and "
            "the API bill leaves those requests out. Set api.model in the profile to price them."
        )
    elif top.catalog_id is None:
        warnings.append(
            f"The most used model, {top.name!r}, is {top.how}: api.model is not set from it. "
            "`advisor catalog import-litellm` adds current prices for many more models."
        )
    if unpriced:
        warnings.append(
            f"{unpriced:,} requests ({unpriced / n:.1%}) are on models the catalog does not "
            "price (or on no model named): the bill leaves them out."
        )
    if acc.approximate:
        warnings.append("Token counts were too varied to keep exactly: p50/p95 within 0.1%.")
    for f in files:
        if f.bad:
            warnings.append(
                f"{f.path}: skipped {f.bad:,} bad row{'s' if f.bad != 1 else ''} of "
                f"{f.rows:,} ({f.bad_share:.2%}): {f.describe_bad()}."
            )
    return warnings


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
        f"{summary.requests:,} requests over {describe_window(summary.window)}."
    )
    base = Profile(name=f"Measured usage ({_clip(names, 150)})", notes=notes)
    return apply_to_profile(summary, base)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _iso(moment: datetime | float) -> str:
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(moment, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rounded(values: list[float] | None, digits: int = 4) -> list[float] | None:
    return None if values is None else [round(v, digits) for v in values]


def summary_json(summary: UsageSummary) -> dict[str, object]:
    """The summary as JSON-ready data: every figure, the window, the definitions, the warnings
    and what an import writes into a profile. Names are the README's."""
    s = summary
    w = s.window

    def tokens(t: TokenFigures) -> dict[str, object]:
        return {"mean": t.mean, "p50": t.p50, "p95": t.p95, "total": t.total}

    return {
        "files": [
            {
                "path": f.path,
                "format": f.format,
                "requests": f.requests,
                "bad_rows": f.bad,
                "bad_examples": [{"line": line, "reason": why} for line, why in f.examples],
            }
            for f in s.files
        ],
        "requests": s.requests,
        "first_request": _iso(s.first),
        "last_request": _iso(s.last),
        "window": {
            "kind": w.kind,
            "start": _iso(w.start),
            "end": _iso(w.end),
            "seconds": w.seconds,
            "days": w.days,
            "span_seconds": w.span,
            "calendar_days": w.calendar_days,
            "quiet_share": w.quiet_share,
            "too_short": w.too_short,
            "described": describe_window(w),
        },
        "requests_per_day": s.requests_per_day,
        "input_tokens": tokens(s.inputs),
        "output_tokens": tokens(s.outputs),
        "token_percentiles_approximate": s.approximate,
        "peak_resolution": s.resolution,
        "requests_per_period": {"mean": s.mean_per_period, "p95": s.p95_per_period},
        "peak_to_average": s.peak_to_average,
        "variability": s.variability,
        "minute_peak_to_average": s.minute_peak_to_average,
        "burst_to_average": s.burst_to_average,
        "busiest_period": {"start": _iso(s.busiest_start), "requests": s.busiest_count},
        "busiest_minute": {
            "start": _iso(s.busiest_minute_start),
            "requests": s.busiest_minute_count,
        },
        "hour_of_day": _rounded(s.hour_of_day),
        "hourly_load": _rounded(s.hourly_load),
        "models": [
            {
                "name": u.name,
                "requests": u.requests,
                "share": u.share,
                "input_tokens": u.input_tokens,
                "output_tokens": u.output_tokens,
                "catalog_id": u.catalog_id,
                "matched": u.how,
                "bill": u.cost,
            }
            for u in s.models
        ],
        "multi_model": s.multi_model,
        "api_model": s.api_model,
        "api_bill": {
            "total": s.bill,
            "per_month": s.monthly_bill,
            "days_per_month": s.days_per_month,
            "unpriced_requests": s.unpriced_requests,
        },
        "logged_spend": None
        if s.logged_spend is None
        else {"total": s.logged_spend, "per_month": s.monthly_logged_spend},
        "warnings": s.warnings,
        "definitions": dict(DEFINITIONS),
        "profile_values": s.profile_values(),
    }
