"""`python scripts/bench_ssh.py`: `advisor serve` on this machine, for 1, 5 and 20 people.

1. First screens: that many clients connect at the same moment (asyncssh's client, 80x24,
   one key, one person, each) and each measures the time from its TCP connect to the first
   screen (the welcome menu's "Start a new profile"). Then, with every app on its first
   screen, the memory of the apps: RSS (what `ps` shows, shared pages counted in full for
   each) and PSS (from /proc/PID/smaps_rollup: shared pages split between the processes
   that share them, the fair per-session cost). Once with apps forked from the warm parent
   (the default), once with `--cold` (a fresh interpreter per session, as before).
2. A room: one presenter and N followers (N = 1, then 19: 20 people, every seat of a
   default server), each its own person; the presenter switches tabs (keys sent to its
   session), and each follower's stream is read
   until the new tab's text arrives: the time from the presenter's key to each follower's
   screen showing the change, over several changes. PSS per follower app, in the room.
3. One session's first screen while 300 silent connections are held open; one through the
   real OpenSSH client in tmux, when both are installed.

Traffic goes only to 127.0.0.0/8; every wait is bounded; the servers and their apps are
always stopped. Measurements to read, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh

COUNTS = (1, 5, 20)
FOLLOWERS = (1, 19)  # with the presenter, 20 people: every seat of a default server
CHANGES = 6  # tab changes per room round
MARKER = b"Start a new profile"
TIMEOUT = 60.0  # seconds, for one client to see its first screen
# The presenter's keys, and a text only the tab they show draws.
TABS = [(b"4", b"Fired"), (b"1", b"/req"), (b"5", b"largest"), (b"7", b"Value")]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().replace("\0", " ")
    except OSError:
        return ""


def warm_parent(server: int) -> int | None:
    found = [p for p in children(server) if "advisor.tui.zygote" in cmdline(p)]
    return found[0] if found else None


def apps(server: int) -> list[int]:
    """The server's apps: forked by its warm parent, or started afresh."""
    warm = warm_parent(server)
    fresh = [p for p in children(server) if "--confine" in cmdline(p)]
    return fresh + (children(warm) if warm else [])


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB."""
    rss = pss = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def start_server(
    folder: Path, authorized: Path, *options: str
) -> tuple[subprocess.Popen[bytes], int]:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    err = folder / "server.err"
    argv = [sys.executable, "-m", "advisor", "serve", "--port", "0", "--max-sessions", "25"]
    argv += ["--authorized-keys", str(authorized), "--host-key", str(folder / "host_key")]
    argv += ["--profiles-dir", str(folder / "profiles"), "--log", str(folder / "log"), *options]
    with err.open("wb") as out:
        server = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=out, env=env)
    end = time.monotonic() + 60
    port = None
    while time.monotonic() < end:
        text = err.read_text()
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
        if found:
            port = int(found.group(1))
        if port and ("--cold" in options or "warm parent ready" in text):
            return server, port
        if server.poll() is not None:
            break
        time.sleep(0.05)
    server.kill()
    raise SystemExit(f"advisor serve did not start: {err.read_text()}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    running = apps(server.pid)
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    for pid in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


class Session:
    """One person's session through asyncssh, its output read into a rolling buffer."""

    def __init__(self, port: int, key: asyncssh.SSHKey, user: str = "bench") -> None:
        self.port, self.key, self.user = port, key, user
        self.seen = b""
        self.conn: asyncssh.SSHClientConnection | None = None
        self.process: asyncssh.SSHClientProcess[bytes] | None = None

    async def open(self, size: tuple[int, int] = (80, 24), marker: bytes = MARKER) -> float:
        started = time.perf_counter()
        self.conn = await asyncssh.connect(
            "127.0.0.1", self.port, username=self.user, client_keys=[self.key], known_hosts=None
        )
        self.process = await self.conn.create_process(
            term_type="xterm-256color", term_size=size, encoding=None
        )
        await self.until(marker)
        return time.perf_counter() - started

    async def until(self, marker: bytes, timeout: float = TIMEOUT) -> float:
        """Read until `marker` has come; when it came (perf_counter)."""
        assert self.process is not None

        async def read() -> float:
            assert self.process is not None
            while marker not in self.seen:
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    raise RuntimeError(f"the session ended before {marker!r}")
                self.seen = (self.seen + chunk)[-65536:]
            return time.perf_counter()

        return await asyncio.wait_for(read(), timeout)

    def forget(self) -> None:
        self.seen = b""

    def send(self, data: bytes) -> None:
        assert self.process is not None
        self.process.stdin.write(data)

    async def close(self) -> None:
        if self.process is not None:
            with contextlib.suppress(Exception):
                self.process.stdin.write(b"\x1b")  # close a dialog, if any
                self.process.stdin.write(b"\x11")  # ctrl+q
                await asyncio.wait_for(self.process.wait_closed(), 10)
        if self.conn is not None:
            self.conn.close()


