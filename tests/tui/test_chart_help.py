"""The break-even chart (pure drawing and in the app) and the help screen."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from rich.console import Console
from tests.tui.helpers import wait_for
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from advisor.core.decision.decide import decide
from advisor.core.decision.model import Decision
from advisor.core.fmt import money
from advisor.core.profile.io import load_profile
from advisor.core.profile.store import resolve_profile_path
from advisor.tui.app import create_app
from advisor.tui.screens.help import GLOSSARY, HelpScreen, glossary_table, key_name
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.widgets.chart import (
    API_GLYPH,
    BREAK_EVEN_GLYPH,
    TODAY_GLYPH,
    BreakEvenChart,
    draw_chart,
    nice_step,
    short_money,
    short_number,
    theme_styles,
)


@cache
def data(name: str) -> Decision:
    """A bundled example's decision (what the chart is shown)."""
    return decide(load_profile(resolve_profile_path(name)))


def plain(lines: list[Any]) -> list[str]:
    return [line.plain for line in lines]


def column_of(lines: list[str], glyph: str) -> set[int]:
    return {i for line in lines for i, ch in enumerate(line) if ch == glyph}


# -- the pure drawing function ----------------------------------------------------------------
def test_axis_labels_are_short_money_and_volumes() -> None:
    assert short_money(10_000) == "$10k"
    assert short_money(12_500) == "$12.5k"
    assert short_money(1_200_000) == "$1.2M"
    assert short_money(0) == "$0"
    assert short_number(50_000) == "50k"
    assert short_number(500) == "500"
    assert nice_step(200_000, 4) == 50_000
    assert nice_step(180_000, 12) == 20_000


def test_heavy_at_80x24_shows_both_series_today_and_the_break_even() -> None:
    d = data("heavy")
    be = d.break_even.requests_per_day
    assert be is not None
    lines = plain(draw_chart(d, 78, 12))
    text = "\n".join(lines)
    assert len(lines) <= 12 and all(len(line) <= 78 for line in lines)
    # the legend names both series, by glyph, and says the self-hosted line carries friction
    assert lines[0].startswith(API_GLYPH * 2 + " API")
    assert "━┛ self-hosted × 1.5 friction, re-sized for each volume" in lines[0]
    # both markers are labelled, and explained underneath with their figures
    assert "today" in lines[1] and "break-even" in lines[1]
    assert "today 100,000/day" in text and f"break-even {be:,}/day" in text
    assert "$90,000" in text and money(d.break_even.self_host_compared) in text
    # y in money, x in requests/day
    assert "$0┼" in text and "k┤" in text
    assert "50k" in text and "100k" in text and "requests/day" in text
    # the self-hosted line is a staircase: several risers
    assert sum(line.count("┛") for line in lines) >= 2
    assert sum(line.count(API_GLYPH) for line in lines[2:-2]) > 20


def test_the_today_marker_stands_at_todays_volume_on_the_x_axis() -> None:
    lines = plain(draw_chart(data("heavy"), 78, 12))
    (today_col,) = column_of(lines[2:-3], TODAY_GLYPH)
    labels = lines[-3]
    centre = labels.index("100k") + 2  # today is 100,000/day: under the 100k tick
    assert abs(centre - today_col) <= 1
    (be_col,) = column_of(lines[2:-3], BREAK_EVEN_GLYPH)
    fifty = labels.index("50k") + 1
    assert be_col < fifty  # the break-even volume is left of 50k


def test_no_break_even_says_so_and_draws_no_break_even_marker() -> None:
    lines = plain(draw_chart(data("customer-service"), 78, 12))
    text = "\n".join(lines)
    assert "no break-even within 1,000x today's volume" in text
    assert BREAK_EVEN_GLYPH not in text
    assert "today 10,000/day" in text and "$7,290" in text
    # today's fixed deployment (the article's 2xA100) is marked apart from the re-sized curve
    assert "◆" in text and "$19,864" in text


def test_the_self_hosted_line_is_above_the_api_where_it_costs_more() -> None:
    lines = plain(draw_chart(data("customer-service"), 100, 30))
    axis = next(line for line in lines if "┼" in line)
    start = axis.index("┼") + 1
    plot = [line for line in lines if len(line) > start and line[start - 1] in "┤│┼"]
    assert len(plot) >= 15
    for col in range(start + 5, max(len(line) for line in plot)):
        api_rows = [r for r, line in enumerate(plot) if col < len(line) and line[col] == "•"]
        step_rows = [r for r, line in enumerate(plot) if col < len(line) and line[col] == "━"]
        if api_rows and step_rows:
            assert max(step_rows) < min(api_rows)  # a smaller row index is higher up


def test_the_chart_uses_the_room_it_is_given() -> None:
    small = plain(draw_chart(data("heavy"), 78, 12))
    large = plain(draw_chart(data("heavy"), 198, 46))
    assert len(large) == 46 and max(map(len, large)) > 150
    assert large[0].startswith("Monthly cost")  # a title and a legend line per series
    assert any("climbs in steps" in line for line in large)
    assert sum(line.count("┛") for line in large) > sum(line.count("┛") for line in small)


