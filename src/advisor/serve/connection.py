"""One client connection: who they are, what they may do, and its one log line.

AdvisorConnection is asyncssh's per-connection server object. It authenticates by public key
(or lets everyone in as GUEST with --no-auth), refuses every kind of forwarding, and turns a
session request into the advisor app (session.py), or into a one-line refusal: a command, no
pty, the server stopping, the person's share or every seat taken, no profiles folder. It
keeps to the limits of limits.py: while logging in (it may be closed to make room for a
newer connection, or for saying nothing), a person's connections, a connection's channels.
What all connections share is in state.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh

from advisor.serve.joining import find_room, let_in, wants_a_room
from advisor.serve.limits import (
    AUTHENTICATING,
    CONNECTED,
    HELLO,
    HELLO_TIMEOUT,
    MAX_CHANNELS,
    NO_APP_TIMEOUT,
    address_group,
)
from advisor.serve.people import GUEST, FolderError, Person, person_folder
from advisor.serve.rooms import Room
from advisor.serve.session import AdvisorChannel, AdvisorProcess, Seat, run_app
from advisor.serve.state import ServerState, where


class AdvisorConnection(asyncssh.SSHServer):
    """One client connection: who they are, what they may do, and its log line."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = "?"
        self.group = "?"
        self.port = 0
        self.local = "127.0.0.1"
        self.started = time.monotonic()
        self.claimed: str | None = None
        self.candidate: Person | None = None
        self.person: Person | None = None
        self.refused_keys = 0
        self.refused_fingerprints: list[str] = []  # the first few, for the log
        self.rooms: list[str] = []  # "presented K7QX2M", "joined K7QX2M"
        self.sessions = 0
        self.channels = 0  # session channels open now
        self.ended = "closed before logging in"
        self.refusals: dict[str, int] = {}
        self.counted = False  # in state.held, for self.person
        self.running = 0  # sessions still in their handler
        self.lost = False
        self._timer: asyncio.TimerHandle | None = None

    # -- the connection ----------------------------------------------------------------
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.address, self.port = str(peer[0]), int(peer[1])
        self.group = address_group(self.address)
        sock = conn.get_extra_info("sockname") or ("127.0.0.1", 0)
        self.local = str(sock[0])
        self.state.connections.add(self)
        if self.state.stopping:
            self.refuse("server stopping")
            conn.close()
            return
        for other, limit in self.state.logging_in.admit(self):
            other.make_room(limit)
        self._later(HELLO_TIMEOUT, self._close_if_silent)

    @property
    def stage(self) -> int:
        """How far it got logging in (limits.py: the least far is closed first)."""
        if self.claimed is not None:
            return AUTHENTICATING
        if self.conn is not None and self.conn.get_extra_info("client_version"):
            return HELLO
        return CONNECTED

    def make_room(self, limit: str) -> None:
        """Closed while logging in, to let a newer connection log in."""
        self.ended = f"closed while logging in: room made for a newer connection ({limit})"
        if self.conn is not None:
            self.conn.abort()

    def _close_if_silent(self) -> None:
        if self.stage == CONNECTED and not self.lost and self.conn is not None:
            self.ended = f"closed: said nothing for {HELLO_TIMEOUT:g}s"
            self.conn.abort()

    def _later(self, delay: float, then: Callable[[], None]) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(delay, then)

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.connections.discard(self)
        self.state.logging_in.leave(self)
        if self._timer is not None:
            self._timer.cancel()
        if self.counted and self.person is not None:
            self.counted = False
            self.state.held.remove(self.person.name)
        if self.person is None and self.refused_keys:
            self.ended = f"login failed ({self.refused_keys} key(s) refused)"
        self.lost = True
        if not self.running:  # else the last session to end writes the line
            self._log_line()

    def _log_line(self) -> None:
        person = self.person
        if person is None and not self.state.quota.allow(self.group):
            return  # counted, and said in one line for the address (say_what_was_held_back)
        claimed = f" claimed={self.claimed!r}" if self.claimed else ""
        client = self.conn.get_extra_info("client_version") if self.conn is not None else None
        earlier = self._earlier_refusals()
        refused_keys = ",".join(self.refused_fingerprints) if person is None else ""
        self.state.log.info(
            "user=%s key=%s addr=%s:%d%s client=%r duration=%.1fs sessions=%d%s%s%s ended=%r",
            person.name if person else "-",
            person.fingerprint if person else "-",
            self.address,
            self.port,
            claimed,
            str(client or "-")[:48],
            time.monotonic() - self.started,
            self.sessions,
            f" rooms={', '.join(self.rooms)!r}" if self.rooms else "",
            f" refused_keys={refused_keys}" if refused_keys else "",
            f" refused={earlier!r}" if earlier else "",
            self.ended,
        )

    def refuse(self, reason: str) -> None:
        """Something asked for was refused: the last word for the log line, and counted."""
        self.ended = f"refused: {reason}"
        if reason in self.refusals or len(self.refusals) < 8:
            self.refusals[reason] = self.refusals.get(reason, 0) + 1
        else:
            self.refusals["other"] = self.refusals.get("other", 0) + 1

    def _earlier_refusals(self) -> str:
        """The refusals that the line's `ended` does not already say (limits hit on the way)."""
        counts = dict(self.refusals)
        last = self.ended.removeprefix("refused: ")
        if self.ended.startswith("refused: ") and counts.get(last):
            counts[last] -= 1
        return ", ".join(f"{n}x {why}" for why, n in counts.items() if n)

    # -- who -----------------------------------------------------------------------------
    def begin_auth(self, username: str) -> bool:
        self.claimed = username[:64]
        return not self.state.config.no_auth

    def auth_completed(self) -> None:
        self.state.logging_in.leave(self)
        person = GUEST if self.state.config.no_auth else self.candidate
        assert person is not None
        self.person = person
        self.state.throttle.succeeded(self.group)
        self.ended = "logged in, no session"
        held = self.state.held[person.name]
        if held >= self.state.connections_per_person:
            self.refuse(f"{person.name}'s connection limit ({held} open)")
            if self.conn is not None:
                self.conn.close()
            return
        self.state.held.add(person.name)
        self.counted = True
        # Nothing to do here but the advisor: a connection without an app running (`ssh -N`,
        # forwarding only, channels left unused) is closed after a while.
        self._later(NO_APP_TIMEOUT, self._close_if_unused)

    def _close_if_unused(self) -> None:
        if not self.running and not self.lost and self.conn is not None:
            if not self.ended.startswith("refused"):
                self.ended = (
                    f"closed: no app running for {NO_APP_TIMEOUT:g}s"
                    if self.sessions
                    else "closed: no session opened"
                )
            self.conn.close()

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        keys = self.state.prepared.keys
        person = keys.match(key, self.address) if keys is not None else None
        if person is not None:
            self.candidate = person  # the key that signs next is the one checked last
            return True
        self.refused_keys += 1
        if len(self.refused_fingerprints) < 3:
            self.refused_fingerprints.append(key.get_fingerprint("sha256"))
        delay = self.state.throttle.failed(self.group)
        if delay:
            await asyncio.sleep(delay)
        return False

    # -- what: only the advisor -------------------------------------------------------------
    def session_requested(self) -> tuple[AdvisorChannel, AdvisorProcess] | bool:
        if self.conn is None:
            return False
        if self.channels >= MAX_CHANNELS:
            self.refuse(f"more than {MAX_CHANNELS} session channels at once")
            return False
        self.channels += 1
        return AdvisorChannel.make(self.conn), AdvisorProcess(self.run_session, self)

    def channel_closed(self) -> None:
        self.channels = max(0, self.channels - 1)

    def connection_requested(self, *args: Any) -> bool:
        self.refuse("TCP forwarding")
        return False

    def server_requested(self, *args: Any) -> bool:
        self.refuse("TCP forwarding")
        return False

    def unix_connection_requested(self, *args: Any) -> bool:
        self.refuse("forwarding")
        return False

    def unix_server_requested(self, *args: Any) -> bool:
        self.refuse("forwarding")
        return False

    def tun_requested(self, *args: Any) -> bool:
        self.refuse("tunnel")
        return False

    def tap_requested(self, *args: Any) -> bool:
        self.refuse("tunnel")
        return False

    async def _run(
        self, process: AdvisorProcess, folder: Path, seat: Seat, room: Room | None
    ) -> str:
        """The app, between a log line when it starts and one when it ends."""
        assert self.person is not None
        who = f"user={self.person.name} key={self.person.fingerprint} addr={seat.address}"
        joining = f" room={room.code}" if room is not None else ""
        self.state.log.info("%s session=%d started%s", who, seat.id, joining)
        started = time.monotonic()
        ended = "error"
        try:
            ended = await run_app(
                process,
                self.state.config,
                self.person,
                folder,
                seat,
                self.state.hub,
                self.local,
                room,
                self.state.warm,
            )
            return ended
        finally:
            rooms = seat.link.history if seat.link is not None else []
            self.rooms += rooms
            self.state.log.info(
                "%s session=%d ended=%r duration=%.1fs%s",
                who,
                seat.id,
                ended,
                time.monotonic() - started,
                f" rooms={', '.join(rooms)!r}" if rooms else "",
            )

    async def _no_such_room(self, process: AdvisorProcess) -> None:
        """A join with a code that names no room: one line, and slowed down like a refused
        key (room codes are not to be guessed)."""
        self.refuse("no such room")
        delay = self.state.throttle.failed(self.group)
        if delay:
            await asyncio.sleep(delay)
        with contextlib.suppress(Exception):
            process.stdout.write(
                b"advisor: there is no room by that code here (it may have ended); check "
                b"the command with the presenter.\r\n"
            )
            process.exit(1)

    def _turn_away(
        self, process: AdvisorProcess, reason: str, message: str, stream: Any = None
    ) -> None:
        """Refuse this session: its reason in the log line, one message to the person."""
        self.refuse(reason)
        (stream if stream is not None else process.stdout).write(message.encode())
        process.exit(1)

    def _connect_hint(self) -> str:
        host = f"[{self.local}]" if ":" in self.local else self.local
        return f"ssh -t -p {self.state.port} {host}"

    async def run_session(self, process: AdvisorProcess) -> None:
        self.sessions += 1
        self.running += 1
        try:
            await self._session(process)
        finally:
            self.running -= 1
            if self.lost and not self.running:
                self._log_line()
            elif not self.running:
                self._later(NO_APP_TIMEOUT, self._close_if_unused)

    async def _session(self, process: AdvisorProcess) -> None:
        config = self.state.config
        try:
            if process.command is not None:
                hint = self._connect_hint()
                message = f"advisor: commands are not allowed here, only the advisor: {hint}\r\n"
                return self._turn_away(process, "command", message, process.stderr)
            if process.term_type is None:
                message = (
                    f"advisor: this is an interactive app and needs a terminal: use ssh -t "
                    f"({self._connect_hint()})\n"
                )
                return self._turn_away(process, "no pty", message, process.stderr)
            if self.state.stopping:
                message = "advisor: the server is shutting down.\r\n"
                return self._turn_away(process, "server stopping", message)
            assert self.person is not None
            name, per_person = self.person.name, self.state.per_person
            held = self.state.sessions_of(name)
            if held >= per_person:
                message = (
                    f"advisor: you already have {held} session(s) open, as many as one person "
                    f"may here; please close one first.\r\n"
                )
                limit = f"{name}'s session limit ({per_person} at once)"
                return self._turn_away(process, limit, message)
            if len(self.state.seats) >= config.max_sessions:
                message = (
                    f"advisor: sorry, all {config.max_sessions} seats are taken right now; "
                    f"please try again in a few minutes.\r\n"
                )
                limit = f"session limit (all {config.max_sessions} seats taken)"
                return self._turn_away(process, limit, message)
            try:
                folder = person_folder(config.profiles_dir, self.person.name)
            except (FolderError, OSError) as error:
                message = (
                    "advisor: your profiles folder is not available; please tell the "
                    "facilitator.\r\n"
                )
                return self._turn_away(process, f"profiles folder ({error})", message)
            room: Room | None = None
            if wants_a_room(self.claimed):
                room = find_room(self.state.hub, str(self.claimed))
                if room is None:
                    await self._no_such_room(process)
                    return
            seat = Seat(name, next(self.state.session_ids), f"{self.address}:{self.port}")
            self.state.seats.add(seat)
            try:
                if room is not None and room.approval:
                    refusal = await let_in(
                        self.state.hub,
                        room,
                        seat.id,
                        name,
                        process.stdout.write,
                        lambda: process.stdin.read(64),
                        process.wait_closed(),
                    )
                    if refusal is not None:
                        self.refuse(f"not let into room {room.code}")
                        with contextlib.suppress(Exception):
                            process.stdout.write(refusal.encode())
                            process.exit(1)
                        return
                self.ended = await self._run(process, folder, seat, room)
            finally:
                self.state.seats.discard(seat)
        except Exception as error:  # a bug or a system limit: say so, end this session only
            # One line, no traceback: what went wrong and where.
            self.ended = f"error: {error!r} at {where(error)}"
            with contextlib.suppress(Exception):
                process.stdout.write(
                    b"advisor: something went wrong on the server; please tell the facilitator.\r\n"
                )
            with contextlib.suppress(Exception):
                process.exit(1)
