"""The app's side of a room, against a stand-in for `advisor serve`: the test holds the
server's end of the app's line (a real socket pair, the real wire messages) and plays the
server's part, the room's other members included. The whole thing, server and OpenSSH
clients, is in tests/ssh/test_rooms.py."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
from tests.tui.helpers import decided, reads, screen_text, wait_for
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from advisor.core.profile.io import dumps_profile, load_profile
from advisor.core.profile.store import resolve_profile_path
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.drafts import DRAFT
from advisor.tui.room.screens import RoomScreen
from advisor.tui.screens.dialogs import ConfirmScreen, DraftScreen, SaveAsScreen
from advisor.tui.screens.questionnaire import QuestionnaireScreen
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.widgets.live_bar import LiveBar, live_text
from advisor.wire import FD_ENV, decode, encode

MEDIUM = dumps_profile(load_profile(resolve_profile_path("medium")))


class Server:
    """The server's end of an app's line."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sock, theirs = socket.socketpair()
        monkeypatch.setenv(FD_ENV, str(theirs.detach()))  # the app's, from now on
        self.received: list[dict[str, Any]] = []
        self.writer: asyncio.StreamWriter | None = None

    async def start(self) -> None:
        reader, self.writer = await asyncio.open_unix_connection(sock=self.sock)
        self._task = asyncio.create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            message = decode(line)
            if message is not None:
                self.received.append(message)

    def send(self, kind: str, **fields: Any) -> None:
        assert self.writer is not None
        self.writer.write(encode(kind, **fields))

    def kinds(self) -> list[str]:
        return [m["kind"] for m in self.received]

    def last(self, kind: str) -> dict[str, Any] | None:
        return next((m for m in reversed(self.received) if m["kind"] == kind), None)

    def room(self, you: int, driver: int = 1, **more: Any) -> None:
        members = [
            {"id": 1, "name": "alice", "mode": "following"},
            {"id": 2, "name": "bob", "mode": "following"},
            {"id": 3, "name": "carol", "mode": "following"},
        ]
        self.send(
            "room",
            code="K7QX2M",
            join="ssh -t -p 2222 join-K7QX2M@advisor.example",
            you=you,
            presenter=1,
            driver=driver,
            approval=False,
            members=more.pop("members", members),
            **more,
        )


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Server:
    return Server(monkeypatch)


def toasts(app: AdvisorApp) -> str:
    """The notifications on screen, as one text."""
    return " ".join(str(toast.render()) for toast in app.screen.query("Toast"))


def active_tab(app: AdvisorApp) -> str | None:
    screen = app.screen
    if not isinstance(screen, ResultsScreen):
        return None
    return screen.query_one(TabbedContent).active


async def started(pilot: Pilot[int], server: Server) -> AdvisorApp:
    app = pilot.app
    assert isinstance(app, AdvisorApp)
    await server.start()
    await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
    return app


async def test_a_joiner_given_the_state_before_the_room_follows_it(
    server: Server, tmp_path: Path
) -> None:
    """Under load the room's state can reach a joiner before the room does (found by the
    SSH benchmark: 10 of 19 joiners stayed on the welcome screen)."""
    app = create_app(profiles_dir=tmp_path, confined=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, server)
        server.send("state", state={"profile": MEDIUM, "screen": "results", "tab": "rules"})
        await pilot.pause(0.2)
        server.room(you=2)
        await wait_for(pilot, lambda: active_tab(app) == "rules", tries=200)
        assert app.session.locked and app.session.shared == "room"
        assert app.session.profile is not None and "Medium" in app.session.profile.name


