"""The recommendation: verdict (in words, never by colour alone), confidence, why, fallback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from advisor.core.fmt import money

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision


class VerdictPanel(Static):
    """Shows the recommendation of one decision."""

    DEFAULT_CLASSES = "panel"

    def working(self, working: bool) -> None:
        """The newest answers are being decided: the border title says so meanwhile."""
        self.border_title = "Working out the new figures…" if working else None

    def show_error(self, error: str) -> None:
        self.set_classes("panel verdict-error")
        text = Text("[NO RESULT] ", style="bold")
        text.append("The figures below are from the last answers that could be decided.\n")
        text.append(error)
        text.append("\nPress e to change the answers.", style="italic")
        self.update(text)

    def show(self, decision: Decision) -> None:
        r = decision.recommendation
        self.set_classes(f"panel verdict-{r.verdict}")
        text = Text()
        text.append(f"{r.mark} {r.short}", style="bold")
        text.append(f"  ·  confidence {r.confidence} ({r.confidence_score:.2f})\n")
        hosted = next((o for o in decision.options if o.id == "hosted_open"), None)
        sh = decision.self_host.monthly_cost
        if hosted is not None and hosted.applicable:  # the summary gives the friction figure
            figures = (
                f"hosted {money(hosted.monthly_cost)}  ·  API {money(decision.api.monthly_cost)}"
                f"  ·  self-hosted {money(sh)} a month\n"
            )
        else:
            figures = (
                f"API {money(decision.api.monthly_cost)}/month  ·  self-hosted {money(sh)}/month "
                f"({money(decision.break_even.self_host_compared)} with friction)\n"
            )
        text.append(figures, style="bold")
        text.append(r.summary + "\n")
        text.append(r.fallback, style="italic")
        self.update(text)
