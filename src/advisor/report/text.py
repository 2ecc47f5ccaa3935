"""The terminal report (Rich): recommendation first, then costs, rules and what would flip."""

from __future__ import annotations

from typing import IO

from rich import box
from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from advisor.core.decision.assumption_words import origin_words
from advisor.core.decision.model import Decision
from advisor.core.decision.outlook_words import (
    horizon_lines,
    horizon_table,
    risk_lines,
    risk_table,
)
from advisor.core.decision.words import flip_sentences
from advisor.core.fmt import effect as fmt_effect
from advisor.core.fmt import money, money_fine, share
from advisor.core.marks import COST_LEGEND, option_mark

STYLES = {"api": "bold cyan", "self_host": "bold magenta", "hybrid": "bold yellow"}


def recommendation(decision: Decision) -> Panel:
    r = decision.recommendation
    title = Text(f"{r.mark} {r.headline}", style=STYLES[r.verdict])
    body = Text()
    body.append(f"Confidence: {r.confidence} ({r.confidence_score:.2f})\n", style="bold")
    body.append(r.summary + "\n")
    body.append(r.fallback, style="italic")
    return Panel(Group(title, body), title=Text(decision.profile_name), title_align="left")


def costs(decision: Decision) -> Group:
    table = Table(
        title="Cost per month (with friction: what the verdict compares)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("", "left"),
        ("Option", "left"),
        ("Monthly", "right"),
        ("With\nfriction", "right"),
        ("/request", "right"),
        ("/1K tok", "right"),
        ("GPUs", "left"),
        ("Util", "right"),
    )
    longest = max((len(o.deployment.gpu) for o in decision.options if o.deployment), default=4)
    for name, justify in columns:
        gpus = name == "GPUs"  # "3×2 h100-80gb" may wrap between its grid and its GPU, not in it
        table.add_column(
            name,
            justify=justify,
            overflow="fold",
            no_wrap=not gpus,
            min_width=longest if gpus else None,
        )
    for o in decision.options:
        style = "bold" if o.chosen else "dim" if not o.applicable else ""
        table.add_row(
            *(
                Text(c, style=style)
                for c in (
                    option_mark(o.chosen, o.applicable),
                    o.label,
                    money(o.monthly_cost),
                    money(o.with_friction),
                    money_fine(o.per_request),
                    money_fine(o.per_1k_tokens),
                    f"{o.gpu_grid} {o.deployment.gpu}" if o.deployment else "-",
                    share(o.utilization) if o.deployment else "-",
                )
            )
        )
    notes = Table.grid(padding=(0, 1))
    notes.add_column(no_wrap=True, style="bold")
    notes.add_column(ratio=1)
    for o in decision.options:
        notes.add_row(Text(o.label), Text(o.note))
    return Group(table, Text(COST_LEGEND, style="italic"), notes, Text())


def deployment(decision: Decision) -> Group:
    from advisor.core.decision.deployment_words import candidate_rows, deployment_sentences

    first, *rest = deployment_sentences(decision)
    lines = Text(first + "\n", style="bold")
    lines.append("\n".join(rest))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for name in ("", "Configuration", "Sizing", "Copies", "Monthly", "Why not"):
        right = name in ("Copies", "Monthly")
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for row in candidate_rows(decision):
        table.add_row(*(Text(cell) for cell in row))
    return Group(Text("Deployment (what self-hosting would run)", style="bold"), lines, table)


def rules(decision: Decision) -> Table:
    table = Table(title="Rule trace", title_justify="left", show_lines=False)
    table.add_column("Rule", overflow="fold")
    table.add_column("Fired")
    table.add_column("Effect", overflow="fold")
    table.add_column("Why", overflow="fold", ratio=1)
    for r in decision.rules:
        effect = fmt_effect(r.effect.kind, r.effect.toward, r.effect.weight)
        table.add_row(
            Text(r.id),
            Text("yes" if r.fired else "no", style="bold" if r.fired else "dim"),
            Text(effect),
            Text(f"{r.explanation} ({r.source})", style="" if r.fired else "dim"),
        )
    return table


def where_from(origin: str, source: str | None, as_of: str) -> str:
    """Where an assumption came from, in one parenthesis: "your answer", "advisor default",
    "catalog; <its source>, <as of>"."""
    if source and source.startswith("advisor default"):
        where = source  # "default; advisor default" says it twice
    else:
        where = origin_words(origin) + (f"; {source}" if source else "")
    return f"{where}, {as_of}" if as_of else where


def assumptions(decision: Decision) -> Group:
    """Every input the decision used, in words, with where it came from: one item each, the
    value in bold, readable at 80 columns (a five-column table folded every cell there)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for a in decision.assumptions:
        as_of = a.as_of.isoformat() if a.as_of else ""
        item = Text(f"{a.label}: ")
        item.append(a.shown, style="bold")
        item.append(f" ({where_from(a.origin, a.source, as_of)})")
        grid.add_row(" -", item)
    return Group(Text("Assumptions", style="bold"), grid, Text())


def table_of(title: str, header: list[str], rows: list[list[str]]) -> RenderableType:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for row in rows:
        table.add_row(*row)
    return table


def outlook(decision: Decision) -> list[RenderableType]:
    h = decision.horizon
    months = h.months if h is not None else decision.inputs.horizon.months
    return [
        table_of(f"Over {months} months (cumulative cost)", *horizon_table(decision)),
        listing("", tuple(horizon_lines(decision))),
        table_of("The odds (monthly cost)", *risk_table(decision)),
        listing("", tuple(risk_lines(decision))),
    ]


def listing(title: str, items: tuple[str, ...], style: str = "") -> Group:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, style=style)
    for item in items:
        grid.add_row(" -", Text(item))
    return Group(Text(title, style="bold"), grid, Text())


def render_to(decision: Decision, file: IO[str] | None = None, width: int | None = None) -> None:
    console = Console(file=file, width=width, highlight=False, soft_wrap=False)
    console.print(recommendation(decision))
    parts: list[RenderableType] = [
        costs(decision),
        deployment(decision),
        listing("Break-even", decision.break_even_lines),
        *outlook(decision),
    ]
    r = decision.recommendation
    if r.reasons:
        parts.append(listing("Why", r.reasons))
    if r.caveats:
        parts.append(listing("Caveats", r.caveats))
    parts += [
        listing(
            "What would flip the verdict",
            tuple(
                flip_sentences(
                    decision.sensitivity,
                    decision.flip_lead,
                    decision.choices,
                    decision.growth.sentence if decision.growth else None,
                )
            ),
        ),
        listing("Next steps", r.next_steps),
    ]
    if decision.warnings:
        parts.append(listing("Warnings", decision.warnings, "yellow"))
    parts.append(rules(decision))
    parts.append(assumptions(decision))
    for part in parts:
        console.print(part)


def render(decision: Decision, width: int = 100) -> str:
    import io

    buffer = io.StringIO()
    render_to(decision, buffer, width)
    return buffer.getvalue()
