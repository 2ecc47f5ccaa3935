"""The import summary on a terminal (Rich): figures with their definitions, the hourly load as a
text chart, the model mix and the bill.

Everything that came from the logs (file and model names, bad rows' reasons) is printed as
plain text with its control characters escaped (`advisor.usage.text.printable`): never as Rich
markup, never raw to the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from advisor.usage.summary import DEFINITIONS, UsageSummary
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


def render_to(summary: UsageSummary, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    s = summary
    files = ", ".join(f"{f.path} ({f.format}, {f.requests:,})" for f in s.files)
    console.print(_safe(f"Usage measured from {files}", "bold"))
    console.print(
        f"{s.requests:,} requests, {s.first:%Y-%m-%d %H:%M} to {s.last:%Y-%m-%d %H:%M} UTC: "
        f"{s.days} calendar day{'s' if s.days != 1 else ''}, {s.hours:,} hours."
    )
    console.print()

    figures = Table(title="The workload, measured", title_justify="left")
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    figures.add_column("p50", justify="right")
    figures.add_column("p95", justify="right")
    for label, value, p50, p95 in (
        ("requests_per_day", _n(s.requests_per_day, 1), "", ""),
        ("input_tokens (mean)", _n(s.inputs.mean, 1), _n(s.inputs.p50), _n(s.inputs.p95)),
        ("output_tokens (mean)", _n(s.outputs.mean, 1), _n(s.outputs.p50), _n(s.outputs.p95)),
        ("requests per hour (mean)", _n(s.mean_hourly, 2), "", _n(s.p95_hourly, 1)),
        ("peak_to_average", f"{s.peak_to_average:.2f}", "", ""),
        ("variability", s.variability, "", ""),
    ):
        figures.add_row(label, value, p50, p95)
    console.print(figures)
    console.print(
        f"Busiest hour: {s.max_hourly:,} requests at {s.busiest_hour:%Y-%m-%d %H:00} UTC "
        f"({s.max_hourly / s.mean_hourly:.1f}x the mean hour)."
    )
    console.print()

    console.print(Text("Hourly load (UTC)", style="bold"))
    top = max(s.hour_of_day)
    console.print(f"  by hour of day, mean requests per hour (top {_n(top, 1)}):")
    console.print("  " + "".join(c * 2 for c in sparkline(s.hour_of_day)))
    console.print("  " + "".join(f"{h:02d}" + " " * 10 for h in range(0, 24, 6)).rstrip())
    console.print(
        f"  the whole span, busiest hour of every {s.hours_per_column} (top {s.max_hourly:,}):"
    )
    console.print("  " + sparkline(s.timeline))
    console.print(f"  {s.first:%Y-%m-%d}" + f"{s.last:%Y-%m-%d}".rjust(len(s.timeline) - 10))
    console.print()

    mix = Table(title="Model mix and the API bill at catalog prices", title_justify="left")
    for col, justify in (
        ("model", "left"),
        ("requests", "right"),
        ("share", "right"),
        ("catalog id", "left"),
        ("bill", "right"),
    ):
        mix.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for use in s.models[:12]:
        mix.add_row(
            _safe(use.name),
            f"{use.requests:,}",
            f"{use.share:.1%}",
            _safe(use.catalog_id + ("" if use.how == "exact" else " (matched)"))
            if use.catalog_id
            else _safe(use.how, "yellow"),
            _money(use.cost) if use.cost is not None else "-",
        )
    if len(s.models) > 12:
        rest = s.models[12:]
        mix.add_row(
            f"{len(rest)} more",
            f"{sum(u.requests for u in rest):,}",
            f"{sum(u.share for u in rest):.1%}",
            "",
            _money(sum(u.cost or 0.0 for u in rest)),
        )
    console.print(mix)
    many = [u.name for u in s.models if u.share > 0.10]
    console.print(
        f"multi_model: {'yes' if s.multi_model else 'no'} "
        f"({len(many)} model{'s' if len(many) != 1 else ''} above 10% of requests)"
    )
    if s.api_model:
        console.print(_safe(f"api.model: {s.api_model} (the most used model, {s.top_model.name})"))
    console.print(
        f"API bill at catalog prices: {_money(s.bill)} over {s.days} days, "
        f"{_money(s.monthly_bill)} per {s.days_per_month:g}-day month."
    )
    monthly_spend = s.monthly_logged_spend
    if s.logged_spend is not None and monthly_spend is not None:
        console.print(
            f"Spend the log itself records: {_money(s.logged_spend)}, "
            f"{_money(monthly_spend)} per month."
        )
    console.print()

    for warning in s.warnings:
        console.print(_safe("warning: " + warning, "yellow"), soft_wrap=True)
    if s.warnings:
        console.print()
    console.print(Text("Definitions", style="bold"))
    for name, meaning in DEFINITIONS:
        console.print(f"  {name}: {meaning}", markup=False)
