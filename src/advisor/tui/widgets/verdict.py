"""The recommendation: verdict (in words, never by colour alone), confidence, why, fallback."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from advisor.report.fmt import VERDICT_MARKS, money

HEADLINES = {"api": "Stay on the API", "self_host": "Self-host", "hybrid": "Go hybrid"}


def headline(rec: dict[str, Any]) -> str:
    text = HEADLINES[rec["verdict"]]
    return f"{text} by {rec['pattern']}" if rec["pattern"] else text


class VerdictPanel(Static):
    """Shows the recommendation of one decision (its JSON form)."""

    DEFAULT_CLASSES = "panel"

    def show_error(self, error: str) -> None:
        self.set_classes("panel verdict-error")
        text = Text("[NO RESULT] ", style="bold")
        text.append("The figures below are from the last answers that could be decided.\n")
        text.append(error)
        text.append("\nPress e to change the answers.", style="italic")
        self.update(text)

    def show(self, data: dict[str, Any]) -> None:
        rec = data["recommendation"]
        self.set_classes(f"panel verdict-{rec['verdict']}")
        text = Text()
        text.append(f"{VERDICT_MARKS[rec['verdict']]} {headline(rec)}", style="bold")
        text.append(f"  ·  confidence {rec['confidence']} ({rec['confidence_score']:.2f})\n")
        text.append(
            f"API {money(data['api']['monthly_cost'])}/month  ·  self-hosted "
            f"{money(data['self_host']['monthly_cost'])}/month "
            f"({money(data['break_even']['self_host_compared'])} with friction)\n",
            style="bold",
        )
        text.append(rec["summary"] + "\n")
        text.append(
            "Keep an API fallback whatever runs in production."
            if rec["api_fallback"]
            else "Air-gapped: keep a second local deployment as the fallback.",
            style="italic",
        )
        self.update(text)
