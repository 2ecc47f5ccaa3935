"""Rooms: one person presents, the others follow, each in their own terminal. Pure: no I/O.

A room lives in the server process. It has a code (ROOM_CODE_LENGTH characters from an
alphabet without look-alikes: 31^6, about 900 million codes, and a wrong guess costs a
connection and is slowed down like a refused key), a presenter (whose app opened it and who
owns it: hands the keyboard over, takes it back, lets people in, ends it), a driver (whose
app's state is the room's: the presenter, or the member they handed the keyboard to) and
members in the order they came. The room keeps the newest state the driver sent and gives it
to everyone else, and to each newcomer. A member's messages that their role does not allow
are refused (a follower's state is never taken, whatever their app sends).

Members are anything with an id, a name and `send(kind, **fields)` (hub.py's AppLink);
a send never blocks (the link keeps only the newest state for a slow member).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by hand
ROOM_CODE_LENGTH = 6
JOIN_PREFIX = "join-"  # ssh join-CODE@host: the user name carries the room code


class Member(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    def send(self, kind: str, **fields: Any) -> None: ...


def room_code(wanted: str) -> str | None:
    """The room code in a user name `join-CODE` (any case), or None if it is not one."""
    if not wanted.lower().startswith(JOIN_PREFIX):
        return None
    code = wanted[len(JOIN_PREFIX) :].upper()
    if len(code) != ROOM_CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def join_command(code: str, host: str, port: int) -> str:
    """What the others type to join: `ssh -t -p PORT join-CODE@HOST`."""
    return f"ssh -t -p {port} {JOIN_PREFIX}{code}@{host}"


@dataclass(eq=False)
class Room:
    code: str
    presenter: Member
    join: str  # the command the others type
    approval: bool = False  # the presenter lets each newcomer in
    members: dict[int, Member] = field(default_factory=dict)
    modes: dict[int, str] = field(default_factory=dict)  # "following" | "own"
    driver: int = 0
    state: dict[str, Any] | None = None  # the newest state the driver sent
    names: dict[int, str] = field(default_factory=dict)  # as shown: "alice", "alice (2)"

    def __post_init__(self) -> None:
        self.driver = self.presenter.id
        self._add(self.presenter)

    # -- who ---------------------------------------------------------------------------------
    def _add(self, member: Member) -> None:
        self.members[member.id] = member
        self.modes[member.id] = "following"
        taken = set(self.names.values())
        shown, n = member.name, 1
        while shown in taken:
            n += 1
            shown = f"{member.name} ({n})"
        self.names[member.id] = shown

    def view(self, member: Member) -> dict[str, Any]:
        """The `room` message for one member."""
        return {
            "code": self.code,
            "join": self.join,
            "you": member.id,
            "presenter": self.presenter.id,
            "driver": self.driver,
            "approval": self.approval,
            "members": [
                {"id": i, "name": self.names[i], "mode": self.modes.get(i, "following")}
                for i in self.members
            ],
        }

    def tell_everyone(self) -> None:
        for member in self.members.values():
            member.send("room", **self.view(member))

    def join_member(self, member: Member) -> None:
        """A newcomer (let in): they get the room and its newest state."""
        self._add(member)
        self.tell_everyone()
        if self.state is not None:
            member.send("state", state=self.state)

    def leave(self, member: Member) -> bool:
        """A member left (their app ended). True when that ends the room (the presenter)."""
        if member.id not in self.members:
            return False
        if member is self.presenter:
            self.end(f"{self.names[member.id]} has left")
            return True
        del self.members[member.id]
        self.modes.pop(member.id, None)
        self.names.pop(member.id, None)
        if self.driver == member.id:  # the keyboard goes back to the presenter
            self.driver = self.presenter.id
        self.tell_everyone()
        return False

    def end(self, why: str) -> None:
        presenter = self.names.get(self.presenter.id, self.presenter.name)
        for member in list(self.members.values()):
            if member is not self.presenter:
                member.send("ended", name=presenter, why=why)
        self.members.clear()

    def shown_names(self) -> list[str]:
        return list(self.names.values())

    # -- what members send ---------------------------------------------------------------------
    def receive(self, member: Member, message: dict[str, Any]) -> str | None:
        """Act on a member's message; a refusal's reason for the log, or None."""
        kind = message["kind"]
        if kind == "state":
            if member.id != self.driver:
                return "state from a member without the keyboard"
            state = message.get("state")
            if not isinstance(state, dict):
                return "a state that is not an object"
            self.state = state
            self._send_others(member, "state", state=state)
            return None
        if kind == "mode":
            mode = message.get("mode")
            if mode not in ("following", "own"):
                return f"mode {mode!r}"
            if self.modes.get(member.id) != mode:
                self.modes[member.id] = str(mode)
                self.tell_everyone()
            return None
        if member is not self.presenter:
            member.send("refused", why="only the presenter can do that")
            return f"{kind!r} from a follower"
        return self._presenter(kind, message)

    def _presenter(self, kind: str, message: dict[str, Any]) -> str | None:
        if kind == "hand":
            to = message.get("to")
            if not isinstance(to, int) or to not in self.members:
                self.presenter.send("refused", why="that person is no longer in the room")
                return f"hand to {to!r}"
            self.driver = to
        elif kind == "take":
            self.driver = self.presenter.id
        elif kind == "approval":
            self.approval = bool(message.get("required"))
        else:
            return f"{kind!r} in a room"
        self.tell_everyone()
        if kind in ("hand", "take") and self.state is not None:
            # The new driver starts from the room's state, whatever they looked at alone.
            self.members[self.driver].send("state", state=self.state)
        return None

    def _send_others(self, sender: Member, kind: str, **fields: Any) -> None:
        for member in self.members.values():
            if member is not sender:
                member.send(kind, **fields)


class Rooms:
    """Every room of the server, by code."""

    def __init__(self) -> None:
        self._rooms: dict[str, Room] = {}

    def __len__(self) -> int:
        return len(self._rooms)

    def __iter__(self) -> Iterator[Room]:
        return iter(list(self._rooms.values()))

    def get(self, code: str) -> Room | None:
        return self._rooms.get(code)

    def open(self, presenter: Member, host: str, port: int, approval: bool) -> Room:
        code = self._new_code()
        room = Room(code, presenter, join_command(code, host, port), approval)
        self._rooms[code] = room
        return room

    def close(self, room: Room) -> None:
        self._rooms.pop(room.code, None)

    def _new_code(self) -> str:
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(ROOM_CODE_LENGTH))
            if code not in self._rooms:
                return code
