"""The results screen as a person reads it at 80x24: tables laid out the same after every
edit, options that do not apply said in words, focus where the arrow keys are needed, and
the highlighted rule's full explanation on screen."""

from __future__ import annotations

import re
from typing import Any

from tests.tui.helpers import decided, screen_text, wait_for
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, Tabs

from advisor.core.decision.decide import decide
from advisor.core.decision.model import Decision
from advisor.core.profile.io import load_profile
from advisor.core.profile.store import resolve_profile_path
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.widgets.tables import (
    AssumptionTable,
    CandidateTable,
    CostTable,
    NotedTable,
    RuleTable,
)


async def settled(pilot: Pilot[int]) -> AdvisorApp:
    """The results with every tab mounted and the profile loaded for editing."""
    app = pilot.app
    assert isinstance(app, AdvisorApp)
    await wait_for(
        pilot,
        lambda: (
            app.decision is not None
            and app.session.profile is not None
            and getattr(app.screen, "tabs_ready", False)
        ),
    )
    await pilot.pause()
    return app


async def tab_views(pilot: Pilot[int]) -> dict[str, list[str]]:
    """Costs, rules and assumptions as on screen, without the title line (it names the file)."""
    views = {}
    for key in "1247":
        await pilot.press(key)
        await pilot.pause()
        views[key] = screen_text(pilot).splitlines()[1:]
    await pilot.press("1")
    return views


