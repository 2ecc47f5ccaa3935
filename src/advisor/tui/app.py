"""The advisor app: one factory for the CLI, the SSH server and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from advisor.tui.prefetch import Prefetch
from advisor.tui.profile_files import ProfileFileActions
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.session import Session

# Dialogs, the welcome screen and the questionnaire are imported when first needed: the
# first frame (the results of a profile) should not wait for them.

ACTIONS = (
    ("new_profile", "New profile", "Start a new profile from defaults"),
    ("open", "Open profile", "Open a saved profile or an example"),
    ("save", "Save", "Save the profile (ctrl+s)"),
    ("save_as", "Save as", "Save the profile under a new name"),
    ("questionnaire", "Edit answers", "Walk through the questionnaire"),
    ("show_results", "Results", "Show the recommendation and the figures"),
    ("notes", "Notes", "Edit the notes that lead the decision memo"),
    ("export_memo", "Export memo", "Write the decision memo as Markdown"),
    ("import_usage", "Import usage", "Measure the workload from request logs, not guesses"),
    ("show_memo", "Show memo", "Show the decision memo to copy it (or send it to the clipboard)"),
    ("show_profile", "Show profile", "Show the profile as TOML to copy it"),
    ("help", "Help and glossary", "Keys, and what utilisation, friction, TCO mean"),
    ("welcome", "Welcome screen", "Back to the first screen"),
)


class AdvisorApp(ProfileFileActions):
    CSS_PATH = ["app.tcss", "questionnaire.tcss", "help.tcss"]
    TITLE = "advisor"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "open", "Open", show=False),
        Binding("ctrl+e", "export_memo", "Export memo", show=False),
    ]

    data: reactive[dict[str, Any] | None] = reactive(None, always_update=True)

    def __init__(self, session: Session, prefetch: Prefetch | None = None) -> None:
        super().__init__()
        self.session = session
        self.prefetch = prefetch

    # -- start-up ------------------------------------------------------------------------
    async def on_mount(self) -> None:
        if self.prefetch is not None:
            # Mount runs inside Textual's start-up batch, which paints nothing until it
            # returns: waiting here for the prefetched decision would hold back the first
            # frame. A worker waits for it instead, while the results screen is drawn.
            self.run_worker(self._open_results(), name="start-up", exclusive=True)
        else:
            await self.push_screen(self.welcome_screen())
            self._warm_up_soon()

    def _warm_up_soon(self) -> None:
        """Import the core (pydantic) only once the first frame is on the terminal: a thread
        importing modules holds the interpreter lock and would delay that frame. A one-shot
        timer; if the user edits sooner, _editable() loads what it needs there and then."""
        self.set_timer(0.4, lambda: self.run_worker(self.warm_up, thread=True))

    async def _open_results(self) -> None:
        """The results screen is built while the decision is still being computed, and shows
        it as soon as it comes (in its first frame if the decision is the quicker)."""
        assert self.prefetch is not None
        mounted = self.push_screen(ResultsScreen())
        data, error = await asyncio.to_thread(self.prefetch.result)
        if data is not None:
            self.session.adopt(Path(self.prefetch.profile), data)
            self.refresh_decision()
        else:
            await mounted
            await self.switch_screen(self.welcome_screen())
            self.show_error("This profile cannot be used", error or "")
        self._warm_up_soon()  # now that the profile to load for editing is known

    def on_unmount(self) -> None:
        if self.prefetch is not None:  # quit before the decision came: stop computing it
            self.prefetch.cancel()

    def welcome_screen(self) -> Screen[None]:
        from advisor.tui.screens.welcome import WelcomeScreen

        return WelcomeScreen()

    def warm_up(self) -> None:
        """After the first frame: load the core (pydantic) and the profile for editing."""
        import advisor.core.decision.model
        import advisor.core.profile.io  # noqa: F401

        try:
            self.session.load_profile()
        except Exception as exc:  # shown when the user tries to edit
            self.session.error = str(exc)

    # -- state ---------------------------------------------------------------------------
    def refresh_decision(self) -> None:
        had_profile = self.data is not None
        self.sub_title = self.session.title
        self.data = self.session.data
        if had_profile != (self.data is not None):
            self.refresh_bindings()  # Save and the memo keys come (or go) with a profile

    NEEDS_A_PROFILE = frozenset({"save", "save_as", "export_memo", "notes", "show_memo"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that act on a profile are hidden (and do nothing) while there is none."""
        return action not in self.NEEDS_A_PROFILE or self.session.data is not None

    def recompute(self) -> None:
        """After an answer changed: a new decision, rendered by every screen that shows one."""
        self.session.decide()
        self.refresh_decision()

    def show_error(self, title: str, message: str) -> None:
        from advisor.tui.screens.dialogs import MessageScreen

        # Over SSH no message shows where on the server a person's folder is.
        self.push_screen(MessageScreen(title, self.session.store.hide_paths(message)))

    # -- actions -------------------------------------------------------------------------
    def action_new_profile(self) -> None:
        def start() -> None:
            self.session.new()
            self.refresh_decision()
            self._show(ResultsScreen)
            self.action_questionnaire()

        self.guard_unsaved(start)

    def action_notes(self) -> None:
        from advisor.tui.screens.dialogs import NotesScreen

        if not self._editable():
            return

        def done(notes: str | None) -> None:
            if notes is not None and self.session.profile is not None:
                self.session.profile.notes = notes
                self.recompute()

        assert self.session.profile is not None
        self.push_screen(NotesScreen(self.session.profile.notes), done)

    def action_import_usage(self) -> None:
        if not self._editable():
            return
        from advisor.tui.screens.dialogs import ImportUsageScreen

        def chosen(path: str | None) -> None:
            if path:
                self.run_worker(lambda: self._import_usage(path), thread=True, exclusive=True)

        self.push_screen(ImportUsageScreen(), chosen)

    def _import_usage(self, path: str) -> None:
        """In a worker thread: read the logs, then apply the measured figures (UI thread)."""
        from advisor.core.catalog.load import default_catalog
        from advisor.core.errors import InputError, InputErrors
        from advisor.usage.summary import analyse, apply_to_profile

        profile = self.session.profile
        store = self.session.store
        assert profile is not None
        try:
            logs = store.readable(path)
            summary = analyse([logs], default_catalog())
            updated = apply_to_profile(summary, profile, str(self.session.path or "profile"))
        except (InputError, InputErrors) as exc:
            self.call_from_thread(self.show_error, "Cannot import these logs", str(exc))
            return
        w, t = profile.workload, profile.traffic
        lines = [
            f"{'':<22}{'your answer':>14}{'measured':>14}",
            f"{'requests per day':<22}{w.requests_per_day:>14,.0f}"
            f"{updated.workload.requests_per_day:>14,.0f}",
            f"{'input tokens':<22}{w.input_tokens:>14,}{updated.workload.input_tokens:>14,}",
            f"{'output tokens':<22}{w.output_tokens:>14,}{updated.workload.output_tokens:>14,}",
            f"{'peak-to-average':<22}{t.peak_to_average or '-':>14}"
            f"{updated.traffic.peak_to_average:>14}",
            f"{'variability':<22}{t.variability:>14}{updated.traffic.variability:>14}",
            f"{'API model':<22}{profile.api.model or '-':>14}{updated.api.model or '-':>14}",
            "",
            "The measured figures are now the profile's answers (output lengths measured).",
        ]

        def apply() -> None:
            self.session.profile = updated
            self.recompute()
            self.show_error("Usage imported", "\n".join(lines))

        self.call_from_thread(apply)

    def action_show_memo(self) -> None:
        if not self._editable():
            return
        from advisor.tui.screens.dialogs import TextScreen

        self.push_screen(TextScreen("Decision memo (Markdown)", self.session.memo()))

    def action_show_profile(self) -> None:
        if not self._editable():
            return
        from advisor.core.profile.io import dumps_profile
        from advisor.tui.screens.dialogs import TextScreen

        assert self.session.profile is not None
        text = dumps_profile(self.session.profile)
        self.push_screen(TextScreen("Profile (TOML)", text))

    def action_questionnaire(self) -> None:
        if not self._editable():
            return
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        self.push_screen(QuestionnaireScreen())

    def action_show_results(self) -> None:
        if self.session.data is not None:
            self._show(ResultsScreen)

    def action_help(self) -> None:
        from advisor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_welcome(self) -> None:
        from advisor.tui.screens.welcome import WelcomeScreen

        self.guard_unsaved(lambda: self._bring(WelcomeScreen))

    # -- helpers -------------------------------------------------------------------------
    def _editable(self) -> bool:
        """The profile is loaded (it may still be loading just after start-up)."""
        if self.session.profile is None and self.session.path is not None:
            try:
                self.session.load_profile()
            except Exception as exc:
                self.show_error("This profile cannot be edited", str(exc))
                return False
        return self.session.profile is not None

    def _show(self, kind: type[Screen[Any]]) -> None:
        """Show a screen of this kind: the one already in the stack, or a new one."""
        self._bring(kind)

    def _bring(self, kind: type[Screen[Any]]) -> None:
        """Pop down to a screen of this kind if it is in the stack; else push a new one."""
        if any(isinstance(s, kind) for s in self.screen_stack):
            while not isinstance(self.screen, kind):
                self.pop_screen()
        else:
            self.push_screen(kind())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action, title, help_text in ACTIONS:
            yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))


def create_app(
    profile: str | None = None,
    *,
    profiles_dir: Path | None = None,
    prefetch: Prefetch | None = None,
    confined: bool = False,
) -> AdvisorApp:
    """The app, for the command line, the SSH server and the tests alike."""
    from advisor.core.profile.store import ProfileStore

    if profile is not None and prefetch is None:
        from advisor.core.profile.store import resolve_profile_path

        prefetch = Prefetch(str(resolve_profile_path(profile).absolute()))
    return AdvisorApp(Session(ProfileStore(profiles_dir, confined=confined)), prefetch)