async def test_a_follower_sees_the_presenters_view_and_their_keys_change_nothing(
    server: Server, tmp_path: Path
) -> None:
    app = create_app(profiles_dir=tmp_path, confined=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await started(pilot, server)
        server.room(you=2)
        state = {"profile": MEDIUM, "screen": "results", "tab": "rules"}
        server.send("state", state={**state, "table": "rule-table", "row": "break-even"})
        await wait_for(pilot, lambda: active_tab(app) == "rules", tries=200)
        await decided(pilot)
        text = screen_text(pilot)
        assert "Room K7QX2M · following alice (F9: look around) · in:" in text
        assert "alice (presenting), bob (you), carol" in text
        assert app.session.locked and app.session.shared == "room"
        table = app.screen.query_one("#rule-table")
        await wait_for(pilot, lambda: getattr(table, "highlighted_key", None) == "break-even")

        # Keys that would change anything go nowhere: no edit, no tab, no new profile.
        sent = len(server.received)
        before = app.session.profile.model_copy(deep=True) if app.session.profile else None
        await pilot.press("e", "2", "n", "u", "ctrl+o", "down", "enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ResultsScreen) and active_tab(app) == "rules"
        assert app.session.profile == before and not app.session.dirty
        assert len(server.received) == sent  # a follower sends no state
        await wait_for(pilot, lambda: "F9 looks around on your own" in toasts(app))

        # The presenter moves on: the questionnaire, step 3, a question; a new answer.
        profile = load_profile(resolve_profile_path("medium"))
        profile.workload.requests_per_day = 20_000
        server.send(
            "state",
            state={
                "profile": dumps_profile(profile),
                "screen": "questionnaire",
                "step": 0,
                "focus": "workload--input_tokens",
            },
        )
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen), tries=200)
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        await wait_for(pilot, lambda: screen.query("#workload--requests_per_day"))
        field = screen.query_one("#workload--requests_per_day", Input)
        await wait_for(pilot, lambda: field.value == "20000")
        await wait_for(pilot, lambda: field.is_disabled)  # read-only: its step is disabled
        box = screen.query_one("#q--workload--input_tokens")
        assert box.has_class("-presenter-here")
        await decided(pilot)
        shown, _ = screen.query_one(LiveBar)._shown  # toasts may cover the line's end
        assert shown is not None and shown.workload.requests_per_day == 20_000
        assert "hosted $566 ·" in live_text(shown, None).plain  # the open model, hosted
        server.send(
            "state", state={"profile": dumps_profile(profile), "screen": "questionnaire", "step": 2}
        )
        await wait_for(pilot, lambda: screen.step == 2)


async def test_looking_around_and_following_again(server: Server, tmp_path: Path) -> None:
    app = create_app(profiles_dir=tmp_path, confined=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, server)
        server.room(you=3)
        server.send("state", state={"profile": MEDIUM, "screen": "results", "tab": "costs"})
        await wait_for(pilot, lambda: active_tab(app) == "costs", tries=200)
        await pilot.press("f9")
        await wait_for(pilot, lambda: server.last("mode") == {"kind": "mode", "mode": "own"})
        assert not app.session.locked
        await pilot.press("4")  # their own keys work now
        await wait_for(pilot, lambda: active_tab(app) == "rules")
        # The room moves on meanwhile: nothing changes on this screen.
        server.send("state", state={"profile": MEDIUM, "screen": "results", "tab": "flips"})
        await pilot.pause(0.3)
        assert active_tab(app) == "rules"
        # A what-if of their own: following again asks about it first.
        assert app.session.profile is not None
        app.session.profile.workload.requests_per_day = 5
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "UnsavedScreen")
        await pilot.press("d")  # discard the what-if
        await wait_for(pilot, lambda: active_tab(app) == "flips", tries=200)
        assert server.last("mode") == {"kind": "mode", "mode": "following"}
        assert app.session.locked and app.session.profile is not None
        assert app.session.profile.workload.requests_per_day == 10_000


