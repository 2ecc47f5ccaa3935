"""The horizon and risk tabs' text: the core's tables and sentences, aligned for a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision


def aligned(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell: the first left-aligned, figures right-aligned."""
    if not header:
        return ""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    return "\n".join([line(header), *(line(r) for r in rows)])


def horizon_text(decision: Decision) -> str:
    from advisor.core.decision.outlook_words import horizon_lines, horizon_table

    table = aligned(*horizon_table(decision))
    lines = "\n".join(f"• {line}" for line in horizon_lines(decision))
    return f"{table}\n\n{lines}" if table else lines


def risk_text(decision: Decision) -> str:
    from advisor.core.decision.outlook_words import risk_lines, risk_table

    table = aligned(*risk_table(decision))
    lines = "\n".join(f"• {line}" for line in risk_lines(decision))
    return f"{table}\n\n{lines}" if table else lines
