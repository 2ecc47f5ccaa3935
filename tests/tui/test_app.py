"""The app as a person uses it: open, read, save, reload, export, quit."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.tui.helpers import decided, screen_text, wait_for

from advisor.core.profile.io import load_profile
from advisor.core.profile.store import resolve_profile_path
from advisor.tui.app import create_app
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.startup import Opened, Opening


async def test_opening_a_profile_shows_its_api_cost_and_verdict_first() -> None:
    app = create_app("customer-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.decision)
        await pilot.pause()
        text = app.screen.query_one("#verdict").render()
        assert "$7,290" in str(text) and "[API]" in str(text)


class SlowOpening(Opening):
    """The real opening, holding its answer back until the test lets it go."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.release = threading.Event()

    def answered(self) -> Opened | None:
        return super().answered() if self.release.is_set() else None

    def result(self) -> Opened:
        assert self.release.wait(10), "the test never released the decision"
        return super().result()


async def test_the_results_screen_is_up_before_the_decision_and_fills_in_when_it_comes() -> None:
    opening = SlowOpening(resolve_profile_path("customer-service").absolute())
    app = create_app("customer-service", opening=opening)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.pause()
        assert "Working out the recommendation" in screen_text(pilot)
        assert "$7,290" not in screen_text(pilot)
        opening.release.set()
        await wait_for(pilot, lambda: "$7,290" in screen_text(pilot))
        assert "[API] Stay on the API" in screen_text(pilot)


