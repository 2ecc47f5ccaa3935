"""`advisor serve` held under abuse: what one address, connection or person can hold open.

Raw sockets for connections that never log in, asyncssh's client for what OpenSSH will not
send (22 channels on one connection, absurd terminal sizes, floods of window changes and
environment variables), the real OpenSSH client for the person who must still get in. All
traffic stays on 127.0.0.0/8; every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
from tests.ssh.helpers import (
    WELCOME,
    Keys,
    Tmux,
    alive,
    environ,
    parent,
    rss_kb,
    run_ssh,
    running_server,
    ssh_command,
    until,
    wait_until,
)

from advisor.serve.app_process import MAX_COLUMNS, MAX_ROWS
from advisor.serve.limits import HELLO_TIMEOUT, MAX_CHANNELS, PENDING


def raw(port: int, source: str = "127.0.0.1", hello: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    if hello:
        sock.sendall(hello)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """The server closed this connection (what it sent before is read and dropped)."""
    try:
        while data := sock.recv(65536, socket.MSG_DONTWAIT):
            del data
        return True  # end of file
    except BlockingIOError:
        return False
    except OSError:
        return True  # reset


@contextlib.contextmanager
def sockets() -> Iterator[list[socket.socket]]:
    held: list[socket.socket] = []
    try:
        yield held
    finally:
        for sock in held:
            sock.close()


def test_silent_and_stalled_connections_lock_nobody_out(tmp_path: Path, keys: Keys) -> None:
    """More silent connections than ever fit, from the person's own address and from others,
    some of them still being opened while the person logs in: the person gets in at once,
    the server closes the silent ones itself, and the log says so in a few lines."""
    with running_server(tmp_path, keys.authorized("alice")) as server, sockets() as held:
        for _ in range(80):  # silent, from the person's own address
            held.append(raw(server.port))
        for _ in range(20):  # said which SSH they speak, then nothing (a slow loris)
            held.append(raw(server.port, hello=b"SSH-2.0-slowloris\r\n"))
        for n in range(PENDING + 40):  # from many other addresses: more than fit in all
            held.append(raw(server.port, source=f"127.0.{1 + n // 200}.{1 + n % 200}"))
        stop = threading.Event()

        def more() -> None:  # and still more, every few milliseconds, while alice logs in
            for _ in range(400):
                if stop.wait(0.005):
                    return
                with contextlib.suppress(OSError):
                    held.append(raw(server.port))

        opener = threading.Thread(target=more)
        opener.start()
        try:
            for _ in range(3):
                done = run_ssh(server.port, keys["alice"], "-T")
                assert done.returncode == 1 and "use ssh -t" in done.stderr, done.stderr
        finally:
            stop.set()
            opener.join(10)
        server.wait_for_log("room made for a newer connection")
        assert "user=alice" in server.log()
        # Every silent connection is closed by the server before long, none left hanging.
        wait_until(
            lambda: all(closed_by_server(s) for s in held),
            HELLO_TIMEOUT + 25,
            "the server to close every silent connection",
            every=0.5,
        )
        # A few hundred connections, a few lines: the rest is counted, one line per address.
        server.wait_for_log("more connection(s) ended before logging in", timeout=15)
        assert len(server.log().splitlines()) < 100
    assert "socket.send() raised exception" not in server.stderr()


async def _connect(port: int, key: Path, **options: object) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        username="guest",
        client_keys=[asyncssh.read_private_key(key)],
        known_hosts=None,
        **options,  # type: ignore[arg-type]
    )


async def _app(
    conn: asyncssh.SSHClientConnection, size: tuple[int, int] = (80, 24), **options: object
) -> asyncssh.SSHClientProcess[bytes]:
    return await conn.create_process(
        term_type="xterm-256color",
        term_size=size,
        encoding=None,
        **options,  # type: ignore[arg-type]
    )


async def _screen(process: asyncssh.SSHClientProcess[bytes], text: bytes = b"advisor") -> None:
    seen = b""
    while text not in seen:
        chunk = await process.stdout.read(65536)
        assert chunk, f"the session ended before {text!r}: {seen[-300:]!r}"
        seen = seen[-200:] + chunk


async def test_one_connection_or_one_person_cannot_take_every_seat(
    tmp_path: Path, keys: Keys, tmux: Tmux
) -> None:
    """22 sessions asked on one connection: at most MAX_CHANNELS channels, at most 3 apps
    (one person's share of 4 seats); bob still gets the seat kept for others. 12 connections
    from alice: at most 8 stay open. The log says each limit."""
    options = ("--max-sessions", "4", "--max-per-person", "3")
    with running_server(tmp_path, keys.authorized("alice", "bob"), *options) as server:
        alice = await _connect(server.port, keys["alice"])
        async with alice:
            tries = await asyncio.gather(*(_app(alice) for _ in range(22)), return_exceptions=True)
            opened = [t for t in tries if not isinstance(t, BaseException)]
            refused = [t for t in tries if isinstance(t, asyncssh.ChannelOpenError)]
            assert len(opened) == MAX_CHANNELS and len(refused) == 22 - MAX_CHANNELS, tries
            await until(lambda: len(server.apps()) == 3, 30, "alice's three apps")
            await asyncio.sleep(1)
            assert len(server.apps()) == 3  # not a fourth: one seat is kept for others

            tmux.start("bob", ssh_command(server.port, keys["bob"], "-t"))
            await until(lambda: WELCOME in tmux.screen("bob"), 30, "bob's first screen")
            assert len(server.apps()) == 4

            more = []
            for _ in range(12):
                with contextlib.suppress(OSError, asyncssh.Error):
                    more.append(await _connect(server.port, keys["alice"]))
            await asyncio.sleep(1)
            still_open = [c for c in more if c._transport is not None]
            assert len(still_open) <= 2 * 3 + 2 - 1  # 8 for alice, one of them is `alice`
            for conn in more:
                conn.close()
        tmux("send-keys", "-t", "bob", "C-q")
        assert tmux.exit_status("bob") == 0
        log = server.wait_for_log("alice's connection limit")
        line = next(x for x in log.splitlines() if "more than 4 session channels" in x)
        assert "user=alice" in line and "alice's session limit (3 at once)" in line


async def test_terminal_sizes_are_clamped_however_absurd_and_however_often(
    tmp_path: Path, keys: Keys
) -> None:
    with running_server(tmp_path, keys.authorized("alice")) as server:
        async with await _connect(server.port, keys["alice"]) as conn:
            process = await _app(conn, size=(9999, 9999))
            [app] = await until(server.apps, 30, "the app")
            assert server.terminal_size(app) == (MAX_COLUMNS, MAX_ROWS)
            await _screen(process)
            rss = rss_kb(app)
            assert rss < 200_000, f"{rss} kB for one app"  # 811 MB before the clamp

            for size, expected in [
                ((70000, 70000), (MAX_COLUMNS, MAX_ROWS)),
                ((120, 40), (120, 40)),
                ((0, 0), (120, 40)),  # 0: not known, nothing changes
                ((0, 33), (120, 33)),
                ((2**32 - 1, 2**31), (MAX_COLUMNS, MAX_ROWS)),
                ((2**31, 1), (MAX_COLUMNS, 1)),
                ((100, 30), (100, 30)),
            ]:
                process.change_terminal_size(*size)
                await asyncio.sleep(0.3)  # what is kept must stay kept
                await until(
                    lambda e=expected: server.terminal_size(app) == e,
                    5,
                    f"{expected} after asking for {size}",
                )
            # A flood of window changes: the last one is what the app ends up with.
            for n in range(20000):
                process.change_terminal_size(60 + n % 50, 20 + n % 10)
            process.change_terminal_size(101, 31)
            await until(lambda: server.terminal_size(app) == (101, 31), 10, "the last size")
            assert alive(server.process.pid)
            process.stdin.write(b"\x11")  # ctrl+q: the session is as usable as ever
            await until(lambda: process.exit_status is not None, 15, "the app to quit")
            assert process.exit_status == 0

            # Sizes past what fits in the client's 32 bits from the start, on a new channel.
            process = await _app(conn, size=(2**31, 2**32 - 1))
            [app] = await until(server.apps, 30, "the second app")
            assert server.terminal_size(app) == (MAX_COLUMNS, MAX_ROWS)
            await _screen(process)
            process.close()
        await until(lambda: not server.apps(), 10, "the apps to end")
        server.wait_for_log("client disconnected")


def test_the_openssh_clients_absurd_sizes_are_clamped_too(
    tmp_path: Path, keys: Keys, tmux: Tmux
) -> None:
    """The real client in a terminal that says it is 9999x9999, then mid-session 65535x65535
    (the most a terminal can say) and 0x0: the app gets 1000x300 and stays connected."""
    with running_server(tmp_path, keys.authorized("alice")) as server:
        ssh = " ".join(ssh_command(server.port, keys["alice"], "-t"))
        tmux.start("big", ["sh", "-c", f"stty cols 9999 rows 9999 && exec {ssh}"])
        [app] = wait_until(server.apps, 30, "the app")
        wait_until(lambda: server.terminal_size(app) == (MAX_COLUMNS, MAX_ROWS), 10, "1000x300")
        tty = tmux.pane("big", "pane_tty")
        for size, expected in [
            (90, (90, 30)),
            (0, (90, 30)),  # 0: not known, nothing changes
            (65535, (MAX_COLUMNS, MAX_ROWS)),
            (90, (90, 30)),
        ]:
            rows = 30 if size == 90 else size
            stty = ["stty", "-F", tty, "cols", str(size), "rows", str(rows)]
            subprocess.run(stty, check=True, timeout=10)
            time.sleep(0.3)  # what is kept must stay kept
            wait_until(lambda e=expected: server.terminal_size(app) == e, 10, f"{expected}")
        tmux("send-keys", "-t", "big", "C-q")
        assert tmux.exit_status("big") == 0


async def test_a_client_vanishing_mid_flood_leaves_no_noise(tmp_path: Path, keys: Keys) -> None:
    """Three apps on one connection drawing as fast as they can (huge screens, resized again
    and again) when the client's connection is reset, a few times over: the apps end, and the
    server's log says so in its own lines, without asyncio's "socket.send() raised
    exception." or a traceback."""
    with running_server(tmp_path, keys.authorized("alice")) as server:
        for turn in range(4):
            conn = await _connect(server.port, keys["alice"])
            size = (MAX_COLUMNS, MAX_ROWS)
            processes = [await _app(conn, size=size) for _ in range(3)]
            apps = await until(lambda: len(server.apps()) == 3 and server.apps(), 30, "3 apps")
            for process in processes:
                await _screen(process)
            for n in range(3000):
                for process in processes:
                    process.change_terminal_size(MAX_COLUMNS - n % 7, MAX_ROWS - n % 5)
            await asyncio.sleep(0.05 + 0.25 * (turn % 2))
            sock = conn.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.abort()  # a reset, not a goodbye
            gone = lambda apps=apps: not any(alive(a) for a in apps)  # noqa: E731
            await until(gone, 15, "the apps to end")

        def ended(kind: str) -> int:  # connection lines say sessions=N, session lines session=N
            lines = server.log().splitlines()
            return sum(f" {kind}=" in line and "client disconnected" in line for line in lines)

        await until(lambda: ended("sessions") == 4 and ended("session") == 12, 15, "the lines")
    noise = server.stderr()
    assert "socket.send() raised exception" not in noise and "Traceback" not in noise, noise


async def test_environment_requests_are_bounded(tmp_path: Path, keys: Keys) -> None:
    """2,000 variables of 30 kB each: only what the app uses is kept, the server's memory
    does not grow by the 60 MB sent, and the session works. (`--cold`: a fresh app's
    environment can be read from outside; a forked one's shows below.)"""
    with running_server(tmp_path, keys.authorized("alice"), "--cold") as server:
        before = rss_kb(server.process.pid)
        async with await _connect(server.port, keys["alice"]) as conn:
            env = {f"JUNK{n}": "x" * 30_000 for n in range(2000)}
            env.update(COLORTERM="truecolor", NO_COLOR="y" * 1000, LD_PRELOAD="/tmp/evil.so")
            process = await _app(conn, env=env)
            [app] = await until(server.apps, 30, "the app")
            await _screen(process)
            got = environ(app)
            assert got["COLORTERM"] == "truecolor"
            assert not [k for k in got if k.startswith("JUNK")]
            assert "NO_COLOR" not in got and "LD_PRELOAD" not in got  # too long; not asked
            grown = rss_kb(server.process.pid) - before
            assert grown < 30_000, f"the server grew by {grown} kB"
            process.stdin.write(b"\x11")
            await until(lambda: process.exit_status is not None, 15, "the app to quit")


async def test_a_forked_app_takes_the_colours_its_client_asks_for(
    tmp_path: Path, keys: Keys
) -> None:
    """Warm apps get their session's environment after the fork: COLORTERM=truecolor from
    one client draws 24-bit colours, the other client's app 256 colours."""
    with running_server(tmp_path, keys.authorized("alice")) as server:
        async with await _connect(server.port, keys["alice"]) as conn:
            for env, wanted, unwanted in (
                ({"COLORTERM": "truecolor"}, b"\x1b[38;2;", b"\x1b[38;5;"),
                ({}, b"\x1b[38;5;", b"\x1b[38;2;"),
            ):
                process = await _app(conn, env=env)
                seen = b""
                while b"Start a new profile" not in seen:
                    chunk = await asyncio.wait_for(process.stdout.read(65536), 30)
                    assert chunk, seen[-300:]
                    seen += chunk
                assert wanted in seen and unwanted not in seen
                process.stdin.write(b"\x11")
                await until(lambda p=process: p.exit_status is not None, 15, "the app to quit")


def test_the_app_gets_only_what_it_needs_of_the_servers_environment(
    tmp_path: Path, keys: Keys, tmux: Tmux
) -> None:
    secrets = {
        "AWS_SECRET_ACCESS_KEY": "aws-secret",
        "OPENAI_API_KEY": "sk-secret",
        "PYTHONBREAKPOINT": "os.system",  # (PYTHONINSPECT is the same kind: not passed)
        "PYTHONSTARTUP": "/tmp/startup.py",
        "TEXTUAL": "devtools",
        "ADVISOR_TODAY": "2026-11-26",
    }
    with running_server(tmp_path, keys.authorized("alice"), env=secrets) as server:
        tmux.start("alice", ssh_command(server.port, keys["alice"], "-t"))
        tmux.wait_for("alice", WELCOME)  # started from the venv without the rest
        [app] = server.apps()
        # A forked app starts from its warm parent's environment (the allow list, nobody's
        # session), then takes its session's: neither holds the server's secrets.
        env = environ(app)
        assert environ(parent(app)) == env
        assert env["ADVISOR_TODAY"] == "2026-11-26" and "PATH" in env
        for name in set(secrets) - {"ADVISOR_TODAY"}:
            assert name not in env
        tmux("send-keys", "-t", "alice", "C-q")
        assert tmux.exit_status("alice") == 0


def test_a_person_may_be_named_in_any_script(tmp_path: Path, keys: Keys, tmux: Tmux) -> None:
    keys.make("zoe", "Zoë")
    keys.make("namae", "名前")
    keys.make("jose", "José García")
    with running_server(tmp_path, keys.authorized("zoe", "namae", "jose")) as server:
        assert "3 key(s)" in server.stderr() and "skipped" not in server.stderr()
        for name in ("namae", "jose"):
            done = run_ssh(server.port, keys[name], "-T")
            assert done.returncode == 1 and "use ssh -t" in done.stderr  # logged in
        tmux.start("zoe", ssh_command(server.port, keys["zoe"], "-t"))
        tmux.wait_for("zoe", WELCOME)
        [app] = server.apps()
        assert server.app_folder(app) == server.profiles.absolute() / "Zoë"
        tmux("send-keys", "-t", "zoe", "C-q")
        assert tmux.exit_status("zoe") == 0
        log = server.wait_for_log("user=Zoë")
        assert "user=名前" in log and "user=José-García" in log
