"""Help: the keys (read from the screens' own bindings) and a glossary for the whole room."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

MOVING_AROUND = [
    ("Tab / Shift+Tab", "Move between fields, tables and buttons"),
    ("↑ ↓ PgUp PgDn", "Move in tables and lists, and scroll this help"),
    ("Enter", "Choose the highlighted item"),
]

GLOSSARY: list[tuple[str, str]] = [
    (
        "API",
        "Pay a provider (OpenAI, Anthropic...) per token. Nothing to run; the bill grows with use.",
    ),
    (
        "Self-hosting",
        "Run an open model (Llama, Qwen...) on GPUs you rent or own: a fixed monthly cost, "
        "busy or idle.",
    ),
    ("Hybrid", "Some requests self-hosted, the rest on the API. Four patterns, all priced:"),
    (
        "· complexity",
        "simple tasks (classify, extract, summarise) on a small local model, hard ones on the API.",
    ),
    ("· volume", "the steady everyday load on your own GPUs, the peaks on the API."),
    ("· sensitivity", "requests whose data must stay in-house run locally, the rest on the API."),
    ("· latency", "requests needing an answer in under 100 ms run locally, the rest on the API."),
    (
        "Utilisation",
        "How busy the GPUs are on average. You pay for them around the clock either way.",
    ),
    (
        "Utilisation trap",
        "GPUs sized for peaks sit idle: at 30% busy each token costs 3.3x the full-load "
        "price. Under 40% it rarely pays.",
    ),
    (
        "Friction multiplier",
        "Self-hosting must beat the API by a margin to repay the effort (on-call, upgrades): "
        "the article's 1.5x.",
    ),
    (
        "TCO",
        "Total cost of ownership: GPUs + the infrastructure around them (+40% by default) + "
        "the people who run it.",
    ),
    (
        "Tokens",
        "What models read and write, about 3/4 of a word. APIs price input and output tokens "
        "per million.",
    ),
    (
        "Prefill / decode",
        "Prefill: reading the prompt, fast and in bulk. Decode: writing the answer token by "
        "token, slower.",
    ),
    (
        "Throughput",
        "Tokens a second one model copy serves. Batched (many requests at once) is its "
        "capacity; one stream gets far less.",
    ),
    (
        "Replica",
        "One copy of the model on its GPUs. Capacity comes in whole replicas, so the "
        "self-hosted cost climbs in steps.",
    ),
    ("p95", "95 requests out of 100 are at least this fast: a fairer promise than the average."),
    (
        "Time to first token",
        "How long before the first word of an answer appears: the speed users feel.",
    ),
    (
        "Break-even volume",
        "The requests/day where the API bill first exceeds self-hosting x friction. Below it "
        "the API is cheaper.",
    ),
    (
        "Ops step",
        "People cost: a part-time engineer ($4,000/month by default) per self-hosted model, "
        "one more per 16 GPUs.",
    ),
    (
        "Capacity shortfall",
        "A fixed deployment too small for the load: the API cost of what it cannot serve is "
        "added to self-hosting.",
    ),
    (
        "Confidence",
        "How sure the advisor is, 0 to 1: half the cost margin, half the rules agreeing. "
        "Low under 0.4, high from 0.7.",
    ),
]


_KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "backspace": "Backspace",
    "ctrl": "Ctrl",
    "shift": "Shift",
    "alt": "Alt",
}


def key_name(key: str) -> str:
    """'ctrl+s' -> 'Ctrl+S', 'f1' -> 'F1', 'pagedown' -> 'PgDn', 'e' -> 'e'."""
    parts = key.split("+")
    named = [_KEY_NAMES.get(p, p.upper() if re.fullmatch(r"f\d+", p) else p) for p in parts]
    if len(parts) > 1 and len(named[-1]) == 1:
        named[-1] = named[-1].upper()
    return "+".join(named)


def key_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) for each described binding; keys of one action share a row."""
    rows: dict[str, list[str]] = {}
    tabs: list[Binding] = []
    for binding in Binding.make_bindings(bindings):
        if not binding.description or binding.system:
            continue
        if binding.action.startswith("tab("):  # one row for all the tabs: "1-6  Tabs: ..."
            if not tabs:
                rows["\0tabs"] = []
            tabs.append(binding)
            continue
        keys = rows.setdefault(binding.description, [])
        if key_name(binding.key) not in keys:
            keys.append(key_name(binding.key))
    result = []
    for description, keys in rows.items():
        if description == "\0tabs":
            result.append(tab_row(tabs))
        else:
            result.append((" / ".join(keys), description))
    return result


