"""What the usage summary warns of: a window too short to say much, sparse traffic, a peak
above what a profile holds, models the catalog does not price, what the logs leave unsaid about
the bill (the cache, what was paid), a bill that does not reconcile, and bad rows skipped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX
from advisor.usage.accumulator import Accumulator
from advisor.usage.definitions import duration
from advisor.usage.fields import UNKNOWN_MODEL
from advisor.usage.reader import FileReport
from advisor.usage.reconcile import Reconciliation
from advisor.usage.traffic import DAY, Traffic

if TYPE_CHECKING:
    from advisor.usage.summary import ModelUse

SHORT_SPAN_DAYS = 28
WEEK_DAYS = 7


def summary_warnings(
    acc: Accumulator,
    files: Sequence[FileReport],
    t: Traffic,
    uses: list[ModelUse],
    unpriced: int,
    n: int,
    reconciliation: Reconciliation | None,
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
    if t.p95_per_period < t.mean_per_period and t.busy_share < 0.5:  # sparse, not flat
        few = "Fewer than 0.1%" if t.busy_share < 0.001 else f"Only {t.busy_share:.1%}"
        warnings.append(
            f"{few} of the {period}s have any request, so the p95 of requests per "
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
    warnings.extend(_billing_warnings(acc, uses, n, reconciliation))
    if acc.approximate:
        warnings.append("Token counts were too varied to keep exactly: p50/p95 within 0.1%.")
    for f in files:
        if f.bad:
            warnings.append(
                f"{f.path}: skipped {f.bad:,} bad row{'s' if f.bad != 1 else ''} of "
                f"{f.rows:,} ({f.bad_share:.2%}): {f.describe_bad()}."
            )
    return warnings


def _billing_warnings(
    acc: Accumulator, uses: list[ModelUse], n: int, reconciliation: Reconciliation | None
) -> list[str]:
    """What the logs leave unsaid about the bill, and a bill that does not reconcile."""
    warnings = []
    if 0 < acc.cache_rows < n:
        warnings.append(
            f"Only {acc.cache_rows:,} of the {n:,} requests say what was read from the prompt "
            "cache: cached_input_share counts the others as uncached."
        )
    if 0 < acc.spend_rows < n:
        warnings.append(
            f"Only {acc.spend_rows:,} of the {n:,} requests record what was paid: computed and "
            "paid are not compared."
        )
    hits = sum(u.proxy_hits for u in uses)
    if hits:
        warnings.append(
            f"{hits:,} requests ({hits / n:.1%}) were answered from LiteLLM's own cache: no "
            "provider call, nothing billed; the workload counts them."
        )
    if reconciliation is not None and reconciliation.flagged:
        warnings.append(
            f"Computed and paid differ by {abs(reconciliation.share):.1%}, over the 5% a bill "
            "reconciles to: see the reconciliation."
        )
    return warnings
