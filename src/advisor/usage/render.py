"""The import summary on a terminal (Rich): figures with their definitions, the load as a text
chart (per minute for a window under a day, else per hour), the model mix and the bill.

Everything that came from the logs (file and model names, bad rows' reasons) is printed as
plain text with its control characters escaped (`advisor.usage.text.printable`): never as Rich
markup, never raw to the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.table import Table
from rich.text import Text

from advisor.usage.definitions import DEFINITIONS, describe_window
from advisor.usage.summary import UsageSummary
from advisor.usage.text import printable


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _money(value: float) -> str:
    return f"${value:,.2f}" if value < 100 else f"${value:,.0f}"


def _safe(text: str, style: str = "") -> Text:
    return Text(printable(text), style=style)


def sparkline(values: Iterable[float]) -> str:
    """One character per value, eight levels (a blank for zero)."""
    values = list(values)
    top = max(values, default=0.0)
    if top <= 0:
        return " " * len(values)
    blocks = "▁▂▃▄▅▆▇█"
    return "".join(" " if v <= 0 else blocks[min(7, int(v / top * 8 - 1e-9))] for v in values)


def _ends(left: str, right: str, width: int) -> str:
    """Two labels under a chart `width` wide: one at each end."""
    return left + right.rjust(max(width - len(left), len(right) + 1))


def _load_chart(s: UsageSummary, console: Console) -> None:
    line = sparkline(s.timeline)
    every = s.periods_per_column
    if s.timeline_unit == "minute":
        console.print(Text("Requests per minute (UTC)", style="bold"))
        what = "each minute" if every == 1 else f"the busiest minute of every {every}"
        console.print(f"  {what} of the window (top {max(s.timeline, default=0):,.0f}):")
        console.print("  " + line)
        start = datetime.fromtimestamp(s.window.start, UTC)
        last = start + timedelta(minutes=every * (len(s.timeline) - 1))
        console.print("  " + _ends(f"{start:%H:%M}", f"{last:%H:%M}", len(line)))
        return
    console.print(Text("Hourly load (UTC)", style="bold"))
    if s.hour_of_day is not None:
        top = max(s.hour_of_day)
        console.print(f"  by hour of day, mean requests per hour (top {_n(top, 1)}):")
        console.print("  " + "".join(c * 2 for c in sparkline(s.hour_of_day)))
        console.print("  " + "".join(f"{h:02d}" + " " * 10 for h in range(0, 24, 6)).rstrip())
    what = "each hour" if every == 1 else f"the busiest hour of every {every}"
    console.print(f"  the whole window, {what} (top {max(s.timeline, default=0):,.0f}):")
    console.print("  " + line)
    start = datetime.fromtimestamp(s.window.start, UTC)
    end = datetime.fromtimestamp(s.window.end, UTC) - timedelta(seconds=1)
    console.print("  " + _ends(f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", len(line)))


def _model_mix(s: UsageSummary, console: Console) -> None:
    mix = Table(title="Model mix and the API bill at catalog prices", title_justify="left")
    paid = any(u.paid is not None for u in s.models)
    cache = s.cached_input_share is not None  # the logs say what was cached
    columns = [("model", "left"), ("requests", "right"), ("share", "right")]
    columns += [("cached", "right")] if cache else []
    columns += [("catalog id", "left"), ("bill", "right")]
    if paid:
        columns.append(("paid", "right"))
    for col, justify in columns:
        mix.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for use in s.models[:12]:
        row: list[Text | str] = [_safe(use.name), f"{use.requests:,}", f"{use.share:.1%}"]
        if cache:
            row.append(f"{use.cached_tokens / use.input_tokens:.0%}" if use.input_tokens else "-")
        row += [
            _safe(use.catalog_id + ("" if use.how == "exact" else " (matched)"))
            if use.catalog_id
            else _safe(use.how, "yellow"),
            _money(use.cost) if use.cost is not None else "-",
        ]
        if paid:
            row.append(_money(use.paid) if use.paid is not None else "-")
        mix.add_row(*row)
    if len(s.models) > 12:
        rest = s.models[12:]
        row = [f"{len(rest)} more", f"{sum(u.requests for u in rest):,}"]
        row += [f"{sum(u.share for u in rest):.1%}", *([""] if cache else []), ""]
        row.append(_money(sum(u.cost or 0.0 for u in rest)))
        if paid:
            row.append(_money(sum(u.paid or 0.0 for u in rest)))
        mix.add_row(*row)
    console.print(mix)


def _billing_terms(s: UsageSummary, console: Console) -> None:
    """What the bill's terms came to: the prompt cache, batch, price changes."""
    share = s.cached_input_share
    if share is not None:
        written = f", {s.written_tokens:,} written to it" if s.written_tokens else ""
        console.print(
            f"Prompt cache: {s.cached_tokens:,} of {s.inputs.total:,} input tokens read from "
            f"it{written}: cached_input_share {share:.3f}."
        )
    if s.batch_requests:
        console.print(
            f"Batch API: {s.batch_requests:,} results ({s.batch_share:.1%} of requests), "
            "billed at the batch discount: batch_share "
            f"{s.batch_share:.3f}."
        )
    for model, days in s.price_changes.items():
        when = ", ".join(d.isoformat() for d in days)
        console.print(
            _safe(f"{model}: its price changed on {when}; each request is priced at its day's.")
        )


