"""Rooms on their own: codes, who may do what, what each member is sent; the wire's
messages; the status a running server keeps. No network."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from advisor.serve.rooms import ALPHABET, ROOM_CODE_LENGTH, Room, Rooms, room_code
from advisor.serve.status import read_statuses, render, status_file, write_status
from advisor.wire import MAX_MESSAGE, decode, encode


@dataclass(eq=False)
class FakeMember:
    id: int
    name: str
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def send(self, kind: str, **fields: Any) -> None:
        self.sent.append((kind, fields))

    def last(self, kind: str) -> dict[str, Any]:
        return next(f for k, f in reversed(self.sent) if k == kind)

    def kinds(self) -> list[str]:
        return [k for k, _ in self.sent]


def test_room_codes_are_short_unambiguous_and_read_from_the_user_name() -> None:
    rooms = Rooms()
    codes = {rooms.open(FakeMember(n, "p"), "h", 22, False).code for n in range(300)}
    assert len(codes) == 300
    for code in codes:
        assert len(code) == ROOM_CODE_LENGTH and set(code) <= set(ALPHABET)
        assert not set(code) & set("01OIL")
    assert room_code("join-k7qx2m") == "K7QX2M"
    assert room_code("JOIN-K7QX2M") == "K7QX2M"
    for wrong in ("alice", "join-", "join-K7QX2", "join-K7QX2MM", "join-K7QX2O", "join-../x"):
        assert room_code(wrong) is None
    room = rooms.open(FakeMember(999, "alice"), "10.0.0.5", 2222, False)
    assert room.join == f"ssh -t -p 2222 join-{room.code}@10.0.0.5"


def test_only_the_driver_sets_the_state_and_everyone_else_gets_it() -> None:
    alice, bob, carol = FakeMember(1, "alice"), FakeMember(2, "bob"), FakeMember(3, "carol")
    room = Room("K7QX2M", alice, "ssh ...")
    room.join_member(bob)
    room.join_member(carol)
    assert room.receive(bob, {"kind": "state", "state": {"screen": "welcome"}}) is not None
    assert room.state is None and "state" not in alice.kinds()  # a follower's is refused
    room.receive(alice, {"kind": "state", "state": {"screen": "results", "tab": "rules"}})
    assert bob.last("state")["state"]["tab"] == "rules"
    assert carol.last("state")["state"]["tab"] == "rules"
    assert "state" not in alice.kinds()  # not sent back to the driver
    dave = FakeMember(4, "dave")
    room.join_member(dave)  # a newcomer gets the newest state at once
    assert dave.last("state")["state"]["tab"] == "rules"
    assert [m["name"] for m in dave.last("room")["members"]] == ["alice", "bob", "carol", "dave"]


def test_the_presenter_hands_the_keyboard_over_and_takes_it_back() -> None:
    alice, bob = FakeMember(1, "alice"), FakeMember(2, "bob")
    room = Room("K7QX2M", alice, "ssh ...")
    room.join_member(bob)
    room.receive(alice, {"kind": "state", "state": {"tab": "costs"}})
    assert room.receive(bob, {"kind": "hand", "to": 2}) is not None  # not bob's to do
    assert "refused" in bob.kinds()
    room.receive(alice, {"kind": "hand", "to": 2})
    assert room.driver == 2 and bob.last("room")["driver"] == 2
    assert bob.last("state")["state"]["tab"] == "costs"  # starts from the room's state
    room.receive(bob, {"kind": "state", "state": {"tab": "rules"}})
    assert alice.last("state")["state"]["tab"] == "rules"
    room.receive(alice, {"kind": "take"})
    assert room.driver == 1
    assert room.receive(bob, {"kind": "state", "state": {"tab": "flips"}}) is not None
    assert room.state == {"tab": "rules"}


def test_the_driver_leaving_gives_the_keyboard_back_and_the_presenter_leaving_ends_it() -> None:
    alice, bob, carol = FakeMember(1, "alice"), FakeMember(2, "bob"), FakeMember(3, "carol")
    room = Room("K7QX2M", alice, "ssh ...")
    room.join_member(bob)
    room.join_member(carol)
    room.receive(alice, {"kind": "hand", "to": 3})
    assert room.leave(carol) is False
    assert room.driver == 1 and [m["name"] for m in bob.last("room")["members"]] == [
        "alice",
        "bob",
    ]
    assert room.leave(alice) is True
    assert bob.last("ended") == {"name": "alice", "why": "alice has left"}


def test_two_sessions_of_one_person_are_told_apart_and_modes_are_shown() -> None:
    alice, again = FakeMember(1, "alice"), FakeMember(2, "alice")
    room = Room("K7QX2M", alice, "ssh ...")
    room.join_member(again)
    assert room.shown_names() == ["alice", "alice (2)"]
    room.receive(again, {"kind": "mode", "mode": "own"})
    assert alice.last("room")["members"][1]["mode"] == "own"
    assert room.receive(again, {"kind": "mode", "mode": "root"}) is not None


def test_the_wire_refuses_what_is_not_a_message() -> None:
    line = encode("state", state={"profile": "name = 'Zoë'"})
    assert line.endswith(b"\n") and decode(line) == {
        "kind": "state",
        "state": {"profile": "name = 'Zoë'"},
    }
    for bad in (b"", b"not json", b"[1, 2]", b'{"no": "kind"}', b'{"kind": 3}'):
        assert decode(bad) is None
    assert decode(b'{"kind": "x", "pad": "' + b"a" * MAX_MESSAGE + b'"}') is None


def test_a_running_servers_status_is_read_and_a_stopped_ones_is_not(tmp_path: Path) -> None:
    now = time.time()
    status = {
        "pid": os.getpid(),
        "listen": "127.0.0.1:2222",
        "started": now - 3700,
        "sessions": [
            {
                "session": 1,
                "person": "alice",
                "address": "127.0.0.1:5000",
                "since": now,
                "room": "K7QX2M",
                "role": "presenting",
            },
            {
                "session": 2,
                "person": "bob",
                "address": "127.0.0.1:5001",
                "since": now,
                "room": None,
                "role": None,
            },
        ],
        "rooms": [
            {
                "code": "K7QX2M",
                "presenter": "alice",
                "members": ["alice"],
                "join": "ssh -t -p 2222 join-K7QX2M@127.0.0.1",
            }
        ],
    }
    write_status(status_file(tmp_path, 2222), status)
    assert oct(status_file(tmp_path, 2222).stat().st_mode & 0o777) == "0o600"
    dead = dict(status, pid=2**22 + 12345)
    write_status(status_file(tmp_path, 2223), dead)
    [found] = read_statuses(tmp_path)
    assert found == json.loads(json.dumps(status))
    text = render(found, now)
    assert "up 1h01m: 2 session(s), 1 room(s)" in text
    assert "alice" in text and "K7QX2M presenting" in text and "join-K7QX2M" in text
    assert read_statuses(tmp_path, 2223) == []


@pytest.mark.parametrize("kind", ["present", "end", "approval", "take"])
def test_a_follower_cannot_act_for_the_presenter(kind: str) -> None:
    alice, bob = FakeMember(1, "alice"), FakeMember(2, "bob")
    room = Room("K7QX2M", alice, "ssh ...")
    room.join_member(bob)
    assert room.receive(bob, {"kind": kind, "required": True}) is not None
    assert room.driver == 1 and room.approval is False
