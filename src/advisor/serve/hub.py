"""The server's end of every app's line (advisor/wire.py), and the rooms they are in.

Each session's app gets an AppLink: one end of a Unix socket pair, read line by line. What
an app sends goes to the Hub, which opens rooms (rooms.py), passes a presenter's messages to
their room, asks a presenter to let someone in (a knock), and tells every app when the
server stops so that each keeps a draft of unsaved changes.

Sending never blocks the sender: each link has its own writer task and keeps, for a slow
app, only the newest `state` and `room` message (older ones are replaced while they wait), so
twenty followers on slow links never hold up the presenter or each other. No asyncssh here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from advisor.serve.rooms import Room, Rooms
from advisor.wire import MAX_MESSAGE, decode, encode

KNOCK_TIMEOUT = 120.0  # seconds a newcomer waits for the presenter's yes or no
SHUTDOWN_GRACE = 1.5  # seconds the apps get to write their drafts when the server stops
COALESCED = frozenset({"state", "room"})  # only the newest of these waits for a slow app


@dataclass(eq=False)
class AppLink:
    """One app's line: what the server sends it, and what it says."""

    id: int
    name: str  # the person, as their key names them
    host: str  # the address they connected to (for the join command)
    hub: Hub
    sock: socket.socket
    room: Room | None = None
    history: list[str] = field(default_factory=list)  # "presented K7QX2M", "joined ..."
    drafted: asyncio.Event = field(default_factory=asyncio.Event)
    kept_draft: bool = False
    _queue: list[tuple[str, bytes]] = field(default_factory=list)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _writer: asyncio.StreamWriter | None = None

    async def start(self) -> None:
        reader, self._writer = await asyncio.open_unix_connection(
            sock=self.sock, limit=MAX_MESSAGE + 1
        )
        self._tasks = [
            asyncio.create_task(self._read(reader)),
            asyncio.create_task(self._write()),
        ]

    def send(self, kind: str, **fields: Any) -> None:
        if kind in COALESCED:
            self._queue = [(k, f) for k, f in self._queue if k != kind]
        self._queue.append((kind, encode(kind, **fields)))
        self._wake.set()

    async def _write(self) -> None:
        assert self._writer is not None
        with contextlib.suppress(ConnectionError, OSError):
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._queue:
                    _, frame = self._queue.pop(0)
                    self._writer.write(frame)
                    await self._writer.drain()

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while line := await reader.readline():
                message = decode(line)
                if message is not None:
                    self.hub.received(self, message)
        except (ValueError, ConnectionError, OSError):  # a line too long, or the app is gone
            pass
        finally:
            self.hub.disconnected(self)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._writer is not None:
            self._writer.close()
        self.sock.close()
        self.hub.disconnected(self)


class Hub:
    def __init__(self, log: logging.Logger, public_host: str | None = None) -> None:
        self.log = log
        self.public_host = public_host
        self.port = 0  # the port people connect to (set once listening)
        self.rooms = Rooms()
        self.links: dict[int, AppLink] = {}
        self._knocks: dict[int, tuple[Room, asyncio.Future[bool]]] = {}
        self._opened: dict[str, float] = {}

    def link(self, member: int, name: str, host: str, sock: socket.socket) -> AppLink:
        link = AppLink(member, name, host, self, sock)
        self.links[member] = link
        return link

    # -- what apps say -------------------------------------------------------------------------
    def received(self, link: AppLink, message: dict[str, Any]) -> None:
        kind = message["kind"]
        room = link.room
        if kind == "present":
            self._present(link, bool(message.get("approval")))
        elif kind == "drafted":
            link.kept_draft = bool(message.get("kept"))
            link.drafted.set()
        elif room is None:
            link.send("refused", why="you are not in a room")
        elif kind == "admit" and link is room.presenter:
            room_knocked, knock = self._knocks.get(message.get("member", -1), (None, None))
            if room_knocked is room and knock is not None and not knock.done():
                knock.set_result(bool(message.get("yes")))
        elif kind == "end" and link is room.presenter:
            self._close(room, f"{link.name} ended the room")
        else:
            room.receive(link, message)

    def _present(self, link: AppLink, approval: bool) -> None:
        if link.room is not None:
            link.send("refused", why="you are in a room already")
            return
        host = self.public_host or link.host
        host = f"[{host}]" if ":" in host else host
        room = self.rooms.open(link, host, self.port, approval)
        link.room = room
        link.history.append(f"presented {room.code}")
        self._opened[room.code] = time.monotonic()
        self.log.info("room=%s opened by=%s", room.code, link.name)
        room.tell_everyone()

    def enter(self, link: AppLink, room: Room) -> bool:
        """A newcomer's app joins a room (if it still exists)."""
        if self.rooms.get(room.code) is not room:
            link.send("ended", name=room.presenter.name, why="the room has ended")
            return False
        link.room = room
        link.history.append(f"joined {room.code}")
        room.join_member(link)
        self.log.info("room=%s joined by=%s", room.code, link.name)
        return True

    def disconnected(self, link: AppLink) -> None:
        """An app has gone (or its line broke): it leaves its room."""
        self.links.pop(link.id, None)
        room, link.room = link.room, None
        if room is not None and room.leave(link):
            self._forget(room, f"{room.names.get(link.id, link.name)} has left")
        elif room is not None:
            self.log.info("room=%s left by=%s", room.code, link.name)

    def _close(self, room: Room, why: str) -> None:
        room.end(why)
        room.presenter.send("ended", name=room.presenter.name, why=why)
        for member in self.links.values():
            if member.room is room:
                member.room = None
        self._forget(room, why)

    def _forget(self, room: Room, why: str) -> None:
        self.rooms.close(room)
        for knocked, knock in self._knocks.values():
            if knocked is room and not knock.done():
                knock.set_result(False)
        opened = self._opened.pop(room.code, time.monotonic())
        self.log.info(
            "room=%s ended why=%r duration=%.1fs", room.code, why, time.monotonic() - opened
        )

    # -- letting someone in ----------------------------------------------------------------------
    async def knock(self, room: Room, member: int, name: str) -> bool:
        """Ask the presenter to let `name` in; True once they say yes. False for a no, after
        KNOCK_TIMEOUT, or when the room ends meanwhile. Cancelled when the newcomer leaves."""
        if self.rooms.get(room.code) is not room:
            return False
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._knocks[member] = (room, answer)
        room.presenter.send("knock", member=member, name=name)
        try:
            return await asyncio.wait_for(asyncio.shield(answer), KNOCK_TIMEOUT)
        except TimeoutError:
            return False
        finally:
            self._knocks.pop(member, None)
            if not answer.done() or not answer.result():
                room.presenter.send("knock-gone", member=member)

    # -- stopping ----------------------------------------------------------------------------------
    async def shutdown(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Tell every app the server is stopping; wait (at most `grace`) for their drafts."""
        links = list(self.links.values())
        for link in links:
            link.send("shutdown")
        waits = [asyncio.ensure_future(link.drafted.wait()) for link in links]
        if waits:
            await asyncio.wait(waits, timeout=grace)
        for wait in waits:
            wait.cancel()

    # -- for --status ------------------------------------------------------------------
    def room_of(self, member: int) -> tuple[str, str] | None:
        """(room code, role) of a member, role "presenting", "has the keyboard" or
        "following"; None outside rooms."""
        link = self.links.get(member)
        room = link.room if link is not None else None
        if room is None:
            return None
        if room.presenter.id == member:
            return room.code, "presenting"
        if room.driver == member:
            return room.code, "has the keyboard"
        return room.code, "looking around" if room.modes.get(member) == "own" else "following"