def render_to(summary: UsageSummary, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    s = summary
    files = ", ".join(f"{f.path} ({f.format}, {f.requests:,})" for f in s.files)
    console.print(_safe(f"Usage measured from {files}", "bold"))
    plural = "s" if s.requests != 1 else ""
    console.print(f"{s.requests:,} request{plural} over {describe_window(s.window)}.", markup=False)
    console.print()

    period = s.resolution
    figures = Table(title="The workload, measured", title_justify="left")
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    figures.add_column("p50", justify="right")
    figures.add_column("p95", justify="right")
    for label, value, p50, p95 in (
        ("requests_per_day", _n(s.requests_per_day, 1), "", ""),
        ("input_tokens (mean)", _n(s.inputs.mean, 1), _n(s.inputs.p50), _n(s.inputs.p95)),
        ("output_tokens (mean)", _n(s.outputs.mean, 1), _n(s.outputs.p50), _n(s.outputs.p95)),
        (f"requests per {period} (mean)", _n(s.mean_per_period, 2), "", _n(s.p95_per_period, 1)),
        (f"peak_to_average (per {period})", f"{s.peak_to_average:.2f}", "", ""),
        *(
            [("minute_peak_to_average", f"{s.minute_peak_to_average:.2f}", "", "")]
            if period == "hour"
            else []
        ),
        ("burst_to_average (minute p99)", f"{s.burst_to_average:.2f}", "", ""),
        ("variability", s.variability, "", ""),
    ):
        figures.add_row(label, value, p50, p95)
    console.print(figures)
    if period == "minute":
        console.print(
            f"peak_to_average is per minute: the window is under two days. Busiest minute: "
            f"{s.busiest_count:,} requests at {s.busiest_start:%Y-%m-%d %H:%M} UTC "
            f"({s.busiest_count / s.mean_per_period:.1f}x the mean minute)."
        )
    else:
        console.print(
            f"Busiest hour: {s.busiest_count:,} requests at {s.busiest_start:%Y-%m-%d %H:00} UTC "
            f"({s.busiest_count / s.mean_per_period:.1f}x the mean hour); busiest minute: "
            f"{s.busiest_minute_count:,} at {s.busiest_minute_start:%Y-%m-%d %H:%M}."
        )
    console.print(
        f"A replica sized for an hour's mean load meets {s.burst_to_average:.2f}x that load "
        "in 1% of its minutes (burst_to_average)."
    )
    if s.hourly_load is not None:
        low = min(range(24), key=s.hourly_load.__getitem__)
        high = max(range(24), key=s.hourly_load.__getitem__)
        console.print(
            f"hourly_load (24 figures, mean 1.0): {s.hourly_load[low]:.2f} at {low:02d}:00 "
            f"to {s.hourly_load[high]:.2f} at {high:02d}:00 UTC."
        )
    console.print()

    _load_chart(s, console)
    console.print()

    _model_mix(s, console)
    many = [u.name for u in s.models if u.share > 0.10]
    console.print(
        f"multi_model: {'yes' if s.multi_model else 'no'} "
        f"({len(many)} model{'s' if len(many) != 1 else ''} above 10% of requests)"
    )
    if s.api_model:
        console.print(_safe(f"api.model: {s.api_model} (the most used model, {s.top_model.name})"))
    console.print(
        f"API bill at catalog prices: {_money(s.bill)} over {s.window.days:,.2f} days, "
        f"{_money(s.monthly_bill)} per {s.days_per_month:g}-day month."
    )
    monthly_spend = s.monthly_logged_spend
    if s.logged_spend is not None and monthly_spend is not None:
        console.print(
            f"Spend the log itself records: {_money(s.logged_spend)}, "
            f"{_money(monthly_spend)} per month."
        )
    _billing_terms(s, console)
    console.print()
    if s.reconciliation is not None:
        console.print(Text("Computed against paid", style="bold"))
        console.print(_safe(s.reconciliation.described()), soft_wrap=True)
        console.print()

    for warning in s.warnings:
        console.print(_safe("warning: " + warning, "yellow"), soft_wrap=True)
    if s.warnings:
        console.print()
    console.print(Text("Definitions", style="bold"))
    for name, meaning in DEFINITIONS:
        console.print(f"  {name}: {meaning}", markup=False)
