"""The SSH server: every connection gets the advisor, and nothing else.

- Who: public-key authentication against an authorized_keys file; a person is who their key
  says (see keys.py, people.py), never the username the client claims.
- What: a shell request with a pty runs `advisor --profiles-dir PROFILES_DIR/<person>` in its
  own process on its own pty (app_process.py); the client's TERM, size and resizes reach it,
  its exit status ends the session. Exec requests get a one-line refusal and status 1;
  subsystems (sftp), TCP/IP and Unix forwarding, agent and X11 forwarding are refused.
- When it ends: the app quits; or the client goes away (the app gets SIGHUP, then SIGKILL
  after a grace period); or no input for --idle-timeout; or the server stops.
- Limits: --max-sessions apps at once (a newcomer gets a polite line), failed logins from
  one address are slowed down (throttle.py), one log line per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import ipaddress
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import asyncssh

from advisor import __version__
from advisor.serve.app_process import app_environment, safe_term, spawn_app
from advisor.serve.config import ServeConfig
from advisor.serve.keys import AuthorizedKeys, KeyFileError, load_or_create_host_key
from advisor.serve.people import FolderError, Person, person_folder
from advisor.serve.throttle import FailedLogins

GUEST = Person("guest", "-")
MAX_PENDING = 64  # connections not yet logged in, at once
LOGIN_TIMEOUT = 30.0
NO_SESSION_TIMEOUT = 30.0  # seconds a logged-in connection may go without opening a session
KEEPALIVE = 10.0  # a client that vanished without a word is noticed within ~3 of these
# What Textual turns on, turned off again: used when the server ends an app itself.
RESET_TERMINAL = (
    b"\x1b[<u\x1b[?2048l\x1b[?2004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    b"\x1b[?1004l\x1b[?7h\x1b[0m\x1b[?1049l\x1b[?25h\r\n"
)


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


@dataclass
class Prepared:
    """Everything checked and loaded before listening."""

    config: ServeConfig
    host_key: asyncssh.SSHKey
    host_key_created: bool
    keys: AuthorizedKeys | None  # None with --no-auth
    log: logging.Logger


def is_loopback(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    addresses = {str(info[4][0]).split("%", 1)[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def connection_logger(log_file: str | os.PathLike[str] | None) -> logging.Logger:
    log = logging.getLogger("advisor.serve")
    log.setLevel(logging.INFO)
    log.propagate = False
    for old in list(log.handlers):
        log.removeHandler(old)
        old.close()
    handler: logging.Handler = (
        logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter("%(asctime)s advisor-serve %(message)s"))
    log.addHandler(handler)
    return log


def prepare(config: ServeConfig) -> Prepared:
    """Check the configuration and load the keys; raises ServeError with what to do."""
    if not 0 <= config.port <= 65535:
        raise ServeError(f"--port {config.port} is not a port number (0-65535)")
    if config.max_sessions < 1:
        raise ServeError("--max-sessions must be at least 1")
    if config.idle_timeout < 0 or config.fail_delay < 0 or config.fail_delay_max < 0:
        raise ServeError("--idle-timeout and the failed-login delays cannot be negative")
    config = dataclasses.replace(config, profiles_dir=config.profiles_dir.absolute())
    keys: AuthorizedKeys | None = None
    if config.no_auth:
        if not is_loopback(config.host):
            raise ServeError(
                f"--no-auth lets anyone in, so it is only allowed on a loopback address "
                f"(127.0.0.1 or ::1), not on {config.host!r}"
            )
    else:
        keys = AuthorizedKeys(config.authorized_keys)
        try:
            keys.load()
        except KeyFileError as error:
            raise ServeError(
                f"{error}.\nAdd one line per person to an authorized_keys file "
                f"(`ssh-ed25519 AAAA... alice`) and pass it with --authorized-keys FILE "
                f"(or, to try it alone on this machine, --no-auth)"
            ) from None
        if not len(keys):
            raise ServeError(
                f"no usable public key in {config.authorized_keys}: add one line per person "
                f"(`ssh-ed25519 AAAA... alice`; the comment names them), or, to try it alone "
                f"on this machine, --no-auth"
            )
    try:
        host_key, created = load_or_create_host_key(config.host_key)
    except KeyFileError as error:
        raise ServeError(str(error)) from None
    try:
        log = connection_logger(config.log_file)
    except OSError as error:
        raise ServeError(f"cannot write the log {config.log_file}: {error.strerror}") from None
    return Prepared(config, host_key, created, keys, log)


@dataclass(eq=False)
class _Seat:
    """A running session, so that a shutdown can end it."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)


class ServerState:
    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.config = prepared.config
        self.log = prepared.log
        self.throttle = FailedLogins(self.config.fail_delay, self.config.fail_delay_max)
        self.seats: set[_Seat] = set()
        self.connections: set[AdvisorConnection] = set()
        self.pending = 0
        self.stopping = False
        self.port = self.config.port  # the port bound (when asked for 0, set once listening)


