"""The risk view: each option's monthly cost from P10 to P90 (P50 marked) on one log scale,
and how often it is the cheapest. `draw_bands` is plain Rich text; `RiskBands` sizes it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text

from advisor.core.fmt import share
from advisor.core.marks import LABELS
from advisor.tui.widgets.chart_parts import ChartStyles, short_money
from advisor.tui.widgets.drawn import DrawnChart

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision

LABEL_WIDTH = 19
ODDS_WIDTH = 16


def draw_bands(
    decision: Decision, width: int, height: int, st: ChartStyles | None = None
) -> list[Text]:
    st = st or ChartStyles()
    r = decision.risk
    if r is None:
        return [Text("The odds are being worked out…", style=st.muted)]
    keys = [k for k in LABELS if k in r.quantiles]
    low = max(1.0, min(r.quantiles[k][0] for k in keys))
    high = max(low * 1.01, max(r.quantiles[k][2] for k in keys))
    cols = width - LABEL_WIDTH - ODDS_WIDTH
    head = Text("Monthly cost, P10 ─ P90 (● P50), log scale; cheapest in how many draws")
    if cols < 10:
        lines = [head]
        for k in keys:
            p10, p50, p90 = r.quantiles[k]
            lines.append(
                Text(
                    f"{LABELS[k]}: {short_money(p10)}-{short_money(p90)}, "
                    f"cheapest {share(r.p_cheapest.get(k, 0.0))}"
                )
            )
        return lines[:height]

    def col(x: float) -> int:
        x = min(max(x, low), high)
        return min(cols - 1, round(math.log(x / low) / math.log(high / low) * (cols - 1)))

    lines = [head]
    best = max(keys, key=lambda k: r.p_cheapest.get(k, 0.0))
    for k in keys:
        p10, p50, p90 = r.quantiles[k]
        a, b = col(p10), col(p90)
        band = ["─"] * (b - a + 1)
        band[0], band[-1] = "├", "┤"
        band[col(p50) - a] = "●"
        style = st.self_host if k == best else st.api
        line = Text(LABELS[k].ljust(LABEL_WIDTH)[:LABEL_WIDTH])
        line.append("·" * a, st.axis)  # the scale's track, so the band's place is plain
        line.append("".join(band), style)
        line.append("·" * (cols - b - 1), st.axis)
        odds = r.p_cheapest.get(k, 0.0)
        line.append(f"  cheapest {share(odds):>4}", st.break_even if k == best else "")
        lines.append(line)
    scale = Text(" " * LABEL_WIDTH + short_money(low))
    right = short_money(high)
    scale.append(" " * max(1, cols - len(short_money(low)) - len(right)) + right)
    lines.append(Text.assemble(scale, style=st.muted))
    return lines[:height]


class RiskBands(DrawnChart):
    """Each option's P10-P90 band and its odds of being cheapest."""

    def draw(self, decision: Decision, width: int, height: int, st: ChartStyles) -> list[Text]:
        return draw_bands(decision, width, height, st)

    def show(self, decision: Decision) -> None:
        options = len(decision.risk.quantiles) if decision.risk else 0
        self.styles.height = options + 2 if options else 1  # the head, a band each, the scale
        super().show(decision)
