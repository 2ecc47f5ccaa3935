"""The results: recommendation first, then costs, break-even, rules, what flips, next steps."""

from __future__ import annotations

import re
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import MountError, Widget
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane, Tabs

from advisor.tui.session import Session
from advisor.tui.widgets.tables import (
    NOT_APPLICABLE,
    AssumptionTable,
    CandidateTable,
    CostTable,
    NotedTable,
    RuleTable,
)
from advisor.tui.widgets.verdict import VerdictPanel

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision


IDENT = re.compile(r"[a-z][a-z0-9_-]{0,40}")  # a tab's or a table's id, from a room's state


def flip_lines(decision: Decision) -> str:
    from advisor.core.decision.words import flip_sentences

    growth = decision.growth.sentence if decision.growth else None
    sentences = flip_sentences(decision.sensitivity, decision.flip_lead, decision.choices, growth)
    lines = [f"• {sentence}" for sentence in sentences]
    return "Each assumption moved from x0.5 to x2, largest swing first:\n" + "\n".join(lines)


def steps_text(decision: Decision) -> str:
    r = decision.recommendation
    parts = [f"{i}. {s}" for i, s in enumerate(r.next_steps, 1)]
    if r.caveats:
        parts += ["", "Caveats:"] + [f"• {c}" for c in r.caveats]
    if decision.warnings:
        parts += ["", "Warnings:"] + [f"• {w}" for w in decision.warnings]
    return "\n".join(parts)


