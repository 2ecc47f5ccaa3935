"""Two sessions of one person, one file: a file changed on disk since it was opened (or last
saved) is never silently replaced; the app asks "replace / save as / cancel"."""

from __future__ import annotations

import os
from pathlib import Path

from tests.tui.helpers import screen_text, wait_for

from advisor.core.profile.io import load_profile, save_profile
from advisor.core.profile.model import Profile
from advisor.core.profile.store import ProfileStore
from advisor.tui.app import create_app
from advisor.tui.session import Session
from advisor.tui.startup import Opening


def a_profile(folder: Path, name: str = "team") -> Path:
    path = folder / f"{name}.toml"
    save_profile(Profile(name=name), path)
    return path


def test_the_session_knows_what_the_file_was(tmp_path: Path) -> None:
    path = a_profile(tmp_path)
    session = Session(ProfileStore(tmp_path))
    session.open(path)
    assert not session.changed_on_disk()
    os.utime(path, (1, 1))  # touched, not changed: the content decides
    assert not session.changed_on_disk()
    save_profile(Profile(name="theirs"), path)  # another session saves
    assert session.changed_on_disk()
    assert session.profile is not None
    session.save()  # (the app asks first; the session does as it is told)
    assert not session.changed_on_disk()
    path.unlink()  # removed since: asked too
    assert session.changed_on_disk()


def test_a_change_while_the_app_was_starting_is_noticed(tmp_path: Path) -> None:
    path = a_profile(tmp_path)
    opening = Opening(path)
    save_profile(Profile(name="theirs", notes="x" * 50), path)  # during start-up
    session = Session(ProfileStore(tmp_path))
    opened = opening.result()
    assert opened.decision is not None
    session.adopt(opened)
    assert session.changed_on_disk()


def test_an_unchanged_opening_saves_without_asking(tmp_path: Path) -> None:
    path = a_profile(tmp_path)
    session = Session(ProfileStore(tmp_path))
    session.adopt(Opening(path).result())
    assert not session.changed_on_disk()


async def test_saving_over_a_file_changed_since_asks_first(tmp_path: Path) -> None:
    path = a_profile(tmp_path)
    app = create_app(str(path), profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 12_345
        app.recompute()
        save_profile(Profile(name="saved by the other session"), path)

        await pilot.press("ctrl+s")  # cancel: the other session's file stays
        await wait_for(pilot, lambda: "ChangedOnDisk" in type(app.screen).__name__)
        assert "changed on disk since you opened it" in screen_text(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert load_profile(path).name == "saved by the other session" and app.session.dirty

        await pilot.press("ctrl+s")  # save as: under another name
        await wait_for(pilot, lambda: "ChangedOnDisk" in type(app.screen).__name__)
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#name"))
        app.screen.query_one("#name").value = "mine"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.session.dirty)
        assert load_profile(tmp_path / "mine.toml").workload.requests_per_day == 12_345
        assert load_profile(path).name == "saved by the other session"

        app.session.profile.workload.requests_per_day = 777
        app.recompute()
        await pilot.press("ctrl+s")  # mine.toml is as we saved it: no question
        await wait_for(pilot, lambda: not app.session.dirty)
        assert load_profile(tmp_path / "mine.toml").workload.requests_per_day == 777

        save_profile(Profile(name="theirs again"), tmp_path / "mine.toml")
        app.session.profile.workload.requests_per_day = 888
        app.recompute()
        await pilot.press("ctrl+s")  # replace: ours wins, knowingly
        await wait_for(pilot, lambda: "ChangedOnDisk" in type(app.screen).__name__)
        await pilot.press("r")
        await wait_for(pilot, lambda: not app.session.dirty)
    assert load_profile(tmp_path / "mine.toml").workload.requests_per_day == 888
