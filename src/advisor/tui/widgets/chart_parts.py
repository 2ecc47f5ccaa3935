"""The pieces of the break-even chart: glyphs, styles, number labels, the figures read from a
decision, legend and marker lines, and the character grid. Rich text only, no widgets."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from advisor.core.fmt import money

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision

API_GLYPH = "•"
STAIR_GLYPHS = {"flat": "━", "riser": "┃", "up_from": "┛", "up_to": "┏", "down_from": "┓"}
STAIR_GLYPHS["down_to"] = "┗"
STAIR_SAMPLE = "━┛"  # what the legend shows for the staircase
TODAY_GLYPH = "┊"
BREAK_EVEN_GLYPH = "╎"
FIXED_GLYPH = "◆"

MIN_WIDTH = 40  # below this (or MIN_HEIGHT) the chart becomes a few lines of text
MIN_HEIGHT = 7
ROOMY_HEIGHT = 22  # from this height: a title, a legend line per series and the note

StyleType = Style | str


@dataclass(frozen=True)
class ChartStyles:
    """How each part is drawn; the defaults need no colour at all."""

    api: StyleType = "bold"
    self_host: StyleType = "bold"
    today: StyleType = ""
    break_even: StyleType = "bold"
    axis: StyleType = "dim"
    text: StyleType = ""
    muted: StyleType = "dim"
    title: StyleType = "bold"


# -- number formats ---------------------------------------------------------------------------
def _trim(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def short_number(v: float) -> str:
    """50000 -> 50k, 1250000 -> 1.25M, 500 -> 500."""
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return _trim(v / div) + suffix
    return _trim(v)


def short_money(v: float) -> str:
    """10000 -> $10k (axis labels)."""
    return "$" + short_number(v)


def count(v: float) -> str:
    return f"{v:,.0f}"


def nice_step(span: float, target: int) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^k) giving about `target` ticks over `span`."""
    if span <= 0 or target < 1:
        return 1.0
    raw = span / target
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude  # pragma: no cover


def fit(variants: list[Text], width: int) -> Text:
    """The first (richest) variant that fits the width, else the last one cropped."""
    for variant in variants:
        if variant.cell_len <= width:
            return variant
    last = variants[-1].copy()
    last.truncate(width)
    return last


def _text(*parts: tuple[str, StyleType]) -> Text:
    text = Text(no_wrap=True, overflow="crop")
    for content, style in parts:
        text.append(content, style)
    return text


# -- the figures the chart shows ---------------------------------------------------------------
@dataclass(frozen=True)
class Figures:
    today: float
    break_even: float | None
    friction: float
    api_today: float
    self_host_today: float  # x friction, as the verdict compares it
    self_host_wins: bool
    api_at_break_even: float | None
    note: str
    volumes: list[float]
    api: list[float]
    self_host: list[float]  # x friction, re-sized at each volume
    fixed_replicas: int | None  # set when today's deployment is fixed and differs from the curve
    shortfall: bool

    @classmethod
    def of(cls, decision: Decision) -> Figures:
        be, sh = decision.break_even, decision.self_host
        today = decision.workload.requests_per_day
        volumes = [p.requests_per_day for p in decision.curve]
        self_host = [p.self_host_compared for p in decision.curve]
        compared = be.self_host_compared
        fixed: int | None = None
        if volumes and sh.sizing == "fixed":
            on_curve = stair_value(volumes, self_host, today)
            if abs(compared - on_curve) > 0.01 * max(on_curve, 1.0):
                fixed = sh.replicas
        return cls(
            today=today,
            break_even=be.requests_per_day,
            friction=decision.policy.friction_multiplier,
            api_today=be.api_monthly,
            self_host_today=compared,
            self_host_wins=be.self_host_wins,
            api_at_break_even=be.api_monthly_at_break_even,
            note=be.note,
            volumes=volumes,
            api=[p.api_monthly for p in decision.curve],
            self_host=self_host,
            fixed_replicas=fixed,
            shortfall=sh.shortfall is not None,
        )


