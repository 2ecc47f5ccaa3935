"""What help says is true (no key it lists is one a focused text field takes for itself), and
every empty field's hint is shown whole at 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.helpers import wait_for
from textual.binding import Binding, BindingType
from textual.widgets import Input, TextArea

from advisor.core.decision.load import load_and_decide
from advisor.core.profile.store import bundled_profiles
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.questions import HINT_MAX, NUMERIC_KINDS, empty_hint
from advisor.tui.screens.dialogs import NotesScreen
from advisor.tui.screens.questionnaire import QuestionnaireScreen
from advisor.tui.steps import all_questions
from advisor.tui.widgets.question_box import NumberInput


def keys(bindings: list[BindingType]) -> set[str]:
    return {
        key.strip()
        for binding in Binding.make_bindings(bindings)
        for key in binding.key.split(",")
        if not binding.priority
    }


@pytest.mark.parametrize(
    ("where", "bindings", "field"),
    [
        ("everywhere", AdvisorApp.BINDINGS, Input),
        ("everywhere", AdvisorApp.BINDINGS, TextArea),
        ("the questionnaire", QuestionnaireScreen.BINDINGS, Input),
        ("the notes", NotesScreen.BINDINGS, TextArea),
    ],
)
def test_no_key_help_lists_is_taken_by_a_focused_field(
    where: str, bindings: list[BindingType], field: type[Input] | type[TextArea]
) -> None:
    taken = keys(list(bindings)) & keys(list(field.BINDINGS))
    assert not taken, f"{where}: {taken} belong to a focused {field.__name__}"


async def test_import_usage_and_export_memo_work_while_typing_in_a_field(
    tmp_path: Path,
) -> None:
    app = create_app("medium", profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: "ImportUsage" in type(app.screen).__name__)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: list(tmp_path.glob("*.memo.md")))


def test_every_empty_hint_is_short_enough() -> None:
    for path in bundled_profiles().values():
        _, decision = load_and_decide(path)
        for question in all_questions():
            if question.kind not in NUMERIC_KINDS:
                continue  # choices show the catalog default in their prompt
            hint = empty_hint(question, decision)
            assert len(hint) <= HINT_MAX, (question.name, hint)
            assert not hint.endswith("…"), (question.name, hint)  # written short, not cut


@pytest.mark.parametrize("profile", [None, "medium", "unpredictable"])
async def test_every_hint_shows_whole_at_80_columns(profile: str | None, tmp_path: Path) -> None:
    if profile == "unpredictable":  # the longest variability word, in the peak's hint
        path = tmp_path / "p.toml"
        path.write_text('[traffic]\nvariability = "unpredictable"\n')
        profile = str(path)
    app = create_app(profile, profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        if profile is None:
            await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
            await pilot.press("n")
        else:
            await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
            await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        checked = 0
        for _ in range(12):
            await pilot.pause()
            for field in screen.query(NumberInput):
                if field.region.width and not field.value:
                    width = field.content_region.width
                    assert len(field.placeholder) < width, (field.id, field.placeholder, width)
                    checked += 1
            await pilot.press("ctrl+n")
        assert checked >= 5
