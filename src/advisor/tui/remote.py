"""What the app does when `advisor serve` runs it, as a base of AdvisorApp: its part in a
room (room/presence.py says how a room works: which keys a follower has, the room's keys F8
and F9, the room line on every screen, bringing a screen the room shows to the top), and
drafts of unsaved answers (drafts.py: written after changes, at a dropped link's SIGHUP and
when the server stops; offered on the next connection)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, TabbedContent

from advisor.tui.actions import FOLLOWER_KEYS
from advisor.tui.drafts import DRAFT_AFTER, Drafts
from advisor.tui.keys import KeyGate
from advisor.tui.messages import ViewChanged
from advisor.tui.room.presence import Presence, mirrored
from advisor.wire import JOINING_ENV

if TYPE_CHECKING:
    from textual.timer import Timer

    from advisor.tui.profile_files import ProfileFiles
    from advisor.tui.room.model import RoomView
    from advisor.tui.session import Session


class Remote(KeyGate):
    presence: Presence
    session: Session
    files: ProfileFiles
    drafts: Drafts

    def welcome_screen(self) -> Screen[None]:
        raise NotImplementedError

    def refresh_decision(self) -> None:
        raise NotImplementedError

    # -- drafts (drafts.py) ------------------------------------------------------------------
    async def _offer_draft(self) -> None:
        """Over SSH, the unsaved answers of a session that ended (a dropped link, the server
        stopping), offered first; not to someone joining a room (the next time, then)."""
        from advisor.tui.screens.dialogs import DraftScreen

        draft = None if os.environ.get(JOINING_ENV) else self.drafts.pending()
        if draft is None:
            return
        if await self.push_screen_wait(DraftScreen(draft.describe())):
            self.files.restore(draft)
            self.drafts.owned = True
        else:
            self.drafts.clear(force=True)

    def _hung_up(self) -> None:
        """The link dropped (or the server ends the session): keep the draft, and go."""
        self.keep_draft()
        os._exit(129)

    def keep_draft(self) -> bool:
        """Keep (or drop) the draft of unsaved answers now; True if one is kept. A follower's
        session holds the room's answers, never unsaved (what they try on their own is);
        the presenter's holds their own file's, whoever has the keyboard."""
        room = self.presence.code if self.session.shared == "room" else None
        return self.drafts.keep(self.session, room)

    _draft_timer: Timer | None = None

    def draft_soon(self) -> None:
        """After a change: the draft is kept (or dropped) DRAFT_AFTER later, once a burst."""
        if self.drafts.enabled and self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_AFTER, self._keep_draft_later)

    def _keep_draft_later(self) -> None:
        self._draft_timer = None
        self.keep_draft()

    def gated(self) -> bool:
        return self.presence.following and mirrored(self.screen) is not None

    def follower_key(self, key: str) -> bool:
        return key in FOLLOWER_KEYS

    def gated_key(self, key: str) -> None:
        self.presence.gated_key()

    def action_room(self) -> None:
        self.presence.present()

    def action_look_around(self) -> None:
        self.presence.look_around()

    @work(exclusive=True, group="profile")
    async def action_follow(self) -> None:
        await self.presence.follow_again()

    @on(ViewChanged)
    @on(TabbedContent.TabActivated)
    @on(DataTable.RowHighlighted)
    def _view_changed(self) -> None:
        self.presence.changed()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        # Keys typed while a screen comes up are its own: held until it has handled what it
        # was sent (its focus is set as it resumes), then given to what has the focus.
        self.hold_keys(until_screen=True)
        screen.call_after_refresh(self.screen_arrived)
        if self.presence.view is not None:  # the room line, as it is once the screen is up
            self.call_after_refresh(lambda: self.show_room(self.presence.view))
        self.presence.screen_changed()

    def show_room(self, view: RoomView | None) -> None:
        """The room line under the header of every screen (mounted where missing), and the
        room's panel if it is open."""
        from advisor.tui.room.screens import RoomBar, RoomScreen

        for screen in self.screen_stack:
            if isinstance(screen, RoomScreen):
                screen.refresh_view()
            if isinstance(screen, ModalScreen) or not screen.is_mounted:
                continue
            bars = screen.query(RoomBar)
            headers = screen.query(Header)
            if bars:
                bars.first().show(view, self.presence.on_own)
            elif view is not None and headers:  # the app's screens (not Textual's own)
                bar = RoomBar()
                screen.mount(bar, after=headers.first())
                bar.show(view, self.presence.on_own)

    def answers_replaced(self) -> None:
        """The room's profile replaced this session's: the questionnaire shows its answers."""
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        self.sub_title = self.session.title
        for screen in self.screen_stack:
            if isinstance(screen, QuestionnaireScreen):
                screen.refresh_answers()

    async def show_screen(self, name: str) -> Screen[Any]:
        """Bring the welcome screen, the results or the questionnaire to the top (popping
        down to it if it is in the stack); the screen shown."""
        from advisor.tui.screens.questionnaire import QuestionnaireScreen
        from advisor.tui.screens.results import ResultsScreen
        from advisor.tui.screens.welcome import WelcomeScreen

        kinds: dict[str, type[Screen[Any]]] = {
            "welcome": WelcomeScreen,
            "results": ResultsScreen,
            "questionnaire": QuestionnaireScreen,
        }
        kind = kinds[name]
        if isinstance(self.screen, kind):
            return self.screen
        if any(isinstance(s, kind) for s in self.screen_stack):
            while not isinstance(self.screen, kind):
                await self.pop_screen()
            return self.screen
        if kind is QuestionnaireScreen:
            await self.push_screen(QuestionnaireScreen(self.session))
        elif kind is ResultsScreen:
            await self.push_screen(ResultsScreen(self.session))
        else:
            await self.push_screen(self.welcome_screen())
        return self.screen
