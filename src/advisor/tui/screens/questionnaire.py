"""Questionnaire placeholder; the real questionnaire lands in this change set."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static


class QuestionnaireScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("questionnaire")
