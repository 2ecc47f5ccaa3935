"""The advisor app: one factory for the CLI, the SSH server and the tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from advisor.tui.deciding import WORKING_AFTER
from advisor.tui.messages import AnswersChanged, OpenListed, ShowMessage
from advisor.tui.profile_files import ProfileFiles
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.session import Session
from advisor.tui.startup import Opening

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.core.profile.model import Profile
    from advisor.core.profile.store import ProfileStore

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
HOLD_KEYS = 2.0  # seconds: the longest keys are held for a screen on its way
NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})  # quitting is never held back
NEEDS_A_PROFILE = frozenset(
    {
        "save",
        "save_as",
        "export_memo",
        "notes",
        "show_memo",
        "show_profile",
        "questionnaire",
        "import_usage",
        "show_results",
    }
)


class AdvisorApp(App[int]):
    CSS_PATH = ["app.tcss", "questionnaire.tcss", "help.tcss"]
    TITLE = "advisor"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "open", "Open", show=False),
        Binding("ctrl+e", "export_memo", "Export memo", show=False),
    ]

    decision: reactive[Decision | None] = reactive(None, always_update=True)
    # A decision is being computed for the newest answers; `working` once that has taken
    # longer than WORKING_AFTER (the live line and the verdict panel say so).
    working: reactive[bool] = reactive(False)
    deciding = False
    _deciding_thread: asyncio.Future[tuple[Decision | None, str | None]] | None = None

    def __init__(self, session: Session, opening: Opening | None = None) -> None:
        super().__init__()
        self.session = session
        self.opening = opening
        self.files = ProfileFiles(self, session)

    # -- start-up (startup.py says how it fits together) ---------------------------------
    async def on_mount(self) -> None:
        if self.opening is None:
            await self.push_screen(self.welcome_screen())
        else:
            # Mount runs inside Textual's start-up batch, which paints nothing until it
            # returns: a worker waits for the decision while the results screen is drawn.
            shown = self.push_screen(ResultsScreen(self.session))
            self.run_worker(self._opened(self.opening, shown), name="start-up", exclusive=True)

    async def _opened(self, opening: Opening, shown: Awaitable[Any]) -> None:
        opened = await asyncio.to_thread(opening.result)
        if opened.decision is not None:
            self.session.adopt(opened)
            self.refresh_decision()
            # Once that frame is up: the profile, for editing (pydantic loads then).
            self.call_after_refresh(self._load_for_editing)
        else:
            await shown  # the results screen is fully up before it is replaced
            await self.switch_screen(self.welcome_screen())
            self.show_message("This profile cannot be used", opened.error or "")

    def _load_for_editing(self) -> None:
        self.run_worker(self._warm, thread=True, name="load for editing")

    def _warm(self) -> None:
        import advisor.core.decision.decide  # noqa: F401 (the first edit decides at once)

        _ = self.session.profile

    def on_unmount(self) -> None:
        if self.opening is not None:  # quit before the decision came: stop computing it
            self.opening.cancel()

    def welcome_screen(self) -> Screen[None]:
        from advisor.tui.screens.welcome import WelcomeScreen

        return WelcomeScreen(self.session.store)

    # -- the decision --------------------------------------------------------------------
    def refresh_decision(self) -> None:
        had = self.decision is not None
        self.sub_title = self.session.title
        self.decision = self.session.decision
        if had != (self.decision is not None):
            self.refresh_bindings()  # Save and the memo keys come (or go) with a profile

    def recompute(self) -> None:
        """After an answer changed: a new decision, rendered by every screen that shows one.
        Computed off the UI thread, the newest answers winning (deciding.py)."""
        profile = self.session.profile
        if profile is None:
            return
        self.deciding = True
        self._decide(profile.model_copy(deep=True), self.session.label)
        self.set_timer(WORKING_AFTER, self._say_working)

    def _say_working(self) -> None:
        self.working = self.deciding  # still computing: the screens say so

    @work(exclusive=True, group="decide")
    async def _decide(self, profile: Profile, label: str) -> None:
        from advisor.tui.deciding import decided, in_daemon_thread

        running = self._deciding_thread
        if running is not None and not running.done():
            with contextlib.suppress(Exception):  # one at a time: let it finish first
                await asyncio.shield(running)
        self._deciding_thread = in_daemon_thread(lambda: decided(profile, label))
        decision, error = await asyncio.shield(self._deciding_thread)
        # Still the newest answers (a newer edit would have cancelled this worker).
        self.session.take(decision, error)
        self.deciding = self.working = False
        self.refresh_decision()

    @on(AnswersChanged)
    def _answers_changed(self) -> None:
        self.recompute()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that act on a profile are hidden (and do nothing) while there is none."""
        return action not in NEEDS_A_PROFILE or self.session.decision is not None

    # -- messages to read ----------------------------------------------------------------
    def show_message(self, title: str, text: str) -> None:
        from advisor.tui.screens.dialogs import MessageScreen

        # Over SSH no message shows where on the server a person's folder is.
        self.push_screen(MessageScreen(title, self.session.store.hide_paths(text)))

    async def show_message_and_wait(self, title: str, text: str) -> None:
        from advisor.tui.screens.dialogs import MessageScreen

        await self.push_screen_wait(MessageScreen(title, self.session.store.hide_paths(text)))

    @on(ShowMessage)
    def _show_message(self, message: ShowMessage) -> None:
        self.show_message(message.title, message.text)

    # -- actions -------------------------------------------------------------------------
    def action_new_profile(self) -> None:
        # What is typed right after (a burst from a terminal, or a fast typist) belongs to
        # the questionnaire's first answer, not to the screens on the way to it.
        self.hold_keys()
        self._new_profile()

    @work(exclusive=True, group="profile")
    async def _new_profile(self) -> None:
        try:
            if self.session.dirty:
                self.release_keys()  # they may answer the unsaved-changes question
            if await self.files.may_leave():
                self.session.new()
                self.refresh_decision()
                self._bring(ResultsScreen)
                shown = self._push_questionnaire()
                if shown is not None:
                    await shown
        finally:
            self.release_keys()

    @work(exclusive=True, group="profile")
    async def action_open(self) -> None:
        await self.files.choose_and_open()

    @on(OpenListed)
    @work(exclusive=True, group="profile")
    async def _open_listed(self, message: OpenListed) -> None:
        await self.files.open_listed(message.choice)

    @work(exclusive=True, group="profile")
    async def action_save(self) -> None:
        await self.files.save()

    @work(exclusive=True, group="profile")
    async def action_save_as(self) -> None:
        await self.files.save_as()

    def action_export_memo(self) -> None:
        self.files.export_memo()

    @work(exclusive=True, group="profile")
    async def action_notes(self) -> None:
        from advisor.tui.screens.dialogs import NotesScreen

        profile = self._editable()
        if profile is None:
            return
        notes = await self.push_screen_wait(NotesScreen(profile.notes))
        if notes is not None:
            profile.notes = notes
            self.recompute()

    @work(exclusive=True, group="profile")
    async def action_import_usage(self) -> None:
        from advisor.tui.screens.dialogs import ImportUsageScreen

        if self._editable() is None:
            return
        typed = await self.push_screen_wait(ImportUsageScreen())
        if typed:
            self.run_worker(lambda: self._import_usage(typed), thread=True, exclusive=True)

    def _import_usage(self, typed: str) -> None:
        """In a worker thread: read the logs, then apply the measured figures (UI thread)."""
        from advisor.core.catalog.load import default_catalog
        from advisor.core.errors import InputError, InputErrors
        from advisor.usage.summary import analyse, apply_to_profile

        profile = self.session.profile
        assert profile is not None
        try:
            logs = self.session.store.readable(typed)
            summary = analyse([logs], default_catalog())
            updated = apply_to_profile(summary, profile, str(self.session.path or "profile"))
        except (InputError, InputErrors) as exc:
            self.call_from_thread(self.show_message, "Cannot import these logs", str(exc))
            return
        lines = comparison(profile, updated)

        def apply() -> None:
            self.session.profile = updated
            self.recompute()
            self.show_message("Usage imported", lines)

        self.call_from_thread(apply)

    def action_show_memo(self) -> None:
        from advisor.tui.screens.dialogs import TextScreen

        if self.session.decision is not None:
            self.push_screen(TextScreen("Decision memo (Markdown)", self.session.memo()))

    def action_show_profile(self) -> None:
        from advisor.core.profile.io import dumps_profile
        from advisor.tui.screens.dialogs import TextScreen

        profile = self._editable()
        if profile is not None:
            self.push_screen(TextScreen("Profile (TOML)", dumps_profile(profile)))

    def action_questionnaire(self) -> None:
        self._push_questionnaire()

    def _push_questionnaire(self) -> Awaitable[Any] | None:
        """Push the questionnaire; awaiting the result waits until it is mounted."""
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        if self._editable() is None:
            return None
        return self.push_screen(QuestionnaireScreen(self.session))

    def action_show_results(self) -> None:
        if self.session.decision is not None:
            self._bring(ResultsScreen)

    def action_help(self) -> None:
        from advisor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @work(exclusive=True, group="profile")
    async def action_welcome(self) -> None:
        from advisor.tui.screens.welcome import WelcomeScreen

        if await self.files.may_leave():
            self._bring(WelcomeScreen)

    async def action_quit(self) -> None:
        self.run_worker(self._quit(), exclusive=True, group="profile")

    async def _quit(self) -> None:
        if await self.files.may_leave():
            self.exit(0)

    # -- keys typed while the next screen is on its way --------------------------------------
    _held_keys: list[events.Key] | None = None

    def hold_keys(self) -> None:
        """Keep the keys pressed from now on until release_keys() (at most HOLD_KEYS s)."""
        if self._held_keys is None:
            self._held_keys = []
            self.set_timer(HOLD_KEYS, self.release_keys)

    def release_keys(self) -> None:
        """Deliver the held keys, in the order they came, once the screen is drawn."""
        if self._held_keys is not None:
            self.call_after_refresh(self._replay_keys)

    async def _replay_keys(self) -> None:
        held, self._held_keys = self._held_keys, None
        for key in held or ():
            await super().on_event(events.Key(key.key, key.character))

    def _holding(self, event: events.Key) -> bool:
        if self._held_keys is None or event.key in NEVER_HELD:
            return False
        self._held_keys.append(event)
        return True

    async def on_event(self, event: events.Event) -> None:
        """Keys that come in while held are kept (see hold_keys), before any screen sees them."""
        if isinstance(event, events.Key) and not event.is_forwarded and self._holding(event):
            return
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key that went through the focused widget unused, up to the app. While keys are
        held, it is kept (it was on its way before the hold began) instead of acting as a
        binding of the screen being left (digits pick tabs on the results, for one).
        Textual calls App._on_key after this one unless the default is prevented."""
        if self._holding(event):
            event.prevent_default()

    # -- helpers -------------------------------------------------------------------------
    def _editable(self) -> Any:
        """The profile, loaded for editing (it may still be loading just after start-up);
        None (with the reason on screen) if there is none or it cannot be edited."""
        try:
            profile = self.session.profile
        except Exception as exc:  # an unpickling problem: say so rather than crash
            self.show_message("This profile cannot be edited", str(exc))
            return None
        return profile

    def _bring(self, kind: type[Screen[Any]]) -> None:
        """Pop down to a screen of this kind if it is in the stack; else push a new one."""
        if any(isinstance(s, kind) for s in self.screen_stack):
            while not isinstance(self.screen, kind):
                self.pop_screen()
        elif kind is ResultsScreen:
            self.push_screen(ResultsScreen(self.session))
        else:
            self.push_screen(self.welcome_screen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action, title, help_text in ACTIONS:
            if action in NEEDS_A_PROFILE and self.session.decision is None:
                continue  # nothing to act on yet (the welcome screen)
            yield SystemCommand(title, help_text, lambda a=action: self.run_action(a))


def comparison(before: Any, after: Any) -> str:
    """The answers a usage import changed, before and after, as a small table."""
    from advisor.core.fmt import number

    w, t, a = before.workload, before.traffic, before.api
    w2, t2, a2 = after.workload, after.traffic, after.api
    rows = [
        ("requests per day", number(w.requests_per_day), number(w2.requests_per_day)),
        ("input tokens", number(w.input_tokens), number(w2.input_tokens)),
        ("output tokens", number(w.output_tokens), number(w2.output_tokens)),
        (
            "peak-to-average",
            "-" if t.peak_to_average is None else number(t.peak_to_average),
            "-" if t2.peak_to_average is None else number(t2.peak_to_average),
        ),
        ("variability", t.variability, t2.variability),
        ("API model", a.model or "-", a2.model or "-"),
    ]
    lines = [f"{'':<22}{'your answer':>14}{'measured':>14}"]
    lines += [f"{label:<22}{old:>14}{new:>14}" for label, old, new in rows]
    lines += ["", "The measured figures are now the profile's answers (output lengths measured)."]
    return "\n".join(lines)


def create_app(
    profile: str | Path | None = None,
    *,
    profiles_dir: Path | None = None,
    confined: bool = False,
    opening: Opening | None = None,
    team_dir: Path | None = None,
) -> AdvisorApp:
    """The app, for the command line, the SSH server and the tests alike."""
    from advisor.core.profile.store import ProfileStore, resolve_profile_path

    store: ProfileStore = ProfileStore(profiles_dir, confined=confined, team=team_dir)
    if profile is not None and opening is None:
        opening = Opening(resolve_profile_path(str(profile)).absolute())
    return AdvisorApp(Session(store), opening)
