"""One client connection: who they are, what they may do, and its one log line.

AdvisorConnection is asyncssh's per-connection server object. It authenticates by public key
(or lets everyone in as GUEST with --no-auth), refuses every kind of forwarding, and turns a
session request into the advisor app (session.py), or into a one-line refusal: a command, no
pty, the server stopping, every seat taken, no profiles folder. ServerState is what all
connections share: the configuration, the log, the failed-login throttle and the seats.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import asyncssh

from advisor.serve.people import GUEST, FolderError, Person, person_folder
from advisor.serve.prepare import Prepared
from advisor.serve.session import AdvisorProcess, Seat, run_app
from advisor.serve.throttle import FailedLogins

MAX_PENDING = 64  # connections not yet logged in, at once
NO_SESSION_TIMEOUT = 30.0  # seconds a logged-in connection may go without opening a session


class ServerState:
    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.config = prepared.config
        self.log = prepared.log
        self.throttle = FailedLogins(self.config.fail_delay, self.config.fail_delay_max)
        self.seats: set[Seat] = set()
        self.connections: set[AdvisorConnection] = set()
        self.pending = 0
        self.stopping = False
        self.port = self.config.port  # the port bound (when asked for 0, set once listening)


class AdvisorConnection(asyncssh.SSHServer):
    """One client connection: who they are, what they may do, and its log line."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = "?"
        self.port = 0
        self.local = "127.0.0.1"
        self.started = time.monotonic()
        self.claimed = ""
        self.candidate: Person | None = None
        self.person: Person | None = None
        self.refused_keys = 0
        self.sessions = 0
        self.ended = "closed before logging in"
        self.counted_pending = False
        self.running = 0  # sessions still in their handler
        self.lost = False

    # -- the connection ----------------------------------------------------------------
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.address, self.port = str(peer[0]), int(peer[1])
        sock = conn.get_extra_info("sockname") or ("127.0.0.1", 0)
        self.local = str(sock[0])
        self.state.connections.add(self)
        if self.state.pending >= MAX_PENDING or self.state.stopping:
            self.ended = "refused: too many connections logging in at once"
            conn.close()
            return
        self.state.pending += 1
        self.counted_pending = True

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.connections.discard(self)
        self._not_pending()
        if self.person is None and self.refused_keys:
            self.ended = f"login failed ({self.refused_keys} key(s) refused)"
        self.lost = True
        if not self.running:  # else the last session to end writes the line
            self._log_line()

    def _log_line(self) -> None:
        person = self.person
        claimed = f" claimed={self.claimed!r}" if self.claimed else ""
        self.state.log.info(
            "user=%s key=%s addr=%s:%d%s duration=%.1fs sessions=%d ended=%r",
            person.name if person else "-",
            person.fingerprint if person else "-",
            self.address,
            self.port,
            claimed,
            time.monotonic() - self.started,
            self.sessions,
            self.ended,
        )

    def _not_pending(self) -> None:
        if self.counted_pending:
            self.counted_pending = False
            self.state.pending -= 1

    # -- who -----------------------------------------------------------------------------
    def begin_auth(self, username: str) -> bool:
        self.claimed = username
        return not self.state.config.no_auth

    def auth_completed(self) -> None:
        self._not_pending()
        self.person = GUEST if self.state.config.no_auth else self.candidate
        self.state.throttle.succeeded(self.address)
        self.ended = "logged in, no session"
        # Nothing to do here but the advisor: a connection that opens no session (`ssh -N`,
        # forwarding only) is closed after a while.
        asyncio.get_running_loop().call_later(NO_SESSION_TIMEOUT, self._close_if_unused)

    def _close_if_unused(self) -> None:
        if not self.sessions and not self.lost and self.conn is not None:
            if not self.ended.startswith("refused"):
                self.ended = "closed: no session opened"
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
        delay = self.state.throttle.failed(self.address)
        if delay:
            await asyncio.sleep(delay)
        return False

    # -- what: only the advisor -------------------------------------------------------------
    def session_requested(self) -> AdvisorProcess:
        return AdvisorProcess(self.run_session)

    def connection_requested(self, *args: Any) -> bool:
        self.ended = "refused: TCP forwarding"
        return False

    def server_requested(self, *args: Any) -> bool:
        self.ended = "refused: TCP forwarding"
        return False

    def unix_connection_requested(self, *args: Any) -> bool:
        self.ended = "refused: forwarding"
        return False

    def unix_server_requested(self, *args: Any) -> bool:
        self.ended = "refused: forwarding"
        return False

    def tun_requested(self, *args: Any) -> bool:
        self.ended = "refused: tunnel"
        return False

    def tap_requested(self, *args: Any) -> bool:
        self.ended = "refused: tunnel"
        return False

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

    async def _session(self, process: AdvisorProcess) -> None:
        config = self.state.config
        try:
            if process.command is not None:
                self.ended = "refused: command"
                process.stderr.write(
                    b"advisor: commands are not allowed here, only the advisor: "
                    + f"{self._connect_hint()}\r\n".encode()
                )
                process.exit(1)
                return
            if process.term_type is None:
                self.ended = "refused: no pty"
                process.stderr.write(
                    f"advisor: this is an interactive app and needs a terminal: use ssh -t "
                    f"({self._connect_hint()})\n".encode()
                )
                process.exit(1)
                return
            if self.state.stopping:
                self.ended = "refused: server stopping"
                process.stdout.write(b"advisor: the server is shutting down.\r\n")
                process.exit(1)
                return
            if len(self.state.seats) >= config.max_sessions:
                self.ended = "refused: session limit"
                process.stdout.write(
                    f"advisor: sorry, all {config.max_sessions} seats are taken right now; "
                    f"please try again in a few minutes.\r\n".encode()
                )
                process.exit(1)
                return
            assert self.person is not None
            try:
                folder = person_folder(config.profiles_dir, self.person.name)
            except (FolderError, OSError) as error:
                self.ended = f"refused: profiles folder ({error})"
                process.stdout.write(
                    b"advisor: your profiles folder is not available; please tell the "
                    b"facilitator.\r\n"
                )
                process.exit(1)
                return
            seat = Seat()
            self.state.seats.add(seat)
            try:
                self.ended = await run_app(process, config, self.person, folder, seat)
            finally:
                self.state.seats.discard(seat)
        except Exception as error:  # a bug or a system limit: say so, end this session only
            self.ended = f"error: {error!r}"
            self.state.log.exception("session error for %s:%d", self.address, self.port)
            with contextlib.suppress(Exception):
                process.stdout.write(
                    b"advisor: something went wrong on the server; please tell the facilitator.\r\n"
                )
            with contextlib.suppress(Exception):
                process.exit(1)