class AdvisorProcess(asyncssh.SSHServerProcess[bytes]):
    """A session channel that notes when the client last typed, and refuses subsystems."""

    def __init__(self, handler: Callable[[AdvisorProcess], Any]) -> None:
        super().__init__(handler, None, 0, False)  # type: ignore[arg-type]
        self.last_input = time.monotonic()

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        super().data_received(data, datatype)

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # sftp and everything else

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass  # a client does not get to signal the app


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
            seat = _Seat()
            self.state.seats.add(seat)
            try:
                self.ended = await self._run_app(process, folder, seat)
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

    async def _run_app(self, process: AdvisorProcess, folder: Any, seat: _Seat) -> str:
        config = self.state.config
        assert self.person is not None
        columns, rows, _, _ = process.term_size
        env = app_environment(
            safe_term(process.term_type), config.colorterm, process.env, self.person.name
        )
        app = await spawn_app(
            [*config.app_command, "--profiles-dir", str(folder)], env, columns, rows, folder
        )
        try:
            process.set_redirect_pid(app.pid)
            # Two copies of the master: asyncssh closes each side on its own.
            # The app's end is not the channel's: the exit status (or a last word) follows.
            await process.redirect(
                stdin=os.dup(app.master), stdout=os.dup(app.master), send_eof=False
            )
            waits = {
                asyncio.ensure_future(app.process.wait()): "app",
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
                status = app.process.returncode or 0
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
                text = (
                    f"advisor: session closed after {_duration(config.idle_timeout)} without input."
                )
                how = f"idle for {config.idle_timeout:g}s"
            else:
                text = "advisor: the server is shutting down. Thank you!"
                how = "server stopped"
            with contextlib.suppress(Exception):
                process.stdout.write(RESET_TERMINAL + text.encode() + b"\r\n")
            with contextlib.suppress(Exception):
                process.exit(1)
            return how
        finally:
            if app.running:  # cancelled or failed above: never leave the app behind
                await app.stop(config.hangup_grace)
            app.close()
            with contextlib.suppress(Exception):  # asyncssh's own clean-up of the redirects
                await asyncio.wait_for(process.wait_closed(), 2)


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} seconds"


async def _idle(process: AdvisorProcess, timeout: float) -> None:
    while (left := process.last_input + timeout - time.monotonic()) > 0:
        await asyncio.sleep(left)


def _announce(prepared: Prepared, port: int) -> None:
    config = prepared.config
    out = sys.stderr
    fingerprint = prepared.host_key.get_fingerprint("sha256")
    made = "new, " if prepared.host_key_created else ""
    print(f"advisor serve: listening on {config.host}:{port}", file=out)
    print(f"  host key ({made}{config.host_key}): {fingerprint}", file=out)
    print(f"  profiles: {config.profiles_dir}/<person>/", file=out)
    if prepared.keys is not None:
        people = prepared.keys.people()
        print(
            f"  {len(prepared.keys)} key(s) in {config.authorized_keys}: {', '.join(people)}",
            file=out,
        )
        for warning in prepared.keys.warnings:
            print(f"  {config.authorized_keys}: {warning}", file=out)
    host = f"[{config.host}]" if ":" in config.host else config.host
    print(f"  connect with: ssh -t -p {port} {host}   (ctrl+c here stops the server)", file=out)
    if config.no_auth:
        bar = "!" * 72
        print(
            f"{bar}\n!! WARNING: --no-auth: ANYONE who can reach {config.host}:{port} gets in,"
            f" no key asked.\n!! Everyone shares the profiles in "
            f"{config.profiles_dir}/{GUEST.name}/.\n{bar}",
            file=out,
        )
    out.flush()


async def start(prepared: Prepared) -> tuple[asyncssh.SSHAcceptor, ServerState, int]:
    """Listen; (the listener, the shared state, the port actually bound)."""
    state = ServerState(prepared)
    config = prepared.config
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    acceptor = await asyncssh.create_server(
        lambda: AdvisorConnection(state),
        config.host,
        config.port,
        server_host_keys=[prepared.host_key],
        server_version=f"advisor_{__version__}",
        encoding=None,
        line_editor=False,
        allow_pty=True,
        allow_scp=False,
        agent_forwarding=False,
        x11_forwarding=False,
        password_auth=False,
        kbdint_auth=False,
        host_based_auth=False,
        gss_host=None,
        public_key_auth=not config.no_auth,
        login_timeout=LOGIN_TIMEOUT,
        keepalive_interval=KEEPALIVE,
        keepalive_count_max=3,
        reuse_address=True,
    )
    port = int(acceptor.sockets[0].getsockname()[1]) if config.port == 0 else config.port
    state.port = port
    return acceptor, state, port


async def shutdown(acceptor: asyncssh.SSHAcceptor, state: ServerState) -> None:
    """Stop listening, end every session (their apps too), close every connection."""
    state.stopping = True
    acceptor.close()
    for seat in list(state.seats):
        seat.stop.set()
    await _until(lambda: not state.seats, state.config.hangup_grace + 3)
    # Clients leave once their session has said goodbye; then close whatever is left.
    await _until(lambda: not any(c.running for c in state.connections), 2)
    for connection in list(state.connections):
        if connection.conn is not None:
            connection.conn.close()
    await _until(lambda: not state.connections, 2)


async def _until(done: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


async def serve(prepared: Prepared) -> None:
    acceptor, state, port = await start(prepared)
    _announce(prepared, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
        print("advisor serve: stopping…", file=sys.stderr, flush=True)
    finally:
        await shutdown(acceptor, state)


def run(config: ServeConfig) -> int:
    try:
        prepared = prepare(config)
    except ServeError as error:
        print(f"advisor serve: {error}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(prepared))
    except OSError as error:  # e.g. the port is taken
        print(
            f"advisor serve: cannot listen on {config.host}:{config.port}: {error}", file=sys.stderr
        )
        return 2
    return 0