async def first_screens(
    count: int, port: int, keys: list[asyncssh.SSHKey], server: int
) -> dict[str, float]:
    sessions = [Session(port, key) for key in keys[:count]]
    try:
        times = await asyncio.wait_for(asyncio.gather(*(s.open() for s in sessions)), TIMEOUT)
        running = apps(server)
        sizes = [memory_kb(p) for p in running]
        warm = warm_parent(server)
        warm_pss = memory_kb(warm)[1] if warm else 0
        server_rss = memory_kb(server)[0]
    finally:
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return {
        "median": statistics.median(times),
        "max": max(times),
        "apps": len(running),
        "rss": statistics.median(s[0] for s in sizes) / 1024,
        "pss": statistics.median(s[1] for s in sizes) / 1024,
        "warm": warm_pss / 1024,
        "server": server_rss / 1024,
    }


async def room(
    followers: int, port: int, keys: list[asyncssh.SSHKey], server: int
) -> dict[str, float]:
    """A presenter and `followers` followers; the time from each of the presenter's tab
    changes to each follower's screen showing it."""
    presenter = Session(port, keys[0])
    others: list[Session] = []
    try:
        await presenter.open()
        presenter.send(b"\x1b[F\r")  # End, Enter: the last example's results
        await presenter.until(b"/req")
        presenter.forget()
        presenter.send(b"\x1b[19~")  # F8: present
        await presenter.until(b"join-")
        await asyncio.sleep(0.3)  # the rest of the command line
        code = re.search(rb"join-([A-Z0-9]{6})@", presenter.seen)
        assert code, presenter.seen[-300:]
        presenter.send(b"\x1b")  # close the room's panel
        user = f"join-{code.group(1).decode()}"
        others = [Session(port, key, user) for key in keys[1 : 1 + followers]]
        # Followers at assorted sizes, as people's terminals are.
        sizes = [(80 + 10 * (n % 5), 24 + 4 * (n % 4)) for n in range(followers)]
        await asyncio.wait_for(  # each one's first screen is the room's: the results
            asyncio.gather(
                *(s.open(size, b"Costs") for s, size in zip(others, sizes, strict=True))
            ),
            TIMEOUT,
        )
        # The welcome toasts (5 s) would cover part of the tabs' text: let them go first.
        await asyncio.sleep(6.0)
        delays: list[float] = []
        for change in range(CHANGES):
            key, marker = TABS[change % len(TABS)]
            for s in others:
                s.forget()
            sent = time.perf_counter()
            presenter.send(key)
            arrived = await asyncio.wait_for(
                asyncio.gather(*(s.until(marker, 30) for s in others)), 40
            )
            delays += [a - sent for a in arrived]
            await asyncio.sleep(0.5)
        warm = warm_parent(server)
        follower_pss = [memory_kb(p)[1] for p in (children(warm) if warm else apps(server))]
    finally:
        await asyncio.gather(*(s.close() for s in [*others, presenter]), return_exceptions=True)
    delays.sort()
    return {
        "median": statistics.median(delays),
        "p90": delays[int(0.9 * (len(delays) - 1))],
        "max": delays[-1],
        "pss": statistics.median(follower_pss) / 1024,
        "apps": len(follower_pss),
    }


def openssh_in_tmux(port: int, key_file: Path) -> float | None:
    """One session through the real client in tmux at 80x24; None if either is missing."""
    if not (shutil.which("ssh") and shutil.which("tmux")):
        return None
    sock = Path(tempfile.mkdtemp(prefix="advbench", dir="/tmp")) / "s"
    tmux = ["tmux", "-S", str(sock), "-f", "/dev/null"]
    ssh = (
        f"ssh -F /dev/null -tt -p {port} -i {key_file} -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o IdentitiesOnly=yes "
        "-o LogLevel=ERROR bench@127.0.0.1"
    )
    env = {**os.environ, "TERM": "xterm-256color"}
    try:
        started = time.perf_counter()
        subprocess.run(
            [*tmux, "new-session", "-d", "-x", "80", "-y", "24", ssh], env=env, timeout=10
        )
        while time.perf_counter() - started < TIMEOUT:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True, timeout=10
            ).stdout
            if MARKER.decode() in screen:
                return time.perf_counter() - started
            time.sleep(0.01)
        return None
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, timeout=10)
        shutil.rmtree(sock.parent, ignore_errors=True)


