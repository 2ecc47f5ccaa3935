"""A chart drawn as Rich text to the widget's size from the decision (the horizon, the odds):
redrawn when the decision or the size changes, never re-wrapped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.events import Resize
from textual.widget import Widget

from advisor.tui.widgets.chart import theme_styles

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.tui.widgets.chart_parts import ChartStyles


class DrawnChart(Widget):
    """Subclasses say how to draw (`draw`); this sizes, styles and redraws it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.decision: Decision | None = None

    def draw(self, decision: Decision, width: int, height: int, st: ChartStyles) -> list[Text]:
        raise NotImplementedError

    def show(self, decision: Decision) -> None:
        self.decision = decision
        self.refresh(layout=True)

    def on_resize(self, event: Resize) -> None:
        self.refresh()

    def render(self) -> Text:
        if self.decision is None:
            return Text("")
        size = self.content_size
        st = theme_styles(self.app.get_css_variables())
        text = Text("\n").join(self.draw(self.decision, size.width, size.height, st))
        text.no_wrap, text.overflow = True, "crop"  # drawn to the width: never re-wrapped
        return text