def stair_value(volumes: list[float], values: list[float], x: float) -> float:
    """The staircase at volume x: the last sample at or below x (the first one below it).

    A step lies somewhere between two samples; holding the lower level up to the next sample
    keeps the picture consistent with the break-even volume, which is always at the top end
    of a step (the API catches up with a level just before the next replica is needed).
    """
    i = bisect_right(volumes, x) - 1
    return values[max(0, min(i, len(values) - 1))]


def line_value(volumes: list[float], values: list[float], x: float) -> float:
    """The API line at volume x: straight between samples, through the origin."""
    xs, ys = [0.0, *volumes], [0.0, *values]
    i = bisect_left(xs, x)
    if i <= 0:
        return ys[0]
    if i >= len(xs):
        i = len(xs) - 1
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y1 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


# -- the words around the plot -----------------------------------------------------------------
def _friction(f: Figures) -> str:
    return _trim(f.friction)


def legend_line(f: Figures, width: int, st: ChartStyles) -> Text:
    fx = _friction(f)
    api = [("API bill", st.text), ("API", st.text)]
    sh = [
        (f"self-hosted × {fx} friction, re-sized for each volume", st.text),
        (f"self-hosted × {fx} friction", st.text),
        (f"self-hosted ×{fx}", st.text),
    ]
    variants = [
        _text((API_GLYPH * 2, st.api), (" ", ""), a, ("   ", ""), (STAIR_SAMPLE, st.self_host))
        .append(" ")
        .append(s[0], s[1])
        for a in api
        for s in sh
    ]
    variants.sort(key=lambda t: -t.cell_len)
    return fit(variants, width)


def roomy_legend(f: Figures, width: int, st: ChartStyles) -> list[Text]:
    fx = _friction(f)
    lines = [
        fit(
            [
                _text(("Monthly cost (US$ a month) against requests per day", st.title)),
                _text(("Monthly cost against requests/day", st.title)),
            ],
            width,
        ),
        fit(
            [
                _text(
                    (API_GLYPH * 2, st.api),
                    (
                        " API bill: pay per token, so it grows in a straight line with volume "
                        "(hidden where it runs along the steps: the two are about equal there)",
                        "",
                    ),
                ),
                _text(
                    (API_GLYPH * 2, st.api),
                    (" API bill: pay per token, so it grows in a straight line with volume", ""),
                ),
                _text((API_GLYPH * 2, st.api), (" API bill", "")),
            ],
            width,
        ),
        fit(
            [
                _text(
                    (STAIR_SAMPLE, st.self_host),
                    (f" self-hosted × {fx} friction at each volume: ", ""),
                    (
                        "whole replicas of GPUs, so it climbs in steps (re-sized for each volume)",
                        "",
                    ),
                ),
                _text(
                    (STAIR_SAMPLE, st.self_host),
                    (f" self-hosted × {fx} friction at each volume: steps", ""),
                ),
                _text((STAIR_SAMPLE, st.self_host), (f" self-hosted × {fx} friction", "")),
            ],
            width,
        ),
    ]
    if f.fixed_replicas is not None:
        extra = ", plus the API for the load it cannot serve" if f.shortfall else ""
        lines.append(
            fit(
                [
                    _text(
                        (FIXED_GLYPH, st.self_host),
                        (
                            f"  your deployment as specified ({_replicas(f.fixed_replicas)}, "
                            f"fixed) × {fx}{extra}",
                            "",
                        ),
                    ),
                    _text((FIXED_GLYPH, st.self_host), ("  your fixed deployment", "")),
                ],
                width,
            )
        )
    return lines


def _replicas(n: int) -> str:
    return f"{n} replica" if n == 1 else f"{n} replicas"