async def under_silent_flood(port: int, key: asyncssh.SSHKey) -> float:
    """One session's first screen while 300 silent connections are held open: 100 from its
    own address, 200 from others on 127.0.0.0/8 (more than the server lets log in at once)."""
    held = []
    session = Session(port, key)
    try:
        for n in range(300):
            source = "127.0.0.1" if n < 100 else f"127.0.1.{n - 99}"
            held.append(
                socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
            )
        return await asyncio.wait_for(session.open(), TIMEOUT)
    finally:
        await session.close()
        for sock in held:
            sock.close()


def wait_for_no_apps(server: int, seconds: float = 15) -> None:
    end = time.monotonic() + seconds
    while apps(server) and time.monotonic() < end:
        time.sleep(0.05)


def first_screen_rows(
    label: str, server: subprocess.Popen[bytes], port: int, keys: list[asyncssh.SSHKey]
) -> None:
    asyncio.run(first_screens(1, port, keys, server.pid))  # warm the file cache
    wait_for_no_apps(server.pid)
    for count in COUNTS:
        row = asyncio.run(first_screens(count, port, keys, server.pid))
        wait_for_no_apps(server.pid)
        note = "" if row["apps"] == count else f"  ({row['apps']:.0f} apps seen)"
        warm = f"{row['warm']:>6.0f} MB" if row["warm"] else "      -"
        print(
            f"{label:<5} {count:>3}  {row['median'] * 1000:>8.0f} ms  {row['max'] * 1000:>6.0f} ms"
            f"  {row['rss']:>5.0f} MB  {row['pss']:>5.0f} MB  {warm}  {row['server']:>5.0f} MB"
            f"{note}"
        )


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="advisor-bench-ssh-"))
    # One person per client: a person may hold only a few sessions at once.
    keys = [
        asyncssh.generate_private_key("ssh-ed25519", comment=f"bench{n}")
        for n in range(1 + max(max(COUNTS), max(FOLLOWERS)))
    ]
    key_file = folder / "bench_key"
    key_file.write_bytes(keys[0].export_private_key())
    key_file.chmod(0o600)
    authorized = folder / "authorized_keys"
    authorized.write_bytes(b"".join(k.export_public_key() for k in keys))
    print(f"advisor serve on 127.0.0.1, {os.cpu_count()} cores; asyncssh clients")
    print()
    print("First screens, that many people connecting at once (80x24):")
    print(
        f"{'apps':<5} {'n':>3}  {'median':>11}  {'max':>9}  {'RSS/app':>8}  {'PSS/app':>8}  "
        f"{'warm PSS':>8}  {'server RSS':>8}"
    )
    for label, options in (("warm", ()), ("cold", ("--cold",))):
        server, port = start_server(folder / label, authorized, *options)
        try:
            first_screen_rows(label, server, port, keys)
            if label == "warm":
                flooded = asyncio.run(under_silent_flood(port, keys[0]))
                wait_for_no_apps(server.pid)
                through_openssh = openssh_in_tmux(port, key_file)
                wait_for_no_apps(server.pid)
                print()
                print("A room: the presenter changes tab; each follower's screen shows it after:")
                print(f"{'followers':>9}  {'median':>8}  {'p90':>8}  {'max':>8}  {'PSS/app':>8}")
                for followers in FOLLOWERS:
                    row = asyncio.run(room(followers, port, keys, server.pid))
                    wait_for_no_apps(server.pid)
                    print(
                        f"{followers:>9}  {row['median'] * 1000:>5.0f} ms  "
                        f"{row['p90'] * 1000:>5.0f} ms  {row['max'] * 1000:>5.0f} ms  "
                        f"{row['pss']:>5.0f} MB  ({CHANGES} changes, {row['apps']:.0f} apps)"
                    )
                print()
                print(f"1 session with 300 silent connections held open: {flooded * 1000:.0f} ms")
                if through_openssh is not None:
                    print(
                        f"1 session through the OpenSSH client in tmux, from starting ssh: "
                        f"{through_openssh * 1000:.0f} ms"
                    )
                print()
        finally:
            stop_server(server)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
