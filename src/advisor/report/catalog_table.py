"""`advisor catalog`: every price with its source and as-of date; stale prices marked."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from advisor.core.catalog.model import Catalog
from advisor.core.text import printable_strings


def _age(as_of: date, today: date, limit: int) -> Text:
    days = (today - as_of).days
    stale = days > limit
    return Text(as_of.isoformat() + (" stale" if stale else ""), style="yellow" if stale else "")


def _dollars(x: float) -> str:
    """$2.50, $0.075, $10: cents always, more digits only where the price has them."""
    return f"${x:,.2f}" if round(x, 2) == x else f"${x:,.6g}"


def render_to(catalog: Catalog, today: date, console: Console | None = None) -> None:
    catalog = printable_strings(catalog)  # names and sources from a user catalog, escaped
    console = console or Console(highlight=False)
    limit = catalog.meta.stale_after_days
    api = Table(title="API models ($ per M tokens)", title_justify="left")
    api.add_column("id", overflow="fold")
    for col in ("in", "cached", "out", "batch"):
        api.add_column(col, justify="right", no_wrap=True)
    api.add_column("as of", no_wrap=True)
    sources = list(dict.fromkeys(m.source for m in catalog.api_models.values()))
    if len(sources) > 1:  # numbered, and listed under the table: the rows stay one line
        api.add_column("src", justify="right", no_wrap=True)
    for key, m in catalog.api_models.items():
        cached = "-" if m.cached_input_per_mtok is None else _dollars(m.cached_input_per_mtok)
        batch = "-" if m.batch_discount is None else f"-{m.batch_discount:.0%}"
        row: list[str | Text] = [
            key,
            _dollars(m.input_per_mtok),
            cached,
            _dollars(m.output_per_mtok),
            batch,
            Text("retired", style="yellow") if m.retired else _age(m.as_of, today, limit),
        ]
        if len(sources) > 1:
            row.append(Text(f"[{sources.index(m.source) + 1}]"))
        api.add_row(*row)
    console.print(api)
    if len(sources) == 1:
        console.print(Text(f"Source of every API price: {sources[0]}."))
    else:
        console.print(Text("Sources: " + "; ".join(f"[{i}] {s}" for i, s in enumerate(sources, 1))))
    retired = [
        f"{key}{'' if m.retired is True else f' since {m.retired}'}"
        + (f" (successor: {m.successor})" if m.successor else "")
        for key, m in catalog.api_models.items()
        if m.retired
    ]
    if retired:
        console.print(Text("Retired, priced at their last price: " + "; ".join(retired) + "."))
    console.print(Text("cached: a prompt-cache read; batch: the batch API's discount."))
    gpus = Table(title="GPUs ($ per GPU-hour)", title_justify="left")
    gpus.add_column("id", no_wrap=True)
    gpus.add_column("memory", justify="right", no_wrap=True)
    gpus.add_column("price", justify="right", no_wrap=True)
    gpus.add_column("as of", no_wrap=True)
    gpus.add_column("offers", overflow="fold", ratio=1, min_width=20)
    for key, g in catalog.gpus.items():
        offers = "\n".join(f"{_dollars(o.hourly_price)} {o.provider}" for o in g.offers)
        gpus.add_row(
            key,
            f"{g.memory_gb:g} GB",
            _dollars(g.hourly_price),
            _age(g.as_of, today, limit),
            Text(offers),
        )
    console.print(gpus)
    models = Table(title="Open models", title_justify="left")
    for col in ("id", "parameters", "layers", "KV heads", "head dim", "as of"):
        models.add_column(col)
    for key, o in catalog.models.items():
        models.add_row(
            key,
            f"{o.parameters_b:g} B",
            str(o.layers),
            str(o.kv_heads),
            str(o.head_dim),
            o.as_of.isoformat(),
        )
    console.print(models)
    presets = Table(
        title="Throughput presets (measured at saturation, tokens/s per replica; other "
        "combinations are estimated from the physical bounds)",
        title_justify="left",
    )
    for col in ("model", "GPUs", "precision", "prefill", "decode", "engine", "as of"):
        presets.add_column(col, no_wrap=True)
    presets.add_column("source", overflow="fold", ratio=1, min_width=20)
    for p in catalog.presets:
        presets.add_row(
            p.model,
            f"{p.gpus} x {p.gpu}",
            p.precision,
            f"{p.prefill_tokens_per_s:,.0f}",
            f"{p.decode_tokens_per_s:,.0f}",
            p.engine,
            p.as_of.isoformat(),
            Text(f"{p.source}; {p.lengths}; {p.fit}"),
        )
    console.print(presets)
    console.print(f"Prices older than {limit} days (today {today.isoformat()}) are marked stale.")
