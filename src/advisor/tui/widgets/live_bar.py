"""One line of the current result, under the questions: verdict in words, both monthly costs."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from advisor.report.fmt import VERDICT_MARKS, money
from advisor.tui.widgets.verdict import headline


def live_text(data: dict[str, Any] | None, error: str | None) -> Text:
    """'[API] Stay on the API · API $7,200/month · self-host $13,798/month' (fits 80 columns)."""
    text = Text()
    if error:
        text.append("No result: ", style="bold")
        text.append(" ".join(error.split()))
        return text
    if data is None:
        text.append("No result yet: answer the questions.")
        return text
    rec = data["recommendation"]
    text.append(f"{VERDICT_MARKS[rec['verdict']]} {headline(rec)}", style="bold")
    text.append(f" · API {money(data['api']['monthly_cost'])}/month")
    text.append(f" · self-host {money(data['self_host']['monthly_cost'])}/month")
    return text


class LiveBar(Static):
    """The current verdict and costs; the questionnaire calls `show` whenever they change."""

    def show(self, data: dict[str, Any] | None, error: str | None = None) -> None:
        verdict = None if error or data is None else data["recommendation"]["verdict"]
        self.set_class(bool(error), "-error")
        for name in ("api", "self_host", "hybrid"):
            self.set_class(verdict == name, f"verdict-{name}")
        self.update(live_text(data, error))
