"""The first screen: start a new profile, open a saved one, or start from an example."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

INTRO = (
    "API, self-host or hybrid? Answer a few questions about your LLM workload; advisor "
    "prices each option and recommends one, with the reasons and the numbers behind them."
)


def example_title(path: Path) -> str:
    """The example's `name`, read cheaply (no validation) for the menu."""
    try:
        name = tomllib.loads(path.read_text(encoding="utf-8")).get("name")
    except (OSError, ValueError):
        name = None
    return str(name) if name else path.stem


class WelcomeScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "app.new_profile", "New profile"),
        Binding("o", "app.open", "Open"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="welcome"):
            yield Static("advisor", id="welcome-title")
            yield Static(INTRO, id="welcome-intro")
            options = [
                Option("Start a new profile", id="new"),
                Option("Open a saved profile…", id="open"),
                None,
            ]
            store = self.app.session.store  # type: ignore[attr-defined]
            for name in store.example_names():
                title = example_title(store.example(name))
                options.append(Option(f"Example: {title}", id=f"example:{name}"))
            yield OptionList(*options, id="welcome-menu")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "new":
            self.app.action_new_profile()  # type: ignore[attr-defined]
        elif choice == "open":
            self.app.action_open()  # type: ignore[attr-defined]
        elif choice.startswith("example:"):
            self.app.open_example(choice.removeprefix("example:"))  # type: ignore[attr-defined]
