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


def render_to(catalog: Catalog, today: date, console: Console | None = None) -> None:
    catalog = printable_strings(catalog)  # names and sources from a user catalog, escaped
    console = console or Console(highlight=False)
    limit = catalog.meta.stale_after_days
    api = Table(title="API models ($ per M tokens)", title_justify="left")
    for col in ("id", "name", "in", "out", "as of", "source"):
        api.add_column(col, overflow="fold")
    for key, m in catalog.api_models.items():
        api.add_row(
            key,
            m.name,
            f"{m.input_per_mtok:g}",
            f"{m.output_per_mtok:g}",
            _age(m.as_of, today, limit),
            Text(m.source),
        )
    console.print(api)
    gpus = Table(title="GPUs ($ per GPU-hour)", title_justify="left")
    for col in ("id", "memory", "default price", "as of", "offers"):
        gpus.add_column(col, overflow="fold")
    for key, g in catalog.gpus.items():
        offers = "; ".join(f"{o.provider} {o.hourly_price:g}" for o in g.offers)
        gpus.add_row(
            key,
            f"{g.memory_gb:g} GB",
            f"{g.hourly_price:g}",
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
