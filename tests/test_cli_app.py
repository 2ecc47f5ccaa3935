"""The command line of the app itself: `advisor --help` documents `advisor [PROFILE]
[--profiles-dir DIR]`, and `advisor new.toml` starts a new profile that saves there."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.helpers import wait_for

from advisor import cli
from advisor.core.profile.io import load_profile
from advisor.core.profile.model import Profile
from advisor.tui.app import create_app
from advisor.tui.screens.questionnaire import QuestionnaireScreen


def test_the_top_level_help_shows_the_apps_own_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "advisor [PROFILE] [--profiles-dir DIR]" in out
    assert "--profiles-dir DIR" in out and "starts a new profile" in out
    for command in cli.COMMANDS:
        assert command in out
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    assert capsys.readouterr().out.startswith("usage: advisor report ")


async def test_a_profile_file_that_does_not_exist_yet_is_started_and_saved_there(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new.toml"
    app = create_app(str(path), profiles_dir=tmp_path / "elsewhere")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        assert app.session.path == path and "new.toml" in str(app.sub_title)
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 4_321
        app.recompute()
        await pilot.press("ctrl+s")  # no name asked: it has one
        await wait_for(pilot, lambda: not app.session.dirty)
    assert load_profile(path).workload.requests_per_day == 4_321
    assert not (tmp_path / "elsewhere").exists()


async def test_a_file_that_appeared_there_meanwhile_is_not_overwritten_unasked(
    tmp_path: Path,
) -> None:
    from advisor.core.profile.io import save_profile

    path = tmp_path / "new.toml"
    app = create_app(str(path), profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        save_profile(Profile(name="someone else's"), path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "ChangedOnDisk" in type(app.screen).__name__)
        await pilot.press("c")
    assert load_profile(path).name == "someone else's"


def test_a_new_profile_in_a_folder_that_does_not_exist_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([str(tmp_path / "missing" / "new.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"advisor: {tmp_path / 'missing'}: no such folder")
