"""One line of the current result, under the questions: verdict in words, both monthly costs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from advisor.core.fmt import money

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision


WORKING = "Working… "


def live_text(decision: Decision | None, error: str | None, working: bool = False) -> Text:
    """'[API] Stay on the API · API $7,200 · self-host $13,798 a month' (fits 80 columns);
    the API side is the cheaper of the closed model and the open model hosted. Led by
    "Working…" while the newest answers are being decided."""
    text = Text()
    if working:
        text.append(WORKING, style="bold reverse")
    if error:
        text.append("No result: ", style="bold")
        text.append(" ".join(error.split()))
        return text
    if decision is None:
        text.append("No result yet: answer the questions.")
        return text
    r = decision.recommendation
    text.append(f"{r.mark} {r.short}", style="bold")
    side = decision.api_side
    name = "hosted" if side.id == "hosted_open" else "API"
    text.append(f" · {name} {money(side.monthly_cost)}")
    text.append(f" · self-host {money(decision.self_host.monthly_cost)} a month")
    return text


class LiveBar(Static):
    """The current verdict and costs; the questionnaire calls `show` whenever they change."""

    _shown: tuple[Decision | None, str | None] = (None, None)
    _working = False

    def show(self, decision: Decision | None, error: str | None = None) -> None:
        verdict = None if error or decision is None else decision.recommendation.verdict
        self.set_class(bool(error), "-error")
        for name in ("api", "self_host", "hybrid"):
            self.set_class(verdict == name, f"verdict-{name}")
        self._shown = (decision, error)
        self.update(live_text(decision, error, self._working))

    def working(self, working: bool) -> None:
        """The newest answers are being decided (what is shown is from the ones before)."""
        if working != self._working:
            self._working = working
            self.update(live_text(*self._shown, working))
