"""The terminal report (Rich): recommendation first, then costs, rules and what would flip."""

from __future__ import annotations

from typing import IO

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from advisor.core.decision.model import Decision, headline
from advisor.core.decision.serialize import to_dict
from advisor.report.fmt import VERDICT_MARKS, flip_sentences
from advisor.report.rows import cost_rows

STYLES = {"api": "bold cyan", "self_host": "bold magenta", "hybrid": "bold yellow"}


def recommendation(decision: Decision) -> Panel:
    v = decision.verdict
    title = Text(f"{VERDICT_MARKS[v.verdict]} {headline(v)}", style=STYLES[v.verdict])
    body = Text()
    body.append(f"Confidence: {v.confidence} ({v.confidence_score:.2f})\n", style="bold")
    body.append(decision.summary + "\n")
    body.append(
        "Keep an API fallback whatever runs in production."
        if v.api_fallback
        else "Air-gapped: keep a second local deployment as the fallback.",
        style="italic",
    )
    return Panel(Group(title, body), title=decision.profile_name, title_align="left")


def costs(decision: Decision) -> Group:
    table = Table(
        title="Cost per month (x friction: what the verdict compares)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for name, justify in (
        ("Option", "left"),
        ("Monthly", "right"),
        ("xFriction", "right"),
        ("/request", "right"),
        ("/1K tok", "right"),
        ("GPUs", "left"),
        ("Util", "right"),
    ):
        table.add_column(
            name,
            justify=justify,
            overflow="fold",  # type: ignore[arg-type]
            no_wrap=name != "GPUs",
        )
    rows = cost_rows(to_dict(decision))
    for row in rows:
        style = "bold" if row.chosen else "dim" if not row.applicable else ""
        mark = "> " if row.chosen else "  "
        table.add_row(
            *(
                Text(c, style=style)
                for c in (
                    mark + row.option.replace("Hybrid: ", "hybrid "),
                    row.monthly,
                    row.compared,
                    row.per_request,
                    row.per_1k,
                    row.gpus,
                    row.utilization,
                )
            )
        )
    notes = Table.grid(padding=(0, 1))
    notes.add_column(no_wrap=True, style="bold")
    notes.add_column(ratio=1)
    for row in rows:
        notes.add_row(Text(row.option.replace("Hybrid: ", "hybrid ")), Text(row.note))
    return Group(table, notes, Text())


def rules(decision: Decision) -> Table:
    table = Table(title="Rule trace", title_justify="left", show_lines=False)
    table.add_column("Rule", overflow="fold")
    table.add_column("Fired")
    table.add_column("Effect", overflow="fold")
    table.add_column("Why", overflow="fold", ratio=1)
    for r in decision.rules:
        effect = r.effect.kind + (f" -> {r.effect.toward}" if r.effect.toward else "")
        if r.effect.weight:
            effect += f" {r.effect.weight:g}"
        table.add_row(
            Text(r.id),
            Text("yes" if r.fired else "no", style="bold" if r.fired else "dim"),
            Text(effect),
            Text(f"{r.explanation} ({r.source})", style="" if r.fired else "dim"),
        )
    return table


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
    parts = [costs(decision)]
    if decision.reasons:
        parts.append(listing("Why", decision.reasons))
    if decision.caveats:
        parts.append(listing("Caveats", decision.caveats))
    parts += [
        listing(
            "What would flip the verdict",
            tuple(flip_sentences(to_dict(decision))),
        ),
        listing("Next steps", decision.next_steps),
    ]
    if decision.warnings:
        parts.append(listing("Warnings", decision.warnings, "yellow"))
    parts.append(rules(decision))
    for part in parts:
        console.print(part)


def render(decision: Decision, width: int = 100) -> str:
    import io

    buffer = io.StringIO()
    render_to(decision, buffer, width)
    return buffer.getvalue()
