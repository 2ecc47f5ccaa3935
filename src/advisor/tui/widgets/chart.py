"""The break-even chart: monthly cost against requests/day, drawn on a character grid.

`draw_chart` is pure (a decision's JSON form, a width and a height in, lines of Rich `Text`
out) so it can be tested without an app; `BreakEvenChart` sizes it to the widget and colours it
from the active theme. The two series differ by glyph as well as by colour, so the chart reads
the same in 256 colours, in light themes and on paper:

- the API bill, `•`, a straight line (pay per token);
- self-hosting × the friction multiplier, `━┛┏`, a staircase (whole replicas): this is what the
  verdict compares with the API;
- today's volume, a `┊` marker, and the break-even volume, a `╎` marker, each labelled on top.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.events import Resize
from textual.widget import Widget

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision

from advisor.tui.widgets.chart_parts import (
    API_GLYPH,
    BREAK_EVEN_GLYPH,
    FIXED_GLYPH,
    MIN_HEIGHT,
    MIN_WIDTH,
    ROOMY_HEIGHT,
    STAIR_GLYPHS,
    TODAY_GLYPH,
    Cell,
    ChartStyles,
    Figures,
    Grid,
    StyleType,
    _marker_labels,
    _text,
    break_even_line,
    count,
    legend_line,
    line_value,
    nice_step,
    roomy_legend,
    short_money,
    short_number,
    stair_value,
    text_only,
    today_line,
)


def draw_chart(
    decision: Decision, width: int, height: int, styles: ChartStyles | None = None
) -> list[Text]:
    """The chart as at most `height` lines, none wider than `width` cells."""
    st = styles or ChartStyles()
    f = Figures.of(decision)
    if width <= 0 or height <= 0:
        return []
    if not f.volumes or width < MIN_WIDTH or height < MIN_HEIGHT:
        return text_only(f, width, height, st)

    roomy = height >= ROOMY_HEIGHT
    header = roomy_legend(f, width, st) if roomy else [legend_line(f, width, st)]
    footer = [today_line(f, width, st), break_even_line(f, width, st)]
    if roomy and f.note:
        footer += [Text(line, style=st.muted) for line in textwrap.wrap(f.note, width)[:3]]
    if height < 9:  # one line: the marker labels name today and the break-even already
        footer = footer[:1] if f.break_even is not None else footer[1:2]
    rows = height - len(header) - len(footer) - 3  # + marker labels, x-axis, x labels
    if rows < 3:
        return text_only(f, width, height, st)
    if roomy:
        rows = min(rows, max(12, width // 3))  # keep the slope of the API line readable

    # The y-axis: $0 at the axis, the highest figure shown at the top row, round ticks.
    y_max = max([*f.api, *f.self_host, f.self_host_today, f.api_today, 1.0])
    step = nice_step(y_max, max(2, rows // (3 if roomy else 2)))
    ticks = [i * step for i in range(math.floor(y_max / step + 1e-9) + 1)]
    y_labels = [short_money(t) for t in ticks]
    gutter = max(len(lab) for lab in y_labels) + 1
    cols = width - gutter - 1  # one cell spare on the right for the last x label
    if cols < 20:
        return text_only(f, width, height, st)

    x_max = f.volumes[-1]

    def level(value: float) -> int:
        return max(0, min(rows, round(value / y_max * rows)))

    def col_of(volume: float) -> int:
        return max(0, min(cols - 1, math.ceil(volume / x_max * cols) - 1))

    def volume_at(col: int) -> float:
        return (col + 1) / cols * x_max

    grid = Grid(rows, cols)
    for c in range(cols):
        grid.put(rows, c, "─", st.axis)

    # x ticks (on the axis) and their labels
    x_step = nice_step(x_max, max(1, cols // 12))
    x_ticks = [i * x_step for i in range(1, int(x_max // x_step) + 1)]
    for t in x_ticks:
        grid.put(rows, col_of(t), "┬", st.axis)

    # markers: today's volume and the break-even volume, dashed from top to axis
    markers: list[tuple[int, str, list[str], StyleType]] = []
    today_col = col_of(f.today) if 0 < f.today <= x_max else None
    be_col = (
        col_of(f.break_even) if f.break_even is not None and 0 < f.break_even <= x_max else None
    )
    if today_col is not None and today_col == be_col:
        markers.append((today_col, TODAY_GLYPH, ["today ≈ break-even", "today≈b-e"], st.break_even))
    else:
        if today_col is not None:
            markers.append(
                (today_col, TODAY_GLYPH, [f"today {count(f.today)}/day", "today"], st.today)
            )
        if be_col is not None and f.break_even is not None:
            markers.append(
                (
                    be_col,
                    BREAK_EVEN_GLYPH,
                    [f"break-even {count(f.break_even)}/day", "break-even", "b-e"],
                    st.break_even,
                )
            )
    for col, glyph, _labels, style in markers:
        for r in range(rows):
            grid.put(r, col, glyph, style)
        grid.put(rows, col, "┴", style)

    # the self-hosted staircase
    levels = [level(stair_value(f.volumes, f.self_host, volume_at(c))) for c in range(cols)]
    g = STAIR_GLYPHS
    for c, lv in enumerate(levels):
        before = levels[c - 1] if c else lv
        if lv == before:
            grid.put(rows - lv, c, g["flat"], st.self_host)
            continue
        up = lv > before
        grid.put(rows - before, c, g["up_from"] if up else g["down_from"], st.self_host)
        for k in range(min(lv, before) + 1, max(lv, before)):
            grid.put(rows - k, c, g["riser"], st.self_host)
        grid.put(rows - lv, c, g["up_to"] if up else g["down_to"], st.self_host)

    # The API line. Where it falls in the staircase's row it moves one row to the side it is
    # really on, if it is half a row or more away, so "which is cheaper" survives the coarse
    # grid; closer than that the two are equal at this scale and the staircase shows.
    half_row = y_max / rows / 2
    api_levels: list[int | None] = []
    moved: set[int] = set()
    for c in range(cols):
        volume = volume_at(c)
        api_value = line_value(f.volumes, f.api, volume)
        step_level = levels[c]
        lv = level(api_value)
        if lv == step_level and (c == 0 or levels[c - 1] == step_level):
            gap = api_value - stair_value(f.volumes, f.self_host, volume)
            lv = lv + 1 if gap > 0 else lv - 1
            if abs(gap) < half_row or not 0 <= lv <= rows:
                api_levels.append(None)
                continue
            moved.add(c)
        api_levels.append(lv)
    for c in moved:  # a lone moved dot is noise, not a line
        if all(not 0 <= n < cols or api_levels[n] is None for n in (c - 1, c + 1)):
            api_levels[c] = None
    on_steps = {(rows - lv, c) for c, lv in enumerate(levels)}
    previous: int | None = None
    for c, at in enumerate(api_levels):
        if at is None:
            previous = None
            continue
        if previous is not None:  # a steep stretch: filled half in each of two columns
            low, high = sorted((previous, at))
            middle = (low + high) // 2
            for k in range(low + 1, high):
                col = c - 1 if k <= middle and at > previous else c
                if (rows - k, col) not in on_steps:
                    grid.put(rows - k, col, API_GLYPH, st.api)
        grid.put(rows - at, c, API_GLYPH, st.api)
        previous = at

    # today's deployment as specified, when it is not on the re-sized curve
    if f.fixed_replicas is not None and today_col is not None:
        grid.put(rows - level(f.self_host_today), today_col, FIXED_GLYPH, st.self_host)

    # assemble: labels and the y-axis on the left
    lines = list(header)
    label_cells: list[Cell] = [(" ", "")] * width
    placed = _marker_labels(
        [(gutter + col, labels, style) for col, _, labels, style in markers], width
    )
    for start, text, style in placed:
        label_cells[start : start + len(text)] = [(ch, style) for ch in text]
    label_row = Text(no_wrap=True, overflow="crop")
    for glyph, style in label_cells:
        label_row.append(glyph, style)
    label_row.rstrip()
    lines.append(label_row)

    tick_rows = {rows - level(t): lab for t, lab in zip(ticks, y_labels, strict=True)}
    for r in range(rows + 1):
        left = tick_rows.get(r, "")
        axis = "┼" if r == rows else ("┤" if r in tick_rows else "│")
        row = _text((left.rjust(gutter - 1), st.axis), (axis, st.axis))
        row.append_text(grid.row_text(r))
        row.rstrip()
        lines.append(row)

    # x labels under their ticks; the unit at the right end
    cells = [" "] * width
    unit = " requests/day"
    unit_start = width - len(unit)
    taken = unit_start

    def place(start: int, label: str) -> bool:
        if start < 0 or start + len(label) > taken:
            return False
        if any(ch != " " for ch in cells[max(0, start - 1) : start + len(label) + 1]):
            return False
        cells[start : start + len(label)] = list(label)
        return True

    place(gutter - 1, "0")
    for t in x_ticks:
        label = short_number(t)
        place(gutter + col_of(t) - len(label) // 2, label)
    cells[unit_start:] = list(unit)
    lines.append(Text("".join(cells).rstrip(), style=st.axis, no_wrap=True, overflow="crop"))

    lines.extend(footer)
    return lines[:height]


def theme_styles(variables: dict[str, str]) -> ChartStyles:
    """Chart styles from a Textual theme's CSS variables (text-* colours are legible on it)."""

    def colour(name: str, fallback: str) -> Style:
        try:
            return Style(color=Color.parse(variables[name]).rich_color, bold=True)
        except Exception:  # an unknown variable or colour: plain bold
            return Style.parse(fallback)

    return ChartStyles(
        api=colour("text-primary", "bold"),
        self_host=colour("text-warning", "bold"),
        today=Style(bold=True),
        break_even=colour("text-success", "bold"),
    )


class BreakEvenChart(Widget):
    """Monthly cost against requests/day for the API and self-hosting (with friction)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.decision: Decision | None = None
        self._styles_for: tuple[str, ChartStyles] | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.refresh()

    def show(self, decision: Decision) -> None:
        self.decision = decision
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self.refresh()

    def chart_styles(self) -> ChartStyles:
        theme = self.app.theme
        if self._styles_for is None or self._styles_for[0] != theme:
            self._styles_for = (theme, theme_styles(self.app.get_css_variables()))
        return self._styles_for[1]

    def lines(self) -> list[Text]:
        if self.decision is None:
            return []
        size = self.content_size
        return draw_chart(self.decision, size.width, size.height, self.chart_styles())

    def render(self) -> Text:
        if self.decision is None:
            return Text("")
        return Text("\n").join(self.lines())