def today_line(f: Figures, width: int, st: ChartStyles) -> Text:
    fx = _friction(f)
    cheaper = "self-hosting is cheaper" if f.self_host_wins else "the API is cheaper"
    mark = (TODAY_GLYPH, st.today)
    head = (f" today {count(f.today)}/day: ", st.text)
    api = (f"API {money(f.api_today)}", st.text)
    if f.fixed_replicas is not None:
        sh_glyph: tuple[str, StyleType] = (FIXED_GLYPH, st.self_host)
        sh_long = f" your {_replicas(f.fixed_replicas)} × {fx} {money(f.self_host_today)}"
        sh_short = f" {money(f.self_host_today)}"
    else:
        sh_glyph = (STAIR_SAMPLE, st.self_host)
        sh_long = f" self-hosted × {fx} {money(f.self_host_today)}"
        sh_short = f" ×{fx} {money(f.self_host_today)}"
    variants = [
        _text(mark, head, (API_GLYPH, st.api), (" ", ""), api, ("/month vs ", ""), sh_glyph).append(
            sh_long + f"/month: {cheaper}", st.text
        ),
        _text(mark, head, (API_GLYPH, st.api), (" ", ""), api, (" vs ", ""), sh_glyph).append(
            sh_long + f" a month: {cheaper}", st.text
        ),
        _text(mark, head, (API_GLYPH, st.api), (" ", ""), api, (" vs ", ""), sh_glyph).append(
            sh_long + " a month", st.text
        ),
        _text(mark, head, (API_GLYPH, st.api), (" ", ""), api, (" vs ", ""), sh_glyph).append(
            sh_short, st.text
        ),
        _text(mark, (f" today {count(f.today)}/day", st.text)),
    ]
    return fit(variants, width)


def break_even_line(f: Figures, width: int, st: ChartStyles) -> Text:
    fx = _friction(f)
    if f.break_even is None:
        words = "no break-even within 1,000x today's volume"
        return fit(
            [
                _text((f"{words}: self-hosted × {fx} stays above the API bill", st.break_even)),
                _text((words, st.break_even)),
            ],
            width,
        )
    mark = (BREAK_EVEN_GLYPH, st.break_even)
    head = f" break-even {count(f.break_even)}/day"
    at = f" (API {money(f.api_at_break_even)}/month)" if f.api_at_break_even is not None else ""
    return fit(
        [
            _text(
                mark,
                (head, st.break_even),
                (f"{at}: the first volume where the API costs more than {fx} × self-hosted", ""),
            ),
            _text(
                mark, (head, st.break_even), (f": first volume where API > {fx} × self-hosted", "")
            ),
            _text(mark, (head, st.break_even), (at, "")),
            _text(mark, (head, st.break_even)),
        ],
        width,
    )


def text_only(f: Figures, width: int, height: int, st: ChartStyles) -> list[Text]:
    """Too small for a plot: the same facts in words."""
    lines = [legend_line(f, width, st), today_line(f, width, st), break_even_line(f, width, st)]
    return lines[:height]


# -- the plot ----------------------------------------------------------------------------------
Cell = tuple[str, StyleType]


class Grid:
    """Rows of cells; row `rows` (the last) is the x-axis, the $0 line."""

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.cells: list[list[Cell]] = [[(" ", "")] * cols for _ in range(rows + 1)]

    def put(self, row: int, col: int, glyph: str, style: StyleType) -> None:
        if 0 <= row <= self.rows and 0 <= col < self.cols:
            self.cells[row][col] = (glyph, style)

    def row_text(self, row: int) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        for glyph, style in self.cells[row]:
            text.append(glyph, style)
        return text


def _marker_labels(
    markers: list[tuple[int, list[str], StyleType]], width: int
) -> list[tuple[int, str, StyleType]]:
    """Place each marker's label on one row, to the right of its column or to its left.

    `markers` are (absolute column, label variants richest first, style); the result is
    (start column, text including the connector, style), or [] when nothing fits.
    """
    markers = sorted(markers, key=lambda m: m[0])
    n = len(markers)
    levels = max(len(m[1]) for m in markers)
    if n == 1:
        side_orders: list[tuple[str, ...]] = [("R",), ("L",)]
    else:
        side_orders = [("L", "R"), ("R", "R"), ("L", "L"), ("R", "L")]
    for level in range(levels):
        for sides in side_orders:
            placed = []
            for (col, variants, style), side in zip(markers, sides, strict=True):
                label = variants[min(level, len(variants) - 1)]
                if side == "R":
                    placed.append((col, "┌─" + label, style))
                else:
                    text = label + "─┐"
                    placed.append((col - len(text) + 1, text, style))
            ok = all(start >= 0 and start + len(t) <= width for start, t, _ in placed)
            for (s1, t1, _), (s2, _t2, _) in pairwise(placed):
                ok = ok and s1 + len(t1) < s2
            if ok:
                return placed
    return []