class ResultsScreen(Screen[None]):
    """Renders the session's decision; re-renders whenever the app's decision changes."""

    AUTO_FOCUS = "#cost-table"  # arrow keys pick a cost row at once, as the screen says

    BINDINGS = [
        Binding("e", "app.questionnaire", "Edit answers"),
        Binding("n", "app.notes", "Notes"),
        Binding("m", "app.export_memo", "Export memo"),
        Binding("c", "app.show_memo", "Memo to copy", show=False),
        Binding("u", "app.import_usage", "Import usage", show=False),
        Binding("w", "app.welcome", "Welcome screen", show=False),
        Binding("1", "tab('costs')", "Costs", show=False),
        Binding("2", "tab('deployment')", "Deployment", show=False),
        Binding("3", "tab('breakeven')", "Break-even", show=False),
        Binding("4", "tab('rules')", "Rules", show=False),
        Binding("5", "tab('flips')", "What flips", show=False),
        Binding("6", "tab('steps')", "Next steps", show=False),
        Binding("7", "tab('assumptions')", "Assumptions", show=False),
        Binding("8", "tab('horizon')", "Horizon", show=False),
        Binding("9", "tab('risk')", "Risk", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerdictPanel("Working out the recommendation…", id="verdict")
        with TabbedContent(id="tabs"), TabPane("1 Costs", id="costs"), VerticalScroll():
            yield CostTable(id="cost-table")
            yield Static(id="cost-note", classes="note", markup=False)
            yield Static(id="cost-sources", classes="sources", markup=False)

    async def _add_tabs(self) -> None:
        """The hidden tabs, mounted after the first frame (it shows the costs)."""
        try:
            await self._mount_tabs()
        except (NoMatches, MountError):  # the app closed while the tabs were being added
            return

    async def _mount_tabs(self) -> None:
        # The hidden tabs' widgets are imported here, after the first frame.
        from advisor.tui.widgets.chart import BreakEvenChart
        from advisor.tui.widgets.deployment import DeploymentSummary
        from advisor.tui.widgets.horizon_chart import HorizonChart
        from advisor.tui.widgets.risk_bands import RiskBands

        await self.mount(Footer())
        self.query_one("#cost-sources", Static).update(self._sources)
        self.refresh_bindings()  # a footer mounted late learns the keys from this signal
        tabs = self.query_one(TabbedContent)
        await tabs.add_pane(
            TabPane(
                "2 Deployment",
                VerticalScroll(
                    DeploymentSummary(id="deployment-text", markup=False),
                    CandidateTable(id="candidate-table"),
                ),
                Static(id="candidate-note", classes="note", markup=False),
                id="deployment",
            )
        )
        await tabs.add_pane(
            TabPane(
                "3 Break-even",
                BreakEvenChart(id="chart"),
                Static(id="break-even-text", classes="note", markup=False),
                id="breakeven",
            )
        )
        await tabs.add_pane(
            TabPane(
                "4 Rules",
                RuleTable(id="rule-table"),
                Static(id="rule-note", classes="note", markup=False),
                id="rules",
            )
        )
        await tabs.add_pane(
            TabPane(
                "5 What flips", VerticalScroll(Static(id="flip-text", markup=False)), id="flips"
            )
        )
        await tabs.add_pane(
            TabPane(
                "6 Next steps", VerticalScroll(Static(id="steps-text", markup=False)), id="steps"
            )
        )
        await tabs.add_pane(
            TabPane(
                "7 Assumptions",
                AssumptionTable(id="assumption-table"),
                Static(id="assumption-note", classes="note", markup=False),
                id="assumptions",
            )
        )
        await tabs.add_pane(
            TabPane(
                "8 Horizon",
                VerticalScroll(
                    HorizonChart(id="horizon-chart"),
                    Static(id="horizon-text", markup=False),
                ),
                id="horizon",
            )
        )
        await tabs.add_pane(
            TabPane(
                "9 Risk",
                VerticalScroll(
                    RiskBands(id="risk-bands"),
                    Static(id="risk-text", markup=False),
                ),
                id="risk",
            )
        )
        self.tabs_ready = True
        if self.session.decision is not None and self.is_attached:
            self._show_tabs(self.session.decision)
        if self._wanted is not None:
            await self.show_view(*self._wanted)

    tabs_ready = False
    _adding_tabs = False
    _sources = ""

    def on_mount(self) -> None:
        self.watch(self.app, "decision", self.show, init=True)
        self.watch(self.app, "working", self.query_one(VerdictPanel).working)

    def show(self, decision: Decision | None) -> None:
        if decision is None:
            return
        if not self._adding_tabs:  # after the first frame that shows a decision
            self._adding_tabs = True
            later = getattr(self.app, "after_first_frame", self.call_after_refresh)
            later(self._add_tabs)
        self.sub_title = self.app.sub_title
        error = self.session.error
        if error:  # the last answers cannot be decided: say so, never show stale figures
            self.query_one(VerdictPanel).show_error(error)
            return
        self.query_one(VerdictPanel).show(decision)
        costs = self.query_one(CostTable)
        costs.show(decision)
        self._note(costs, "#cost-note")
        self._sources = (
            f"> marks the recommendation, {NOT_APPLICABLE} an option that does not apply to "
            "these answers; w/ friction: what the verdict compares; /req: per request; GPUs: "
            "replicas × GPUs each. Where each figure comes from (arrow keys pick a row "
            "above):\n" + "\n".join(f"• {note}" for note in costs.notes.values())
        )
        if self.tabs_ready:
            self.query_one("#cost-sources", Static).update(self._sources)
        if self.tabs_ready:
            self._show_tabs(decision)

    def _show_tabs(self, decision: Decision) -> None:
        from advisor.tui.widgets.deployment import DeploymentSummary
        from advisor.tui.widgets.horizon_chart import HorizonChart
        from advisor.tui.widgets.outlook_text import horizon_text, risk_text
        from advisor.tui.widgets.risk_bands import RiskBands

        self.query_one(DeploymentSummary).show(decision)
        self.query_one(CandidateTable).show(decision)
        self.query_one(RuleTable).show(decision)
        self.query_one(AssumptionTable).show(decision)
        from advisor.tui.widgets.chart import BreakEvenChart

        self.query_one(BreakEvenChart).show(decision)
        hosted = self.query_one("#break-even-text", Static)  # the chart is about the closed model
        hosted.update(decision.break_even_hosted or "")
        hosted.display = decision.break_even_hosted is not None
        self.query_one("#flip-text", Static).update(flip_lines(decision))
        self.query_one(HorizonChart).show(decision)
        self.query_one("#horizon-text", Static).update(horizon_text(decision))
        self.query_one(RiskBands).show(decision)
        self.query_one("#risk-text", Static).update(risk_text(decision))
        self.query_one("#steps-text", Static).update(steps_text(decision))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        notes = {
            "candidate-table": "#candidate-note",
            "cost-table": "#cost-note",
            "rule-table": "#rule-note",
            "assumption-table": "#assumption-note",
        }
        target = notes.get(event.data_table.id or "")
        if target and isinstance(event.data_table, NotedTable):
            self._note(event.data_table, target)

    def _note(self, table: NotedTable, target: str) -> None:
        self.query_one(target, Static).update(table.highlighted_note)

    # -- in a room (tui/room/presence.py) -----------------------------------------------------
    def shared_view(self) -> dict[str, Any]:
        """The tab shown and the row highlighted in its table, as a room shares them."""
        tabs = self.query_one(TabbedContent)
        view: dict[str, Any] = {"tab": tabs.active, "table": None, "row": None}
        with suppress(NoMatches, ValueError):
            table = tabs.get_pane(tabs.active).query(NotedTable).first()
            view["table"], view["row"] = table.id, table.highlighted_key
        return view

    async def show_view(self, tab: object, table: object, row: object) -> None:
        """The presenter's tab and highlighted row (a follower's screen)."""
        if not isinstance(tab, str) or not IDENT.fullmatch(tab):
            return
        if not self.tabs_ready:
            self._wanted = (tab, table, row)  # shown once the tabs are there
            return
        tabs = self.query_one(TabbedContent)
        with suppress(NoMatches, ValueError):
            if tabs.active != tab:
                tabs.get_pane(tab)  # a tab this screen has (else NoMatches)
                self.action_tab(tab)
        if isinstance(table, str) and IDENT.fullmatch(table) and isinstance(row, str):
            for found in self.query(f"#{table}"):
                if isinstance(found, NotedTable) and row in found.notes:
                    found.move_cursor(row=found.get_row_index(row))

    _wanted: tuple[str, object, object] | None = None

    def action_tab(self, tab: str) -> None:
        """Show a tab and focus what is in it (its table, or the text to scroll), so arrow
        keys act on that tab at once; the tab bar when it holds nothing to focus."""
        if not self.tabs_ready:
            return
        tabs = self.query_one(TabbedContent)
        tabs.active = tab
        pane = tabs.get_pane(tab)
        target: Widget = tabs.query_one(Tabs)
        for kind in (DataTable, VerticalScroll):
            found = pane.query(kind)
            if found:
                target = found.first()
                break
        target.focus()