def highlighted(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor."""
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


async def test_after_an_edit_the_tables_are_laid_out_as_when_first_opened() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.session.profile is not None
        before = app.session.profile.workload.requests_per_day
        # Typing an answer recomputes on the way (1 -> 10 -> 100 ...): a bigger volume
        # widens every money column, then the answer the person meant narrows them again
        # (here the profile's own, so a fresh open of the example has the same answers).
        app.session.profile.workload.requests_per_day = 1_000_000
        app.recompute()
        await decided(pilot)
        app.session.profile.workload.requests_per_day = before
        app.recompute()
        await decided(pilot)
        edited = await tab_views(pilot)
    fresh_app = create_app("customer-service")
    async with fresh_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        fresh = await tab_views(pilot)
    header = next(line for line in fresh["1"] if "Option" in line)
    assert "GPUs" in header and "Util" in header  # every column fits in 80 columns
    for key in "1247":
        assert edited[key] == fresh[key], f"tab {key} differs after the edit"


async def test_a_table_drawn_as_soon_as_it_is_refilled_is_drawn_at_its_full_widths() -> None:
    # A frame can be drawn after a new decision fills the tables and before they are idle.
    # DataTable measures its columns when idle and keeps the rows it drew at the headers'
    # widths: the cost table stayed truncated ("Self-h", "$0.0") until the next change.
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.decision is not None
        app.screen.query_one(CostTable).show(app.decision)
        app.export_screenshot()  # the frame drawn at once
        await pilot.pause()
        text = screen_text(pilot)
        assert "Hosted open model" in text and "$0.0243" in text


async def test_the_highlighted_row_stays_highlighted_when_the_decision_changes() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("down", "down")  # past the open model hosted, to self-hosting
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 20_000
        app.recompute()
        await decided(pilot)
        assert highlighted(app.screen.query_one(CostTable)) == "self_host"
        assert str(app.screen.query_one("#cost-note", Static).render()).startswith("Self-hosted")


async def test_options_that_do_not_apply_say_so_in_words_not_only_in_grey() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        lines = screen_text(pilot).splitlines()
        row = {
            name: next(
                line for line in lines if re.match(rf" *(>|n/a)? +{re.escape(name)} +\$", line)
            )
            for name in (
                "API",
                "Hosted open model",
                "Self-hosted",
                "+ API for peaks",
                "hybrid latency",
            )
        }
        assert "n/a" in row["hybrid latency"]  # applicable: false in the JSON form
        assert "n/a" in row["Hosted open model"]  # the profile rules other providers out
        assert "n/a" not in row["+ API for peaks"] and "n/a" not in row["Self-hosted"]
        assert row["API"].lstrip().startswith(">")  # the recommendation
        assert "n/a an option that does not apply" in flat(screen_text(pilot))
        for _ in range(6):  # down to the latency hybrid: its note says why it does not apply
            await pilot.press("down")
        await pilot.pause()
        note = str(app.screen.query_one("#cost-note", Static).render())
        assert note.startswith("hybrid latency")
        assert "not needed: the latency target allows an API" in note
        assert "does not apply to these answers" in note and "[" not in note


async def test_arrow_keys_act_on_the_table_as_soon_as_the_results_open() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert isinstance(app.focused, CostTable)
        await pilot.press("down")
        await pilot.pause()
        assert highlighted(app.screen.query_one(CostTable)) == "hosted_open"
        note = str(app.screen.query_one("#cost-note", Static).render())
        assert note.startswith("Hosted open model")
        assert "does not apply: you ruled out other providers" in note
        await pilot.press("4")
        assert isinstance(app.focused, RuleTable)
        await pilot.press("down")
        assert app.screen.query_one(RuleTable).cursor_row == 1
        await pilot.press("7")
        assert isinstance(app.focused, AssumptionTable)
        await pilot.press("5")
        assert isinstance(app.focused, VerticalScroll) and app.focused.parent is not None
        assert app.focused.parent.id == "flips"
        await pilot.press("2")
        assert isinstance(app.focused, CandidateTable)
        await pilot.press("3")  # the chart takes no keys: the tab bar does
        assert isinstance(app.focused, Tabs)
        await pilot.press("1")
        assert isinstance(app.focused, CostTable)


async def test_the_highlighted_rules_full_explanation_is_on_screen_at_80x24() -> None:
    app = create_app("regulated-health")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, ResultsScreen) and app.decision is not None
        rules = {r.id: r.explanation for r in app.decision.rules}
        await pilot.press("4")
        for rule in ("spend-under-5k", "spend-5k-20k", "spend-over-20k", "break-even"):
            await pilot.pause()
            assert highlighted(app.screen.query_one(RuleTable)) == rule
            assert flat(rules[rule]) in flat(screen_text(pilot)), rule
            await pilot.press("down")


async def test_at_200x60_every_rule_and_the_explanation_under_them_are_on_screen() -> None:
    app = create_app("regulated-health")
    async with app.run_test(size=(200, 60)) as pilot:
        await settled(pilot)
        assert app.decision is not None
        await pilot.press("4")
        await pilot.pause()
        text = screen_text(pilot)
        assert all(r.id in text for r in app.decision.rules)
        first = app.decision.rules[0]
        assert flat(f"{first.id}: {first.explanation}") in flat(text)
        table = app.screen.query_one(RuleTable)
        note = app.screen.query_one("#rule-note", Static)
        assert note.region.y - table.region.bottom <= 1  # right under the table, no gap


async def steady_text(pilot: Pilot[Any]) -> str:
    """The screen once it has stopped changing: a table lays itself out again on idle."""
    shown = screen_text(pilot)
    for _ in range(40):
        await pilot.pause(0.05)
        again, shown = shown, screen_text(pilot)
        if again == shown:
            return shown
    raise AssertionError("the screen never settled")


class OneTable(App[None]):
    def __init__(self, table: NotedTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def widened(decision: Decision) -> Decision:
    """The same decision with a longer text in every table's first columns."""
    rule = decision.rules[0]
    rules = (rule._replace(effect=rule.effect._replace(toward="somewhere-much-further-away")),)
    first = decision.assumptions[0]._replace(value="a value longer than any other value")
    api = decision.options[0]._replace(monthly_cost=decision.options[0].monthly_cost * 10_000)
    return decision._replace(
        rules=rules + decision.rules[1:],
        assumptions=(first, *decision.assumptions[1:]),
        options=(api, *decision.options[1:]),
    )


async def test_each_table_lays_out_a_new_decision_as_a_fresh_table_would() -> None:
    data = decide(load_profile(resolve_profile_path("customer-service")))
    for kind in (CostTable, RuleTable, AssumptionTable):
        screens = []
        for decisions in ([widened(data), data], [data]):
            app = OneTable(kind())
            async with app.run_test(size=(80, 24)) as pilot:
                for decision in decisions:
                    app.table.show(decision)
                    await pilot.pause()
                screens.append(await steady_text(pilot))
        assert screens[0] == screens[1], kind.__name__


async def test_assumptions_read_as_words_and_grouped_numbers() -> None:
    data = decide(load_profile(resolve_profile_path("customer-service")))
    app = OneTable(AssumptionTable())
    async with app.run_test(size=(120, 40)) as pilot:
        app.table.show(data)
        text = await steady_text(pilot)
        notes = app.table.notes  # by the field's path: a room shares the highlighted row so
    assert notes["workload.input_tokens"].startswith("Tokens in, per request: 5,600 tokens")
    assert notes["workload.output_tokens_measured"].startswith("Output lengths measured: no")
    assert notes["data.air_gapped"].startswith("Offline or air-gapped: no")
    assert notes["workload.simple_task_share"].startswith("Share of simple requests: 0%")
    assert "Tokens in, per request" in text and "5,600 tokens" in text
    assert not re.search(r"\b(?:workload|data|policy|self_host)\.[a-z_]+", text)  # words only