async def test_presenting_opens_a_room_shows_how_to_join_and_publishes_the_view(
    server: Server, tmp_path: Path
) -> None:
    app = create_app("medium", profiles_dir=tmp_path, confined=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await server.start()
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.decision)
        await pilot.press("f8")
        await wait_for(pilot, lambda: server.last("present") is not None)
        server.room(you=1, members=[{"id": 1, "name": "alice", "mode": "following"}])
        await wait_for(pilot, lambda: isinstance(app.screen, RoomScreen))
        await wait_for(pilot, lambda: reads(pilot, "ssh -t -p 2222 join-K7QX2M@advisor.example"))
        first = await_state = None
        await wait_for(pilot, lambda: server.last("state") is not None, tries=200)
        first = server.last("state")
        assert first is not None and first["state"]["screen"] == "results"
        assert "Medium usage" in first["state"]["profile"]
        await pilot.press("a")  # ask before anyone joins
        await wait_for(
            pilot, lambda: server.last("approval") == {"kind": "approval", "required": True}
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("4")
        await wait_for(
            pilot, lambda: (s := server.last("state")) and s["state"].get("tab") == "rules"
        )
        await pilot.press("down")
        await wait_for(
            pilot,
            lambda: (
                (s := server.last("state"))
                and s["state"].get("table") == "rule-table"
                and s["state"].get("row") not in (None, first["state"].get("row"))
            ),
        )
        del await_state

        # Someone knocks: asked, and the answer goes back.
        server.send("knock", member=7, name="dave")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        # Pushed is not yet drawn: a frame taken at once may be empty.
        await wait_for(pilot, lambda: reads(pilot, "dave asks to join your room K7QX2M"))
        await pilot.press("y")  # at once: typed before it was seen, so it answers nothing
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen) and server.last("admit") is None
        await pilot.pause(0.6)
        await pilot.press("y")
        await wait_for(pilot, lambda: server.last("admit") is not None)
        assert server.last("admit") == {"kind": "admit", "member": 7, "yes": True}


async def test_when_the_presenter_leaves_a_follower_may_keep_a_copy(
    server: Server, tmp_path: Path
) -> None:
    app = create_app(profiles_dir=tmp_path, confined=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, server)
        server.room(you=2)
        server.send("state", state={"profile": MEDIUM, "screen": "results", "tab": "costs"})
        await wait_for(pilot, lambda: active_tab(app) == "costs", tries=200)
        server.send("ended", name="alice", why="alice has left")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        # Pushed is not yet drawn: a frame taken at once may be empty.
        await wait_for(pilot, lambda: reads(pilot, "alice has left: the room has ended"))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen))
        await pilot.press("ctrl+u", *"alices-case", "enter")
        await wait_for(pilot, lambda: (tmp_path / "alices-case.toml").exists())
        assert not app.session.locked and app.presence.view is None
        assert load_profile(tmp_path / "alices-case.toml").name.startswith("Medium usage")
        await wait_for(pilot, lambda: "Room K7QX2M" not in screen_text(pilot))


async def test_the_server_stopping_keeps_a_draft_offered_next_time(
    server: Server, tmp_path: Path
) -> None:
    app = create_app(profiles_dir=tmp_path, confined=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, server)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        await pilot.press("tab", *"4321")  # past the profile's name, to the volume
        await wait_for(pilot, lambda: app.session.dirty)
        server.send("shutdown")
        await wait_for(pilot, lambda: server.last("drafted") is not None)
        assert server.last("drafted") == {"kind": "drafted", "kept": True}
        assert "unsaved changes are kept" in " ".join(screen_text(pilot).split())
    assert (tmp_path / DRAFT).is_file()

    again = create_app(profiles_dir=tmp_path, confined=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, DraftScreen))
        assert "from a new profile" in " ".join(screen_text(pilot).split())
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(again.screen, ResultsScreen) and again.decision)
        assert again.session.profile is not None and again.session.dirty
        assert again.session.profile.workload.requests_per_day == 4321
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(again.screen, SaveAsScreen))
        await pilot.press("ctrl+u", *"kept", "enter")
        await wait_for(pilot, lambda: not (tmp_path / DRAFT).exists())  # saved: no draft
    assert (tmp_path / "kept.toml").is_file()