def tab_row(tabs: list[Binding]) -> tuple[str, str]:
    keys = [b.key for b in tabs]
    digits = [int(k) for k in keys if k.isdigit()]
    if len(digits) == len(keys) > 2 and digits == list(range(digits[0], digits[0] + len(keys))):
        shown = f"{keys[0]}-{keys[-1]}"
    else:
        shown = " / ".join(key_name(k) for k in keys)
    return shown, "Tabs: " + ", ".join(f"{b.key} {b.description}" for b in tabs)


def screen_sections(
    app: Any, beneath: Screen[Any] | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each screen's keys, the one the help was opened from first."""
    from advisor.tui.screens.questionnaire import QuestionnaireScreen
    from advisor.tui.screens.results import ResultsScreen
    from advisor.tui.screens.welcome import WelcomeScreen

    everywhere = list(type(app).BINDINGS)
    if getattr(app, "ENABLE_COMMAND_PALETTE", True):
        everywhere.append(
            Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette: every action")
        )
    known: list[tuple[str, type[Screen[Any]], list[BindingType]]] = [
        ("Results", ResultsScreen, list(ResultsScreen.BINDINGS)),
        ("Questionnaire", QuestionnaireScreen, list(QuestionnaireScreen.BINDINGS)),
        ("Welcome screen", WelcomeScreen, list(WelcomeScreen.BINDINGS)),
    ]
    sections = [("Everywhere", key_rows(everywhere) + MOVING_AROUND)]
    here: tuple[str, list[tuple[str, str]]] | None = None
    for title, kind, bindings in known:
        if isinstance(beneath, kind):
            here = (f"{title} (this screen)", key_rows(bindings))
        else:
            sections.append((title, key_rows(bindings)))
    if here is None and beneath is not None:
        rows = key_rows(type(beneath).BINDINGS)
        if rows:
            here = ("This dialog", rows)
    return [here, *sections] if here else sections


def keys_table(sections: list[tuple[str, list[tuple[str, str]]]]) -> Group:
    parts: list[RenderableType] = []
    width = max((len(keys) for _, rows in sections for keys, _ in rows), default=1)
    for i, (title, rows) in enumerate(sections):
        if i:
            parts.append(Text(""))
        parts.append(Text(title, style="bold underline"))
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold", min_width=width)
        table.add_column()
        for keys, description in rows:
            table.add_row(keys, description)
        parts.append(table)
    return Group(*parts)


def glossary_table(entries: list[tuple[str, str]] = GLOSSARY) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=13, style="bold")
    table.add_column()
    for term, meaning in entries:
        table.add_row(term, meaning)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and words; Esc, F1 or q closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close help"),
        Binding("f1", "dismiss", "Close help"),
        Binding("q", "dismiss", "Close help", show=False),
    ]

    def compose(self) -> ComposeResult:
        others = [s for s in self.app.screen_stack if s is not self]
        beneath = others[-1] if others else None
        sections = screen_sections(self.app, beneath)
        with Vertical(id="help-dialog"):
            yield Static("Help: keys and words", id="help-title")
            yield Static("Esc, F1 or q close · ↑ ↓ PgUp PgDn scroll", id="help-hint")
            with VerticalScroll(id="help-body"):
                yield Static(keys_table(sections[:2]), id="help-keys")
                yield Static("Words used here", classes="help-heading")
                yield Static(glossary_table(), id="help-glossary")
                yield Static("Keys on the other screens", classes="help-heading")
                yield Static(keys_table(sections[2:]), id="help-more-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
