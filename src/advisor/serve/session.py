"""One SSH session channel with the advisor app on the other end, until one side ends it.

The channel (AdvisorChannel) keeps only the environment variables the app uses. The session
(AdvisorProcess) notes when the client last typed and the terminal size it asks for (clamped;
the server applies it, at most ten times a second), and refuses subsystems, breaks and
signals. run_app bridges it to an app process on its own pty (app_process.py) and waits
for the first of: the app quits, the client goes away, the server stops (the seat's event),
or no input for the idle timeout. It ends the app and the channel and says how it ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import asyncssh
from asyncssh.packet import SSHPacket

from advisor.serve.app_process import (
    DEFAULT_SIZE,
    AppProcess,
    app_environment,
    clamp_size,
    safe_term,
    spawn_app,
)
from advisor.serve.config import ServeConfig
from advisor.serve.hub import AppLink, Hub
from advisor.serve.people import Person
from advisor.serve.rooms import Room
from advisor.serve.warm import WarmParent, WarmParentGone
from advisor.wire import FD_ENV, JOINING_ENV

# What Textual turns on, turned off again: used when the server ends an app itself.
RESET_TERMINAL = (
    b"\x1b[<u\x1b[?2048l\x1b[?2004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    b"\x1b[?1004l\x1b[?7h\x1b[0m\x1b[?1049l\x1b[?25h\r\n"
)


CLIENT_ENV = {b"COLORTERM", b"NO_COLOR"}  # all a client's environment may say (app_process.py)
MAX_ENV_VALUE = 64
RESIZE_INTERVAL = 0.1  # seconds: at most ten size changes a second reach the app


@dataclass(eq=False)
class Seat:
    """A running session, so that a shutdown can end it (and --status can list it)."""

    person: str = ""
    id: int = 0  # the session's number, and its member id in rooms
    address: str = ""
    started: float = field(default_factory=time.time)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    link: AppLink | None = None  # its app's line to the server, once the app runs


class Owner(Protocol):
    """The connection a session channel belongs to."""

    def refuse(self, reason: str) -> None:
        """Something asked for was refused: for the connection's log line."""

    def channel_closed(self) -> None: ...


class AdvisorChannel(asyncssh.SSHServerChannel[bytes]):
    """asyncssh's session channel, keeping only the environment variables the app uses.

    asyncssh keeps every `env` request a client sends, however many and however long; this
    channel answers the others with a refusal (clients go on without them) and keeps at most
    CLIENT_ENV, each value at most MAX_ENV_VALUE bytes.
    """

    client_env: dict[str, str]

    @classmethod
    def make(cls, conn: asyncssh.SSHServerConnection) -> AdvisorChannel:
        # asyncssh makes its channel with the connection's settings; only how it answers
        # env requests (asyncssh's own `_process_<request>_request` dispatch) changes here.
        chan = conn.create_server_channel(encoding=None)
        chan.__class__ = cls
        made = cast(AdvisorChannel, chan)
        made.client_env = {}
        return made

    def _process_env_request(self, packet: SSHPacket) -> bool:
        name = packet.get_string()
        value = packet.get_string()
        packet.check_end()
        if name not in CLIENT_ENV or len(value) > MAX_ENV_VALUE:
            return False
        self.client_env[name.decode()] = value.decode("utf-8", "replace")
        return True


