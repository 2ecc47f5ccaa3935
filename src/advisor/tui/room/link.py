"""The app's line to `advisor serve` (advisor/wire.py): its end of a socket pair, whose fd
number is in ADVISOR_ROOM_FD. Messages come in on the app's own event loop and are handed to
`received`; sending never waits (the server reads promptly; the state is small)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Callable
from typing import Any

from advisor.wire import FD_ENV, MAX_MESSAGE, decode, encode


def link_fd() -> int | None:
    """The fd of the line to the server, when the app runs under `advisor serve`; taken
    once (the variable goes: nothing the app starts inherits it)."""
    value = os.environ.pop(FD_ENV, "")
    return int(value) if value.isdigit() else None


class RoomLink:
    def __init__(self, fd: int, received: Callable[[dict[str, Any]], None]) -> None:
        self.fd = fd
        self.received = received
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None
        self.closed = False

    async def start(self) -> bool:
        """False if the fd is not a socket this app holds (nothing to talk to, then)."""
        try:
            sock = socket.socket(fileno=self.fd)
        except OSError:
            self.closed = True
            return False
        reader, self._writer = await asyncio.open_unix_connection(sock=sock, limit=MAX_MESSAGE + 1)
        self._task = asyncio.create_task(self._read(reader))
        return True

    async def _read(self, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(ValueError, ConnectionError, OSError):
            while line := await reader.readline():
                message = decode(line)
                if message is None:
                    continue
                try:
                    self.received(message)
                except Exception:  # one message the app could not act on: not the line
                    continue
        self.closed = True

    def send(self, kind: str, **fields: Any) -> None:
        if self._writer is not None and not self.closed:
            with contextlib.suppress(ConnectionError, OSError, RuntimeError):
                self._writer.write(encode(kind, **fields))

    def close(self) -> None:
        self.closed = True
        if self._task is not None:
            self._task.cancel()
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
