"""The app in a room: presenting, following, looking around, having the keyboard.

The server's `room` message says who is in the room and whose keyboard drives it (the
driver). The driver's app publishes the room's *state* (wire.py: the profile as TOML text,
the screen, the results' tab and highlighted row, the questionnaire's step and the focused
question) PUBLISH_AFTER after each change, and once a second if anything was missed, only
when it differs from what it last sent. A following app applies each state it gets: the
profile to a session it may not edit (Session.locked; its saves are copies in the person's
own folder), decided locally off the UI thread, and the same screen, tab, step and row,
drawn at its own size. A follower's own dialogs and help stay up; the view catches up when
they close. Looking around (F9) stops applying states and lets the follower try their own
what-ifs on a copy; following again (F9) asks about those first, then shows the room's
newest state. When the presenter leaves, the room ends: followers are told, and may keep a
copy of the profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.timer import Timer

from advisor.tui.room.model import RoomView

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile
    from advisor.tui.app import AdvisorApp
    from advisor.tui.room.link import RoomLink

PUBLISH_AFTER = 0.03  # seconds: changes this close together go as one state
POLL = 1.0  # seconds between looks for a change no event announced
HINT_EVERY = 4.0  # seconds between "you are following" hints for keys that went nowhere
KNOCK_SETTLE = 0.6  # seconds a knock's question ignores keys (typed before it was seen)
SCREENS = {
    "WelcomeScreen": "welcome",
    "ResultsScreen": "results",
    "QuestionnaireScreen": "questionnaire",
}


def mirrored(screen: Screen[Any]) -> str | None:
    """The name of a screen a room shares, or None (help, dialogs: a person's own)."""
    return SCREENS.get(type(screen).__name__)


def parse_profile_text(text: str) -> Profile | None:
    import tomllib

    from advisor.core.errors import InputError, InputErrors
    from advisor.core.profile.io import parse_profile

    try:
        return parse_profile(tomllib.loads(text), "the room's profile", text)
    except (tomllib.TOMLDecodeError, InputError, InputErrors):
        return None


class Presence:
    def __init__(self, app: AdvisorApp) -> None:
        self.app = app
        self.link: RoomLink | None = None
        self.view: RoomView | None = None
        self.on_own = False  # a follower looking around on their own
        self.latest: dict[str, Any] | None = None  # the room's newest state
        self._applied: str | None = None  # the profile text last applied
        self._sent: dict[str, Any] | None = None
        self._dumped: tuple[Profile, str] | None = None
        self._timer: Timer | None = None
        self._hinted = 0.0
        self._knocks: dict[int, Screen[Any]] = {}

    # -- where the app stands ------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self.link is not None and not self.link.closed

    @property
    def following(self) -> bool:
        return self.view is not None and not self.view.driving and not self.on_own

    @property
    def driving(self) -> bool:
        return self.view is not None and self.view.driving

    @property
    def code(self) -> str | None:
        return self.view.code if self.view is not None else None

    async def start(self) -> None:
        """Open the line to the server, when the app runs under `advisor serve`."""
        from advisor.tui.room.link import RoomLink, link_fd  # a socket: only when served

        fd = link_fd()
        if fd is None:
            return
        link = RoomLink(fd, self.received)
        if await link.start():
            self.link = link
            self.app.set_interval(POLL, self.publish)

    # -- what the server says ------------------------------------------------------------------
    def received(self, message: dict[str, Any]) -> None:
        kind = message["kind"]
        if kind == "room":
            self._room(message)
        elif kind == "state" and isinstance(message.get("state"), dict):
            self.latest = message["state"]
            # Following, or just handed the keyboard: the room's state. A joiner may get the
            # state before the room itself: it is applied once the room has come (_room).
            if not self.on_own and self.view is not None:
                self.apply(message["state"])
        elif kind == "knock":
            self.app.run_worker(self._knock(int(message.get("member", -1)), message), group="room")
        elif kind == "knock-gone":
            screen = self._knocks.pop(int(message.get("member", -1)), None)
            if screen is not None and screen.is_attached:
                screen.dismiss(False)
        elif kind == "ended":
            self._ended(str(message.get("name", "The presenter")), str(message.get("why", "")))
        elif kind == "refused":
            self.app.notify(str(message.get("why", "Not possible.")), severity="warning")
        elif kind == "shutdown":
            self._shutdown()

    def _room(self, message: dict[str, Any]) -> None:
        view = RoomView.parse(message)
        if view is None:
            return
        before, self.view = self.view, view
        if view.driving and (before is None or not before.driving):
            self.on_own = False
            if before is not None:
                self.app.notify("You have the keyboard: the room follows your screen.")
        elif before is not None and before.driving and not view.driving:
            self.app.notify(f"{view.driver_name} has the keyboard now; you follow them.")
        self._lock()
        if before is None and self.latest is not None and not view.presenting:
            self.apply(self.latest)  # the state that came before the room
        if before is None and view.presenting:
            self.show_room()
        elif before is None:
            self.app.notify(
                f"You are in {view.presenter_name}'s room, following their screen. "
                "F9 looks around on your own; F8 shows who is here."
            )
        if self.driving:
            self.changed()

    def _lock(self) -> None:
        """Following: the profile is not this person's to edit, and the screens say so."""
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        self.app.session.locked = self.following
        for screen in self.app.screen_stack:
            if isinstance(screen, QuestionnaireScreen):
                screen.set_following(self.following)
        self.app.refresh_bindings()
        self.app.show_room(self.view)

    # -- following -------------------------------------------------------------------------------
    def apply(self, state: dict[str, Any]) -> None:
        """Take the room's state: its profile (decided here), then its view."""
        text = state.get("profile")
        if isinstance(text, str) and text != self._applied:
            profile = parse_profile_text(text)
            if profile is not None and self.view is not None:
                self._applied = text
                self.app.session.follow(profile, ours=self.view.presenting)
                self.app.recompute()
                self.app.answers_replaced()
        self.app.run_worker(self._show(state), group="room-view", exclusive=True)

    async def _show(self, state: dict[str, Any]) -> None:
        app = self.app
        if mirrored(app.screen) is None:  # the person's own dialog or help: later
            return
        want = state.get("screen")
        if want not in ("welcome", "results", "questionnaire"):
            return
        if want != "welcome" and not app.session.has_profile:
            return
        from advisor.tui.screens.questionnaire import QuestionnaireScreen
        from advisor.tui.screens.results import ResultsScreen

        screen = await app.show_screen(str(want))
        if isinstance(screen, ResultsScreen):
            await screen.show_view(state.get("tab"), state.get("table"), state.get("row"))
        elif isinstance(screen, QuestionnaireScreen):
            await screen.show_view(state.get("step"), state.get("focus"))

    def screen_changed(self) -> None:
        """A follower closed their own dialog: catch up with the room."""
        if self.following and self.latest is not None and mirrored(self.app.screen):
            self.app.run_worker(self._show(self.latest), group="room-view", exclusive=True)
        if self.driving:
            self.changed()

    def look_around(self) -> None:
        if not self.following or self.link is None:
            return
        self.on_own = True
        self.link.send("mode", mode="own")
        self._lock()
        self.app.notify("Looking around on your own: F9 follows the room again.")

    async def follow_again(self) -> None:
        if self.view is None or self.link is None or not self.on_own:
            return
        if not await self.app.files.may_leave():  # what-ifs tried on the way: keep them?
            return
        self.on_own = False
        self.link.send("mode", mode="following")
        self._lock()
        if self.latest is not None:
            self._applied = None
            self.apply(self.latest)

    def gated_key(self) -> None:
        import time

        if time.monotonic() - self._hinted > HINT_EVERY and self.view is not None:
            self._hinted = time.monotonic()
            self.app.notify(
                f"You are following {self.view.driver_name}: F9 looks around on your own.",
                timeout=3,
            )

    # -- presenting ------------------------------------------------------------------------------
    def changed(self) -> None:
        """Something the room shares may have changed: publish it soon (once for a burst)."""
        if self.driving and self._timer is None:
            self._timer = self.app.set_timer(PUBLISH_AFTER, self.publish)

    def publish(self) -> None:
        self._timer = None
        if not self.driving or not self.connected:
            return
        state = self.collect()
        if state != self._sent:
            assert self.link is not None
            self.link.send("state", state=state)
            self._sent = state

    def collect(self) -> dict[str, Any]:
        """The room's state as this app shows it."""
        app = self.app
        state: dict[str, Any] = {"profile": self._profile_text(), "screen": "welcome"}
        for screen in reversed(app.screen_stack):
            name = mirrored(screen)
            if name is not None:
                state["screen"] = name
                view = getattr(screen, "shared_view", None)
                if view is not None:
                    state.update(view())
                break
        return state

    def _profile_text(self) -> str | None:
        from advisor.core.profile.io import dumps_profile

        session = self.app.session
        if not session.has_profile:
            return None
        profile = session.profile
        if profile is None:
            return None
        if self._dumped is None or self._dumped[0] != profile:
            self._dumped = (profile.model_copy(deep=True), dumps_profile(profile))
        return self._dumped[1]

    def present(self) -> None:
        if self.link is None or not self.connected:
            self.app.show_message(
                "Presenting works over SSH",
                "A room needs `advisor serve`: the others join it with ssh from their own "
                "terminals. Run the advisor through `advisor serve` and connect with ssh.",
            )
        elif self.view is None:
            self.link.send("present", approval=False)
        else:
            self.show_room()

    def show_room(self) -> None:
        from advisor.tui.room.screens import RoomScreen

        if not isinstance(self.app.screen, RoomScreen):
            self.app.push_screen(RoomScreen(self))

    def send(self, kind: str, **fields: Any) -> None:
        if self.link is not None:
            self.link.send(kind, **fields)

    async def _knock(self, member: int, message: dict[str, Any]) -> None:
        from advisor.tui.screens.dialogs import ConfirmScreen

        name = str(message.get("name", "someone"))
        screen = ConfirmScreen(
            "Someone asks to join",
            f"{name} asks to join your room {self.code}. Let them in?",
            "Let in",
            no="Not now",
            risky=False,
            settle=KNOCK_SETTLE,
        )
        self._knocks[member] = screen
        yes = await self.app.push_screen_wait(screen)
        self._knocks.pop(member, None)
        self.send("admit", member=member, yes=bool(yes))

    # -- the end ----------------------------------------------------------------------------------
    def _ended(self, name: str, why: str) -> None:
        view, self.view = self.view, None
        self.on_own = False
        session = self.app.session
        kept = session.shared == "room" and session.has_profile
        if kept:
            session.shared = None  # now just a profile this person has on screen
        self._lock()
        self.app.refresh_decision()
        if view is not None:
            self.app.run_worker(self._tell_ended(why or f"{name} has left", kept), group="room")

    async def _tell_ended(self, why: str, offer_copy: bool) -> None:
        from advisor.tui.screens.dialogs import ConfirmScreen

        if not offer_copy:
            self.app.show_message("The room has ended", f"{why}: the room has ended.")
            return
        profile = self.app.session.profile
        name = profile.name if profile is not None else "this profile"
        save = await self.app.push_screen_wait(
            ConfirmScreen(
                "The room has ended",
                f"{why}: the room has ended. The profile stays on your screen; save a copy "
                f"of “{name}” in your folder to open it again later?",
                "Save a copy",
                no="No, thanks",
                risky=False,
            )
        )
        if save:
            await self.app.files.save_as()

    def _shutdown(self) -> None:
        kept = self.app.keep_draft()
        self.send("drafted", kept=kept)
        text = "The server is stopping now: this session ends in a moment."
        if kept:
            text += " Your unsaved changes are kept as a draft, offered when you next connect."
        self.app.show_message("The server is stopping", text)
