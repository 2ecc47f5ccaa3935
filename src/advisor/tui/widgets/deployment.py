"""The deployment the search chose, in words (core/decision/deployment_words.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision


class DeploymentSummary(Static):
    def show(self, decision: Decision) -> None:
        from advisor.core.decision.deployment_words import deployment_sentences

        first, *rest = deployment_sentences(decision)
        text = Text(first + "\n", style="bold")
        text.append("\n".join(rest))
        self.update(text)
