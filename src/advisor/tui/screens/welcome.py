"""The first screen: start a new profile, open a saved one, or start from an example."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from advisor.tui.messages import OpenListed

if TYPE_CHECKING:
    from advisor.core.profile.store import ProfileStore

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

    def __init__(self, store: ProfileStore) -> None:
        super().__init__()
        self.store = store

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
            for name in self.store.team_names():
                title = example_title(self.store.team(name))
                options.append(Option(f"Team: {title}", id=f"team:{name}"))
            for name in self.store.example_names():
                title = example_title(self.store.example(name))
                options.append(Option(f"Example: {title}", id=f"example:{name}"))
            yield OptionList(*options, id="welcome-menu")
        yield Footer()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "new":
            await self.app.run_action("new_profile")
        elif choice == "open":
            await self.app.run_action("open")
        elif choice.startswith(("example:", "team:")):
            self.post_message(OpenListed(choice))