async def test_a_broken_profile_names_the_misspelt_key_and_the_app_goes_on(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "typo.toml"
    broken.write_text("schema_version = 1\n[workload]\nrequets_per_day = 100\n")
    app = create_app(str(broken))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#message"))
        message = str(app.screen.query_one("#message").render())
        assert "requets_per_day" in message and "line 3" in message
        assert "requests_per_day" in message
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
    assert app.return_code in (None, 0)


async def test_ctrl_q_quits_with_exit_code_0() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_save_is_offered_only_once_there_is_a_profile(tmp_path: Path) -> None:
    app = create_app(profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Open" in screen_text(pilot).splitlines()[-1])
        assert "Save" not in screen_text(pilot).splitlines()[-1]  # the footer
        await pilot.press("ctrl+s")  # does nothing, says nothing
        await pilot.pause()
        assert "Welcome" in type(app.screen).__name__ and not list(tmp_path.iterdir())
        await pilot.press("n")
        await wait_for(pilot, lambda: "^s Save" in screen_text(pilot).splitlines()[-1])


async def test_save_then_reload_gives_the_same_decision(tmp_path: Path) -> None:
    app = create_app("medium", profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        before = app.decision
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 50_000
        app.recompute()
        await decided(pilot)
        assert app.session.dirty
        await pilot.press("ctrl+s")  # an example is read-only: save asks for a name
        await wait_for(pilot, lambda: app.screen.query("#name"))
        name_input = app.screen.query_one("#name")
        name_input.value = "../../escape attempt"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#message"))
        assert "not a plain file name" in str(app.screen.query_one("#message").render())
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query("#name"))
        app.screen.query_one("#name").value = "bigger"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.session.dirty)
        # with its horizon and odds, which come off the UI thread
        await wait_for(pilot, lambda: app.decision is not None and app.decision.risk is not None)
        after = app.decision
    saved = tmp_path / "bigger.toml"
    assert saved.is_file() and not (tmp_path.parent / "escape attempt.toml").exists()
    assert load_profile(saved).workload.requests_per_day == 50_000
    assert before is not None and after is not None
    assert after.api.monthly_cost == 5 * before.api.monthly_cost

    again = create_app(str(saved), profiles_dir=tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: again.decision and again.decision.risk is not None)
        reloaded = again.decision
    assert reloaded is not None
    for key in ("api", "self_host", "break_even", "hybrids", "recommendation", "options"):
        assert getattr(reloaded, key) == getattr(after, key), key


async def test_quitting_with_unsaved_changes_asks_first(tmp_path: Path) -> None:
    app = create_app("medium", profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        assert app.session.profile is not None
        app.session.profile.name = "changed"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: "Unsaved" in type(app.screen).__name__)
        await pilot.press("c")  # cancel: still running, nothing lost
        await pilot.pause()
        assert app.session.profile.name == "changed" and app.return_code is None
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: "Unsaved" in type(app.screen).__name__)
        await pilot.press("d")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_then_save_on_an_example_asks_a_name_saves_and_quits(tmp_path: Path) -> None:
    app = create_app("medium", profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 123
        app.recompute()
        await decided(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: "Unsaved" in type(app.screen).__name__)
        await pilot.press("s")  # an example is read-only: a name is asked for first
        await wait_for(pilot, lambda: app.screen.query("#name"))
        app.screen.query_one("#name").value = "mine"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    assert load_profile(tmp_path / "mine.toml").workload.requests_per_day == 123


async def test_save_as_asks_before_replacing_a_file_and_keeps_the_origins_comments(
    tmp_path: Path,
) -> None:
    other = tmp_path / "taken.toml"
    other.write_text("# someone else's notes\nschema_version = 1\nname = 'taken'\n")
    app = create_app("air-gapped", profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        for answer in ("n", "y"):  # first keep the file, then replace it
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen.query("#name"))
            app.screen.query_one("#name").value = "taken"  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_for(pilot, lambda: "Confirm" in type(app.screen).__name__)
            assert "taken.toml already exists" in screen_text(pilot)
            await pilot.press(answer)
            if answer == "n":  # asked again, with the name typed
                await wait_for(pilot, lambda: app.screen.query("#name"))
                assert app.screen.query_one("#name").value == "taken"  # type: ignore[attr-defined]
                assert "someone else's notes" in other.read_text()
                await pilot.press("escape")
        await wait_for(pilot, lambda: app.session.path == other)
    saved = other.read_text()
    assert "someone else's notes" not in saved
    assert "# a day shift of engineers, quiet nights" in saved  # the example's own comment
    assert load_profile(other).name == load_profile(resolve_profile_path("air-gapped")).name


async def test_notes_lead_the_exported_memo(tmp_path: Path) -> None:
    app = create_app("light", profiles_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#notes"))
        area = app.screen.query_one("#notes")
        area.text = "Finance asked whether a GPU box pays off."  # type: ignore[attr-defined]
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("m")
        await pilot.pause()
    memos = list(tmp_path.glob("*.memo.md"))
    assert len(memos) == 1
    memo = memos[0].read_text()
    assert memo.index("Finance asked whether a GPU box pays off.") < memo.index("Recommendation")


async def test_the_command_palette_offers_the_actions_that_can_act_now() -> None:
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
        welcome = {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("n")
        await wait_for(pilot, lambda: app.decision is not None)
        editing = {c.title for c in app.get_system_commands(app.screen)}
    assert {"New profile", "Open profile", "Help and glossary"} <= welcome
    # With no profile there is nothing to save, edit, export or import into.
    assert not {"Save", "Save as", "Export memo", "Notes", "Edit answers", "Import usage"} & welcome
    assert {"Save", "Save as", "Export memo", "Notes", "Edit answers", "Import usage"} <= editing


async def test_the_memo_can_be_shown_and_copied_through_the_terminal() -> None:
    app = create_app("light")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.query("#text"))
        shown = app.screen.query_one("#text").text  # type: ignore[attr-defined]
        assert shown.startswith("# Light usage")
        await pilot.press("c")
        assert app.clipboard == shown


async def test_answers_that_cannot_be_decided_say_so_on_the_results() -> None:
    app = create_app("medium")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        profile = app.session.profile
        assert profile is not None
        profile.workload.input_tokens = 0
        profile.workload.output_tokens = 0
        app.recompute()
        await decided(pilot)
        panel = str(app.screen.query_one("#verdict").render())
        assert "[NO RESULT]" in panel and "cannot both be 0" in panel
        profile.workload.output_tokens = 500
        app.recompute()
        await decided(pilot)
        assert "[API]" in str(app.screen.query_one("#verdict").render())


async def test_import_usage_replaces_the_guesses_with_measured_figures(tmp_path: Path) -> None:
    logs = tmp_path / "logs.csv"
    rows = ["timestamp,model,input_tokens,output_tokens"]
    rows += [f"2026-11-0{1 + i % 2}T{i % 24:02d}:00:00Z,gpt-4o,3000,700" for i in range(480)]
    logs.write_text("\n".join(rows) + "\n")
    app = create_app("medium")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        await pilot.press("u")
        await wait_for(pilot, lambda: app.screen.query("#logs"))
        app.screen.query_one("#logs").value = str(logs)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#message"))
        shown = str(app.screen.query_one("#message").render())
        assert "measured" in shown and "240" in shown
        profile = app.session.profile
        assert profile is not None
        assert profile.workload.requests_per_day == 240
        assert profile.workload.output_tokens == 700 and profile.workload.output_tokens_measured
        assert profile.api.model == "gpt-4o"
        assert app.decision is not None and app.decision.api.model == "gpt-4o"


async def test_the_collector_paused_for_start_up_is_back_on_after_the_first_frame() -> None:
    # The command line pauses Python's cyclic collector until the first frame (cli.py); the
    # app turns it back on then, and only when the command line paused it.
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        app = create_app("customer-service")
        app.resume_collector = True
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.decision is not None)
            await wait_for(pilot, gc.isenabled)
        gc.disable()
        untouched = create_app("customer-service")  # not paused by the command line
        async with untouched.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: untouched.decision is not None)
            await pilot.pause()
            assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
