"""Help placeholder; the real help screen lands in this change set."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("help")
