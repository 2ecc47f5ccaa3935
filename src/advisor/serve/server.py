"""The SSH server: every connection gets the advisor, and nothing else.

- Who: public-key authentication against an authorized_keys file; a person is who their key
  says (see keys.py, people.py), never the username the client claims.
- What: a shell request with a pty runs `advisor --profiles-dir PROFILES_DIR/<person>` in its
  own process on its own pty (app_process.py); the client's TERM, size and resizes reach it,
  its exit status ends the session. Exec requests get a one-line refusal and status 1;
  subsystems (sftp), TCP/IP and Unix forwarding, agent and X11 forwarding are refused.
- When it ends: the app quits; or the client goes away (the app gets SIGHUP, then SIGKILL
  after a grace period); or no input for --idle-timeout; or the server stops.
- Limits: --max-sessions apps at once (a newcomer gets a polite line), --max-per-person for
  one person (never every seat); connections logging in, per address and in all, channels per
  connection (limits.py); failed logins from one address are slowed down (throttle.py); the
  terminal size is clamped (app_process.py); one log line per connection, and one line per
  address for a flood of connections that never log in.
- Algorithms: a short modern list (KEX_ALGS and the rest below) that ssh-audit passes and
  OpenSSH, PuTTY and Dropbear clients all speak.

This module starts, announces, runs and stops the listener. The checks before it are in
prepare.py, each connection in connection.py, each session's app in session.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh

from advisor import __version__
from advisor.serve.app_process import warm_environment
from advisor.serve.config import ServeConfig
from advisor.serve.connection import AdvisorConnection
from advisor.serve.people import GUEST
from advisor.serve.prepare import Prepared, ServeError, prepare
from advisor.serve.state import ServerState, where
from advisor.serve.status import EVERY as STATUS_EVERY
from advisor.serve.status import remove_status, status_file, write_status
from advisor.serve.warm import WarmParent

LOGIN_TIMEOUT = 30.0
KEEPALIVE = 10.0  # a client that vanished without a word is noticed within ~3 of these
QUOTA_EVERY = 5.0  # seconds between looks for log lines held back (limits.LogQuota)

# What the server offers: a short modern list, not every algorithm asyncssh knows (ssh-audit
# fails SHA-1, small or NIST-curve key exchanges; Dropbear's client reads only the first 20
# entries of a list). Every client known to work has curve25519 key exchange and
# chacha20-poly1305 or AES-CTR/GCM: OpenSSH 6.5+ (mlkem768x25519, post-quantum, from 9.9),
# PuTTY 0.68+, Dropbear 2020.79+ (it has neither ETM MACs nor GCM: chacha20-poly1305 needs no
# MAC; its AES-CTR needs hmac-sha2-256, which ssh-audit warns about, not fails).
#
# The client's order picks the algorithm; the server's first key exchange only matters to a
# client that sends its first key exchange packet on a guess (Dropbear's dbclient, with
# curve25519-sha256 first). RFC 4253 calls the guess right only when both lists start
# alike, and asyncssh takes it as right whenever the client's first choice wins: when the
# two disagree, the key exchange fails. So curve25519-sha256 comes first here.
KEX_ALGS = ["curve25519-sha256", "mlkem768x25519-sha256", "curve25519-sha256@libssh.org"]
ENCRYPTION_ALGS = [
    "chacha20-poly1305@openssh.com",
    "aes256-gcm@openssh.com",
    "aes128-gcm@openssh.com",
    "aes256-ctr",
    "aes128-ctr",
]
MAC_ALGS = [
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512-etm@openssh.com",
    "umac-128-etm@openssh.com",
    "hmac-sha2-256",
]
# No compression: a TUI's frames are small, and zlib would inflate whatever a client sends.
COMPRESSION_ALGS = ["none"]
# The signatures accepted from people's keys (and announced in server-sig-algs): no SHA-1.
SIGNATURE_ALGS = [
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "rsa-sha2-512",
    "rsa-sha2-256",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
]


def _announce(prepared: Prepared, port: int) -> None:
    config = prepared.config
    out = sys.stderr
    fingerprint = prepared.host_key.get_fingerprint("sha256")
    made = "new, " if prepared.host_key_created else ""
    print(f"advisor serve: listening on {config.host}:{port}", file=out)
    print(f"  host key ({made}{config.host_key}): {fingerprint}", file=out)
    print(f"  profiles: {config.profiles_dir}/<person>/", file=out)
    if config.team_profiles is not None:
        print(f"  team profiles (read-only for everyone): {config.team_profiles}/", file=out)
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
    quiet_the_libraries(prepared.log)
    acceptor = await asyncssh.create_server(
        lambda: AdvisorConnection(state),
        config.host,
        config.port,
        server_host_keys=[prepared.host_key],
        server_version=f"advisor_{__version__}",
        kex_algs=KEX_ALGS,
        encryption_algs=ENCRYPTION_ALGS,
        mac_algs=MAC_ALGS,
        compression_algs=COMPRESSION_ALGS,
        signature_algs=SIGNATURE_ALGS,
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
    state.port = state.hub.port = port
    return acceptor, state, port


def quiet_the_libraries(log: logging.Logger) -> None:
    """No tracebacks and no noise from asyncssh or asyncio in the server's log.

    asyncssh reports each connection's troubles at debug level (the connection's own line says
    how it ended); asyncio's "socket.send() raised exception." only says that a client left
    while output was on its way to it; anything else asyncio would print as a traceback (an
    exception nobody awaited) becomes one line.
    """
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    logging.getLogger("asyncio").addFilter(_NoSendNoise())
    loop = asyncio.get_running_loop()

    def one_line(_: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        what = f"{error!r} at {where(error)}" if error is not None else ""
        log.warning("internal: %s %s", context.get("message", "?"), what)

    loop.set_exception_handler(one_line)


class _NoSendNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("socket.send() raised exception")


async def _say_what_was_held_back(state: ServerState) -> None:
    while True:
        await asyncio.sleep(QUOTA_EVERY)
        state.say_what_was_held_back()


async def shutdown(acceptor: asyncssh.SSHAcceptor, state: ServerState) -> None:
    """Stop listening; tell every app first (each keeps a draft of unsaved changes), then end
    every session (their apps too), close every connection."""
    state.stopping = True
    acceptor.close()
    await state.hub.shutdown()
    for seat in list(state.seats):
        seat.stop.set()
    await _until(lambda: not state.seats, state.config.hangup_grace + 3)
    # Clients leave once their session has said goodbye; then close whatever is left.
    await _until(lambda: not any(c.running for c in state.connections), 2)
    for connection in list(state.connections):
        if connection.conn is not None:
            connection.conn.close()
    await _until(lambda: not state.connections, 2)
    if state.warm is not None:
        await state.warm.stop()
    state.say_what_was_held_back(everything=True)


def status(state: ServerState) -> dict[str, Any]:
    """Who is connected and in which room, for `advisor serve --status` (status.py)."""
    sessions = []
    for seat in sorted(state.seats, key=lambda seat: seat.id):
        where = state.hub.room_of(seat.id)
        sessions.append(
            {
                "session": seat.id,
                "person": seat.person,
                "address": seat.address,
                "since": seat.started,
                "room": where[0] if where else None,
                "role": where[1] if where else None,
            }
        )
    rooms = [
        {
            "code": room.code,
            "presenter": room.names.get(room.presenter.id, room.presenter.name),
            "members": room.shown_names(),
            "join": room.join,
        }
        for room in state.hub.rooms
    ]
    host = f"[{state.config.host}]" if ":" in state.config.host else state.config.host
    return {
        "pid": os.getpid(),
        "listen": f"{host}:{state.port}",
        "started": state.started,
        "sessions": sessions,
        "rooms": rooms,
    }


async def _keep_status(state: ServerState, path: Path) -> None:
    written: dict[str, Any] | None = None
    while True:
        now = status(state)
        if now != written:
            # Written here, not in a thread: a thread still writing when the server stops
            # would put the file back after it was removed (a small file, a millisecond).
            write_status(path, now)
            written = now
        await asyncio.sleep(STATUS_EVERY)


async def _warm_up(state: ServerState) -> None:
    """Start the warm parent the apps fork from (warm.py); until it is ready, and if it
    cannot be, each app starts in a fresh interpreter."""
    warm = WarmParent(state.config.app_command[0], warm_environment(), state.log)
    if await warm.start():
        state.warm = warm
        print(f"  warm parent ready (pid {warm.pid}): apps fork from it", file=sys.stderr)
        sys.stderr.flush()


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
    quota = asyncio.create_task(_say_what_was_held_back(state))
    status_path = status_file(prepared.config.host_key.parent, port)
    keeping = asyncio.create_task(_keep_status(state, status_path))
    warming = asyncio.create_task(_warm_up(state)) if prepared.config.warm else None
    try:
        await stop.wait()
        print("advisor serve: stopping…", file=sys.stderr, flush=True)
    finally:
        quota.cancel()
        keeping.cancel()
        remove_status(status_path)
        if warming is not None:
            warming.cancel()
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
