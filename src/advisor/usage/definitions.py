"""The usage summary's words: what each figure means (`DEFINITIONS`, printed with the summary
and in its JSON; the README's table says the same), the variability bands, and the window and
durations as a person says them."""

from __future__ import annotations

from datetime import UTC, datetime

from advisor.usage.traffic import DAY, MINUTES_BELOW_DAYS, QUIET_SHARE, SHORTEST_SPAN, Window

VARIABILITY = ((1.5, "steady"), (3.0, "moderate"), (6.0, "bursty"))

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
        "cached_input_share",
        "input tokens read from the prompt cache ÷ all input tokens (which include them); "
        "measured when the logs say what was cached",
    ),
    (
        "API bill",
        "each request at its model's catalog price in force on its UTC date: uncached input, "
        "cache reads at the cached-input price, output; a long-context tier above its "
        "threshold; Batch API results at the batch discount; LiteLLM cache hits free; per "
        "month = ÷ window days × days_per_month",
    ),
    (
        "reconciliation",
        "where every request records what was paid: computed against paid; a gap over 5% of "
        "what was paid is explained, in dollars, as far as the logs allow",
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