def test_tiny_sizes_fall_back_to_words_and_never_overflow() -> None:
    for width, height in ((30, 5), (60, 4), (79, 6), (45, 9), (120, 7)):
        lines = plain(draw_chart(data("heavy"), width, height))
        assert len(lines) <= height and all(len(line) <= width for line in lines), (width, height)
        assert any("today" in line for line in lines)
    assert draw_chart(data("heavy"), 0, 10) == []


def test_theme_styles_give_the_two_series_different_colours_in_light_themes() -> None:
    app = App[None]()  # not run: only its themes
    for theme in ("textual-light", "textual-dark", "ansi-light"):
        app.theme = theme
        styles = theme_styles(app.get_css_variables())
        assert styles.api != styles.self_host, theme


# -- in the app ------------------------------------------------------------------------------
async def open_chart(pilot: Pilot[int]) -> BreakEvenChart:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.decision)
    await wait_for(pilot, lambda: getattr(app.screen, "tabs_ready", False))
    await pilot.press("3")
    chart = app.screen.query_one(BreakEvenChart)
    await wait_for(pilot, lambda: chart.decision is not None and chart.content_size.height > 0)
    return chart


def chart_text(chart: BreakEvenChart) -> str:
    return chart.render().plain


async def test_the_chart_tab_at_80x24_shows_legend_and_todays_marker() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        chart = await open_chart(pilot)
        text = chart_text(chart)
        assert chart.content_size.height >= 9
        assert "API bill" in text and "self-hosted × 1.5 friction" in text
        assert "today 10,000/day" in text and TODAY_GLYPH in text
        assert "no break-even within 1,000x today's volume" in text
        assert all(len(line) <= chart.content_size.width for line in text.splitlines())


async def test_the_chart_marks_the_break_even_and_redraws_at_another_size() -> None:
    app = create_app("heavy")
    async with app.run_test(size=(80, 24)) as pilot:
        chart = await open_chart(pilot)
        before = chart_text(chart)
        assert "break-even" in before and BREAK_EVEN_GLYPH in before
        be = app.decision.break_even.requests_per_day if app.decision else None
        assert be is not None and f"break-even {be:,}/day" in before
        await pilot.resize_terminal(160, 50)
        await wait_for(pilot, lambda: chart.content_size.width > 100)
        after = chart_text(chart)
        assert after != before
        assert max(map(len, after.splitlines())) > 100
        assert len(after.splitlines()) > len(before.splitlines())
        assert f"break-even {be:,}/day" in after


def help_text(screen: HelpScreen) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    for static_id in ("#help-keys", "#help-glossary", "#help-more-keys"):
        console.print(screen.query_one(static_id, Static).content)
    return console.export_text()


async def test_f1_opens_the_help_with_keys_and_glossary_and_escape_closes_it() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.decision)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        text = help_text(screen)
        words = set(text.replace("/", " ").split())
        for term in (
            "API",
            "Self-hosting",
            "Hybrid",
            "complexity",
            "volume",
            "sensitivity",
            "latency",
            "Utilisation",
            "trap",
            "Friction",
            "multiplier",
            "1.5x.",
            "TCO",
            "Prefill",
            "decode",
            "Throughput",
            "Batched",
            "Tokens",
            "p95",
            "token",
            "Break-even",
            "Ops",
            "Capacity",
            "shortfall",
            "Confidence",
        ):
            assert term in words, term
        for key in ("Ctrl+S", "Ctrl+O", "Ctrl+T", "Ctrl+P", "F1", "Ctrl+Q", "1-9"):
            assert key in text, key
        for key in ("Ctrl+N", "Ctrl+B", "PgDn", "PgUp", "F3"):  # the questionnaire's
            assert key in text, key
        assert "Results (this screen)" in text
        # it fits: the dialog is inside 80x24 and scrolls
        dialog = screen.query_one("#help-dialog")
        assert dialog.region.right <= 80 and dialog.region.bottom <= 24
        body = screen.query_one("#help-body")
        assert body.has_focus and body.max_scroll_y > 0
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: body.scroll_y > 0)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))


async def test_f1_and_q_also_close_the_help() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.decision)
        for closer in ("f1", "q"):
            await pilot.press("f1")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press(closer)
            await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert app.return_code is None  # q closed the help, it did not quit


def test_glossary_entries_are_short_and_keys_read_plainly() -> None:
    console = Console(width=74, record=True, file=io.StringIO())  # the help's room at 80x24
    for term, meaning in GLOSSARY:
        console.print(glossary_table([(term, meaning)]))
        assert len(console.export_text().splitlines()) <= 2, term
    assert key_name("ctrl+s") == "Ctrl+S"
    assert key_name("f1") == "F1"
    assert key_name("pagedown") == "PgDn"
    assert key_name("escape") == "Esc"
    assert key_name("e") == "e"
