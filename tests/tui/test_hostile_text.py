"""In the app too, texts from files are shown, never obeyed: no terminal escape from a
profile's name or notes or a catalog's model name reaches the screen raw (Textual writes ESC
as it is given it), and Rich markup in a name is text."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_hostile_text import ESCAPES, hostile_files
from tests.tui.helpers import settle

from advisor.tui.app import create_app


def assert_clean(svg: str) -> None:
    for char in ESCAPES:
        assert char not in svg, repr(char)


async def test_the_app_shows_a_hostile_profile_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile, catalog = hostile_files(tmp_path)
    monkeypatch.setenv("ADVISOR_CATALOG", str(catalog))
    app = create_app(str(profile), profiles_dir=tmp_path / "saved")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.decision is not None, "the profile did not open"
        assert "\\x1b]0;OWNED" in str(app.sub_title)
        assert_clean(app.export_screenshot())
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app.export_screenshot())
        await pilot.press("n")  # the notes, in an editor
        await pilot.pause()
        assert_clean(app.export_screenshot())
        await pilot.press("escape", "c")  # the memo, for copying
        await pilot.pause()
        assert_clean(app.export_screenshot())
        await pilot.press("escape", "e")  # the questionnaire: catalog names in its choices
        await pilot.pause()
        for _ in range(8):
            assert_clean(app.export_screenshot())
            await pilot.press("ctrl+n")
            await pilot.pause()
