"""A team's prepared profiles, offered read-only; and the memo a stakeholder takes home."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.tui.helpers import screen_text, wait_for

from advisor.core.errors import InputError
from advisor.core.profile.store import ProfileStore, resolve_profile_path
from advisor.tui.app import create_app
from advisor.tui.screens.dialogs import TextScreen
from advisor.tui.screens.results import ResultsScreen


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A team folder: the facilitator's case, a hidden file, and a symlink leading out."""
    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(resolve_profile_path("customer-service"), folder / "support-case.toml")
    (folder / ".hidden.toml").write_text("schema_version = 1\n")
    secret = tmp_path / "secret.toml"
    secret.write_text("schema_version = 1\nname = 'TOP SECRET'\n")
    (folder / "leak.toml").symlink_to(secret)
    (folder / "logs").mkdir()
    (folder / "logs" / "nov.csv").write_text("timestamp,model,input_tokens,output_tokens\n")
    return folder


def test_the_team_folder_lists_plain_profiles_and_keeps_every_path_inside(
    team: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "alice"
    mine.mkdir()
    store = ProfileStore(mine, confined=True, team=team)
    assert store.team_names() == ["support-case"]  # no hidden file, no symlink out
    assert store.kind(store.team("support-case")) == "team"
    for name in ("leak", "../secret", "/etc/passwd", "nope"):
        with pytest.raises(InputError):
            store.team(name)
    assert store.readable("team/logs/nov.csv") == team / "logs" / "nov.csv"
    for typed in ("team/leak.toml", "team/../secret.toml", "/etc/passwd", "../team/x"):
        with pytest.raises(InputError) as refused:
            store.readable(typed)
        assert "outside your folder" in str(refused.value)
    # Messages name the team folder "team", never its server path.
    assert store.hide_paths(f"{team}/support-case.toml: bad") == "team/support-case.toml: bad"
    assert store.shown(team / "support-case.toml") == "team/support-case.toml"


async def test_a_team_profile_opens_from_the_welcome_screen_read_only(
    team: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "bob"
    before = {p.name: p.read_bytes() for p in team.iterdir() if p.is_file()}
    app = create_app(profiles_dir=mine, team_dir=team)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Team: " in screen_text(pilot))
        await pilot.press("down", "down")  # past "new" and "open": the team's case
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.decision)
        assert app.session.read_only and app.session.shared == "team"
        await wait_for(pilot, lambda: "support-case.toml (team)" in screen_text(pilot))
        await wait_for(pilot, lambda: app.session.profile is not None)
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 12_345
        await pilot.press("ctrl+s")  # read-only: Save asks for a name in the person's folder
        await wait_for(pilot, lambda: app.screen.query("#name"))
        await pilot.press("ctrl+u", *"my-copy", "enter")
        await wait_for(pilot, lambda: (mine / "my-copy.toml").exists())
    assert {p.name: p.read_bytes() for p in team.iterdir() if p.is_file()} == before


async def test_the_open_dialog_lists_the_team_profiles(team: Path, tmp_path: Path) -> None:
    app = create_app(profiles_dir=tmp_path / "carol", team_dir=team)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
        await pilot.press("o")
        await wait_for(pilot, lambda: app.screen.query("#open-list"))
        text = screen_text(pilot)
        assert "team: support-case (read-only)" in text
        assert "leak" not in text and "hidden" not in text


async def test_over_ssh_exporting_the_memo_also_sends_it_to_the_persons_terminal(
    tmp_path: Path,
) -> None:
    app = create_app("medium", profiles_dir=tmp_path, confined=True)
    sent: list[str] = []
    app.copy_to_clipboard = sent.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.decision)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen))
        await wait_for(pilot, lambda: "Saved in your folder as" in screen_text(pilot))
        text = " ".join(screen_text(pilot).split())
        assert "Decision memo" in text and ".memo.md" in text and "clipboard" in text
        assert str(tmp_path) not in text  # no server path
        assert "Decision memo by advisor" in text  # the memo itself, from its top
    [memo] = list(tmp_path.glob("*.memo.md"))
    assert sent == [memo.read_text()]
