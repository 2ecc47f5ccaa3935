"""Joining a room: `ssh -t -p PORT join-CODE@HOST`. Before the newcomer's app starts.

The user name carries the room code; who the person is still comes from their key. A code
that names no room gets one line and the connection is slowed down like a refused key (the
codes are not to be guessed). When the presenter asks to let people in, the newcomer's
terminal says so while the presenter's app asks them; ctrl+c (or q) gives up waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from advisor.serve.hub import Hub
from advisor.serve.rooms import JOIN_PREFIX, Room, room_code

GIVE_UP = {b"\x03", b"\x04", b"q", b"Q"}  # ctrl+c, ctrl+d, q while waiting to be let in


def wants_a_room(claimed: str | None) -> bool:
    return bool(claimed) and str(claimed).lower().startswith(JOIN_PREFIX)


def find_room(hub: Hub, claimed: str) -> Room | None:
    code = room_code(claimed)
    return hub.rooms.get(code) if code else None


async def let_in(
    hub: Hub,
    room: Room,
    member: int,
    name: str,
    write: Callable[[bytes], None],
    read: Callable[[], Awaitable[bytes]],
    closed: Awaitable[None],
) -> str | None:
    """Wait for the presenter's yes; None once let in, else what to tell the newcomer."""
    presenter = room.names.get(room.presenter.id, room.presenter.name)
    write(
        f"advisor: asking {presenter} to let you into room {room.code}… "
        f"(ctrl+c gives up)\r\n".encode()
    )
    answer = asyncio.ensure_future(hub.knock(room, member, name))
    gave_up = asyncio.ensure_future(_until_given_up(read))
    gone = asyncio.ensure_future(closed)
    try:
        await asyncio.wait({answer, gave_up, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (answer, gave_up, gone):
            if not task.done():
                task.cancel()
        await asyncio.gather(answer, gave_up, gone, return_exceptions=True)
    if answer.done() and not answer.cancelled() and answer.result():
        return None
    if gave_up.done() and not gave_up.cancelled():
        return "advisor: you stopped waiting.\r\n"
    if hub.rooms.get(room.code) is not room:
        return f"advisor: room {room.code} has ended.\r\n"
    return f"advisor: {presenter} did not let you in this time.\r\n"


async def _until_given_up(read: Callable[[], Awaitable[bytes]]) -> None:
    while True:
        data = await read()
        if not data:
            await asyncio.Event().wait()  # the client closed its input: `closed` says so
        if any(bytes([b]) in GIVE_UP for b in data):
            return
