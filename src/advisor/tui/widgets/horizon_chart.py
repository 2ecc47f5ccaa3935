"""The horizon chart: each option's cumulative cost over the months, the break-even month
marked. `draw_horizon` is plain Rich text (testable without an app); `HorizonChart` sizes it
to the widget. The sentences and the table under it are in the results screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from advisor.tui.widgets.chart_parts import ChartStyles, short_money
from advisor.tui.widgets.drawn import DrawnChart

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision

# Drawn in this order, so self-hosting lies on top where lines meet.
SERIES = (
    ("api", "•", "API"),
    ("hosted_open", "∙", "hosted open model"),
    ("self_host", "━", "self-hosted"),
)
MARK = "╎"


def draw_horizon(
    decision: Decision, width: int, height: int, st: ChartStyles | None = None
) -> list[Text]:
    from advisor.core.decision.outlook_words import month_words

    st = st or ChartStyles()
    h = decision.horizon
    if h is None:
        return [Text("The horizon is being worked out…", style=st.muted)]
    styles: dict[str, Style | str] = {
        "api": st.api,
        "hosted_open": st.muted,
        "self_host": st.self_host,
    }
    shown = [(k, g, name) for k, g, name in SERIES if k in h.cumulative]
    legend = Text("Cumulative cost: ")
    for k, glyph, name in shown:
        legend.append(glyph * 2, styles[k]).append(f" {name}  ")
    be = h.break_even_month
    marker = Text(
        f"{MARK} self-hosting below the API from {month_words(be, h.months)}"
        if be is not None
        else f"self-hosting stays above the API for all {h.months} months",
        style=st.break_even,
    )
    rows = height - 4  # legend, marker, x axis, x labels
    if width < 30 or rows < 3:
        return [legend, marker][:height]
    top = max(max(v) for k, v in h.cumulative.items() if k in dict.fromkeys(s[0] for s in shown))
    top = max(top, 1.0)
    gutter = max(len(short_money(top)), len(short_money(0))) + 1
    cols = width - gutter - 1
    blank: tuple[str, Style | str] = (" ", "")
    grid = [[blank] * cols for _ in range(rows)]

    def col(month: int) -> int:
        return min(cols - 1, month * cols // h.months)

    if be is not None:
        for r in range(rows):
            grid[r][col(be)] = (MARK, st.break_even)
    for k, glyph, _ in shown:
        values = h.cumulative[k]
        for c in range(cols):
            month = min(h.months - 1, (c * h.months + h.months // 2) // cols)
            level = round(values[month] / top * (rows - 1))
            grid[rows - 1 - level][c] = (glyph, styles[k])
    out = [legend, marker]
    for r, cells in enumerate(grid):
        label = short_money(top) if r == 0 else short_money(0) if r == rows - 1 else ""
        line = Text(label.rjust(gutter - 1) + "┤" if label else " " * (gutter - 1) + "│")
        for glyph, style in cells:
            line.append(glyph, style)
        out.append(line)
    out.append(Text(" " * (gutter - 1) + "└" + "─" * cols, style=st.axis))
    ends = f"month 1{' ' * max(1, cols - 14 - len(str(h.months)))}month {h.months}"
    out.append(Text(" " * gutter + ends, style=st.muted))
    return out[:height]


class HorizonChart(DrawnChart):
    """Cumulative cost of each option over the horizon."""

    def draw(self, decision: Decision, width: int, height: int, st: ChartStyles) -> list[Text]:
        return draw_horizon(decision, width, height, st)