class AdvisorProcess(asyncssh.SSHServerProcess[bytes]):
    """A session channel: notes when the client last typed and what size it says its terminal
    is (clamped, app_process.clamp_size), and refuses subsystems, breaks and signals."""

    def __init__(self, handler: Callable[[AdvisorProcess], Any], owner: Owner) -> None:
        super().__init__(handler, None, 0, False)  # type: ignore[arg-type]
        self.owner = owner
        self.last_input = time.monotonic()
        self.size = DEFAULT_SIZE
        self._apply: Callable[[int, int], None] | None = None
        self._applied = DEFAULT_SIZE
        self._applied_at = 0.0
        self._timer: asyncio.TimerHandle | None = None

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        super().data_received(data, datatype)

    def subsystem_requested(self, subsystem: str) -> bool:
        self.owner.refuse(f"subsystem {subsystem[:32]!r}")
        return False  # sftp and everything else

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass  # a client does not get to signal the app

    def connection_lost(self, exc: Exception | None) -> None:
        self.follow_size(None)
        super().connection_lost(exc)
        self.owner.channel_closed()

    @property
    def client_env(self) -> dict[str, str]:
        chan = self.channel
        return chan.client_env if isinstance(chan, AdvisorChannel) else {}

    # -- the terminal's size: never what asyncssh would apply as it came ------------------
    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Mapping[int, int]
    ) -> bool:
        self.size = clamp_size(term_size[0], term_size[1])
        return super().pty_requested(term_type, term_size, term_modes)

    @property
    def term_size(self) -> tuple[int, int, int, int]:
        """The clamped size (asyncssh applies this one when it connects the app's pty)."""
        return (*self.size, 0, 0)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        # Not passed on to asyncssh, which would queue every change before the app runs and
        # apply each one as it came (a struct.error past 32767).
        self.size = clamp_size(width, height, self.size)
        self._push_size()

    def follow_size(
        self, apply: Callable[[int, int], None] | None, current: tuple[int, int] = DEFAULT_SIZE
    ) -> None:
        """From now on, size changes go to `apply` (now at `current`), at most one per
        RESIZE_INTERVAL, the last one always; None: no more."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._apply, self._applied = apply, current
        self._push_size()

    def _push_size(self) -> None:
        if self._apply is None or self._timer is not None or self.size == self._applied:
            return
        wait = self._applied_at + RESIZE_INTERVAL - time.monotonic()
        if wait > 0:
            self._timer = asyncio.get_running_loop().call_later(wait, self._resize)
        else:
            self._resize()

    def _resize(self) -> None:
        self._timer = None
        if self._apply is not None and self.size != self._applied:
            self._applied, self._applied_at = self.size, time.monotonic()
            self._apply(*self.size)


async def run_app(
    process: AdvisorProcess,
    config: ServeConfig,
    person: Person,
    folder: Path,
    seat: Seat,
    hub: Hub,
    host: str,
    room: Room | None = None,
    warm: WarmParent | None = None,
) -> str:
    """Run the app for `person` on `process` until one side ends; how it ended, for the log.
    The app gets a line to the server (hub.py; `host`: the address the person reached, for
    the join command of a room they present); it enters `room` once it runs."""
    term, client_env = safe_term(process.term_type), process.client_env
    env = app_environment(term, config.colorterm, client_env, person.name)
    args = ["--profiles-dir", str(folder), "--confine"]
    if config.team_profiles is not None:
        args += ["--team-profiles", str(config.team_profiles)]
    size = process.size
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    link = seat.link = hub.link(seat.id, person.name, host, ours)
    try:
        env[FD_ENV] = str(theirs.fileno())
        if room is not None:
            env[JOINING_ENV] = room.code  # no draft is offered on the way into a room
        app = await _start(config, args, env, size, folder, theirs.fileno(), warm)
    except BaseException:
        ours.close()
        hub.disconnected(link)
        raise
    finally:
        theirs.close()
    try:
        await link.start()
        if room is not None:
            hub.enter(link, room)
        # Size changes are applied here, clamped (the kernel tells the app), not by asyncssh:
        # no redirect pid is set, so asyncssh neither resizes nor signals the app itself.
        process.follow_size(app.resize, size)
        # Two copies of the master: asyncssh closes each side on its own.
        # The app's end is not the channel's: the exit status (or a last word) follows.
        await process.redirect(stdin=os.dup(app.master), stdout=os.dup(app.master), send_eof=False)
        waits = {
            asyncio.ensure_future(app.wait()): "app",
            asyncio.ensure_future(process.wait_closed()): "client",
            asyncio.ensure_future(seat.stop.wait()): "server",
        }
        if config.idle_timeout:
            waits[asyncio.ensure_future(_idle(process, config.idle_timeout))] = "idle"
        try:
            done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        why = {waits[task] for task in done}
        if "app" in why:
            status = app.returncode or 0
            # Let the app's last frame (leaving the alternate screen) reach the client.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.stdout.drain(), 2.0)
            await app.stop(0)  # anything the app left behind
            if status < 0:  # killed by a signal: it could not give the terminal back
                with contextlib.suppress(Exception):
                    process.stdout.write(
                        RESET_TERMINAL
                        + f"advisor: the app stopped (signal {-status}).\r\n".encode()
                    )
            code = status if status >= 0 else 128 - status
            with contextlib.suppress(Exception):
                process.exit(code)
            return f"quit (status {code})" if status == 0 else f"app ended (status {code})"
        await app.stop(config.hangup_grace)
        if "client" in why:
            return "client disconnected"
        if "idle" in why:
            text = f"advisor: session closed after {_duration(config.idle_timeout)} without input."
            how = f"idle for {config.idle_timeout:g}s"
        else:
            text = "advisor: the server is shutting down. Thank you!"
            if link.kept_draft:
                text += " Your unsaved changes are kept: they are offered when you next connect."
            how = "server stopped"
        with contextlib.suppress(Exception):
            process.stdout.write(RESET_TERMINAL + text.encode() + b"\r\n")
        with contextlib.suppress(Exception):
            process.exit(1)
        return how
    finally:
        process.follow_size(None)
        if app.running:  # cancelled or failed above: never leave the app behind
            await app.stop(config.hangup_grace)
        app.close()
        await link.close()
        with contextlib.suppress(Exception):  # asyncssh's own clean-up of the redirects
            await asyncio.wait_for(process.wait_closed(), 2)


async def _start(
    config: ServeConfig,
    args: list[str],
    env: dict[str, str],
    size: tuple[int, int],
    folder: Path,
    line: int,
    warm: WarmParent | None,
) -> AppProcess:
    """Fork the app from the warm parent; a fresh interpreter if there is none (any more)."""
    if warm is not None and warm.alive:
        with contextlib.suppress(WarmParentGone):
            return await warm.spawn(args, env, *size, folder, line)
    return await spawn_app([*config.app_command, *args], env, *size, folder, pass_fds=(line,))


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} seconds"


async def _idle(process: AdvisorProcess, timeout: float) -> None:
    while (left := process.last_input + timeout - time.monotonic()) > 0:
        await asyncio.sleep(left)
