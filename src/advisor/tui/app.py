"""The advisor app: one factory for the CLI, the SSH server and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from advisor.tui.actions import (
    ACTIONS,
    FOLLOWER_ACTIONS,
    NEEDS_A_PROFILE,
)
from advisor.tui.deciding import WORKING_AFTER
from advisor.tui.drafts import Drafts
from advisor.tui.messages import AnswersChanged, OpenListed, ShowMessage
from advisor.tui.opens import OpensAtStart
from advisor.tui.profile_files import ProfileFiles
from advisor.tui.room.presence import Presence
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.session import Session
from advisor.tui.startup import Opening
from advisor.tui.usage_import import UsageImport

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.core.profile.model import Profile
    from advisor.core.profile.store import ProfileStore


# Dialogs, the welcome screen and the questionnaire are imported when first needed: the
# first frame (the results of a profile) should not wait for them.
class AdvisorApp(OpensAtStart):
    CSS_PATH = ["app.tcss", "questionnaire.tcss", "help.tcss"]
    TITLE = "advisor"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "open", "Open", show=False),
        Binding("ctrl+t", "export_memo", "Export memo", show=False),  # ctrl+e: a field's End
        Binding("f8", "room", "Room"),
        Binding("f9", "look_around", "Look around"),
        Binding("f9", "follow", "Follow again"),
    ]

    decision: reactive[Decision | None] = reactive(None, always_update=True)
    # A decision is being computed for the newest answers; `working` once that has taken
    # longer than WORKING_AFTER (the live line and the verdict panel say so).
    working: reactive[bool] = reactive(False)
    deciding = False
    _deciding_thread: asyncio.Future[tuple[Decision | None, str | None]] | None = None
    _outlook_thread: asyncio.Future[Decision] | None = None

    def __init__(self, session: Session, opening: Opening | None = None) -> None:
        super().__init__()
        self.session = session
        self.opening = opening
        self.files = ProfileFiles(self, session)
        self.usage = UsageImport(self, session)
        self.presence = Presence(self)
        self.drafts = Drafts(session.store.folder, enabled=session.store.confined)

    # -- start-up (startup.py says how it fits together) ---------------------------------
    async def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        await self.presence.start()  # under `advisor serve`: the line to the server
        if self.session.store.confined:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hung_up)
        if self.opening is None and self.session.has_profile:  # `advisor new.toml`
            await self.push_screen(ResultsScreen(self.session))
            self.refresh_decision()
            self.action_questionnaire()
        elif self.opening is None:
            await self.push_screen(self.welcome_screen())
            self.run_worker(self._offer_draft(), group="draft")
        # else: the results are pushed once Textual's start-up layout is done (on_ready)

    def on_unmount(self) -> None:
        if self.opening is not None:  # quit before the decision came: stop computing it
            self.opening.cancel()
        if self.session.store.confined:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        if self.presence.link is not None:
            self.presence.link.close()

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
        self.presence.changed()
        self.draft_soon()
        if self.decision is not None and self.decision.risk is None:
            self._outlook(self.decision, self.session.label)

    @work(exclusive=True, group="outlook", name="horizon and odds")
    async def _outlook(self, decision: Decision, label: str) -> None:
        """The horizon and the odds (a few hundred ms), off the UI thread (a daemon thread:
        quitting never waits for it); shown only if the answers have not changed meanwhile."""
        from advisor.core.decision.guard import outlook_checked
        from advisor.core.errors import InputError
        from advisor.tui.deciding import in_daemon_thread

        running = self._outlook_thread
        if running is not None and not running.done():
            with contextlib.suppress(Exception):  # one at a time: let it finish first
                await asyncio.shield(running)
        if self.session.decision is not decision:
            return  # newer answers came meanwhile: their own outlook follows
        opening = self.opening

        def work() -> Decision:
            sent = opening.outlook(decision) if opening is not None else None
            return sent or outlook_checked(decision, label)  # the child's, or worked out here

        self._outlook_thread = in_daemon_thread(work, "advisor-odds")
        try:
            full = await asyncio.shield(self._outlook_thread)
        except InputError as error:  # the month's figures stand; say why there is no outlook
            self.notify(str(error), title="No horizon", severity="warning")
            return
        if self.session.decision is decision:
            self.session.decision = full
            self.decision = full

    def recompute(self) -> None:
        """After an answer changed: a new decision, rendered by every screen that shows one.
        Computed off the UI thread, the newest answers winning (deciding.py)."""
        profile = self.session.profile
        if profile is None:
            return
        self.presence.changed()  # the room sees the answer at once, then its figures
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
        """Keys that act on a profile are hidden (and do nothing) while there is none;
        a follower's only read, look around, take the memo home, save a copy."""
        presence = self.presence
        if action == "room":  # rooms live in `advisor serve`: only an app it runs has one
            return presence.connected
        if action == "look_around":
            return presence.following
        if action == "follow":
            return presence.view is not None and presence.on_own
        if presence.following and action not in FOLLOWER_ACTIONS:
            return False
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

    def _asking(self, work: Callable[[], Awaitable[Any]]) -> None:
        """Run a file action that may open a dialog: keys typed meanwhile go to the dialog
        (held until it is up), or where they would have gone, once it is done."""
        self.hold_keys(until_screen=True)

        async def run() -> None:
            try:
                await work()
            finally:
                self.release_keys()

        self.run_worker(run(), exclusive=True, group="profile")

    def action_open(self) -> None:
        self._asking(self.files.choose_and_open)

    @on(OpenListed)
    @work(exclusive=True, group="profile")
    async def _open_listed(self, message: OpenListed) -> None:
        await self.files.open_listed(message.choice)

    def action_save(self) -> None:
        self._asking(self.files.save)

    def action_save_as(self) -> None:
        self._asking(self.files.save_as)

    def action_export_memo(self) -> None:
        self.files.export_memo()

    def action_notes(self) -> None:
        self._asking(self._notes)

    async def _notes(self) -> None:
        from advisor.tui.screens.dialogs import NotesScreen

        profile = self.editable()
        if profile is None:
            return
        notes = await self.push_screen_wait(NotesScreen(profile.notes))
        if notes is not None:
            profile.notes = notes
            self.recompute()

    def action_import_usage(self) -> None:
        self._asking(self.usage.ask)

    def action_show_memo(self) -> None:
        from advisor.tui.screens.dialogs import TextScreen

        if self.session.decision is not None:
            self.push_screen(TextScreen("Decision memo (Markdown)", self.session.memo()))

    def action_show_profile(self) -> None:
        from advisor.core.profile.io import dumps_profile
        from advisor.tui.screens.dialogs import TextScreen

        profile = self.editable()
        if profile is not None:
            self.push_screen(TextScreen("Profile (TOML)", dumps_profile(profile)))

    def action_questionnaire(self) -> None:
        self._push_questionnaire()

    def _push_questionnaire(self) -> Awaitable[Any] | None:
        """Push the questionnaire; awaiting the result waits until it is mounted."""
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        if self.editable() is None:
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
            self.drafts.clear()  # saved or discarded on purpose: no draft to offer
            self.exit(0)

    # -- helpers -------------------------------------------------------------------------
    def editable(self) -> Any:
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
            if not self.check_action(action, ()):
                continue  # nothing to act on yet (the welcome screen), or following
            yield SystemCommand(title, help_text, lambda a=action: self.run_action(a))


def create_app(
    profile: str | Path | None = None,
    *,
    profiles_dir: Path | None = None,
    confined: bool = False,
    opening: Opening | None = None,
    team_dir: Path | None = None,
) -> AdvisorApp:
    """The app, for the command line, the SSH server and the tests alike."""
    from advisor.core.profile.store import ProfileStore, is_new_profile, resolve_profile_path

    store: ProfileStore = ProfileStore(profiles_dir, confined=confined, team=team_dir)
    session = Session(store)
    if profile is not None and opening is None:
        path = resolve_profile_path(str(profile))
        if is_new_profile(path):  # a new profile, saved there (ctrl+s)
            session.new(path.absolute())
        else:
            opening = Opening(path.absolute())
    return AdvisorApp(session, opening)
