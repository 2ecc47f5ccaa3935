"""`make bench`: `advisor serve` on this machine, for 1, 5 and 20 people at once.

For each count, that many clients connect at the same moment (asyncssh's client, 80x24,
one key, one person, each) to a server started here on 127.0.0.1, and each measures the time
from its TCP connect to the first screen (the welcome menu's "Start a new profile").
Then, with every app on its first screen, the memory of the app processes: RSS (what `ps`
shows, shared libraries counted in full for each) and PSS (shared pages split between the
processes that share them: the fairer per-session cost). One row through the real OpenSSH
client in tmux too, when both are installed; and one under abuse: a session while 300
silent connections are held open (100 from its own address, more than ever fit at once).
Traffic goes only to 127.0.0.0/8; every wait is bounded; the server and its apps are always
stopped. Measurements to read, not assertions.
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
MARKER = b"Start a new profile"
TIMEOUT = 60.0  # seconds, for one client to see its first screen


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


def start_server(folder: Path, authorized: Path) -> tuple[subprocess.Popen[bytes], int]:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
    }
    err = folder / "server.err"
    argv = [sys.executable, "-m", "advisor", "serve", "--port", "0", "--max-sessions", "25"]
    argv += ["--authorized-keys", str(authorized), "--host-key", str(folder / "host_key")]
    argv += ["--profiles-dir", str(folder / "profiles"), "--log", str(folder / "log")]
    with err.open("wb") as out:
        server = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=out, env=env)
    end = time.monotonic() + 30
    while time.monotonic() < end:
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", err.read_text())
        if found:
            return server, int(found.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.05)
    server.kill()
    raise SystemExit(f"advisor serve did not start: {err.read_text()}")


async def one_session(
    port: int, key: asyncssh.SSHKey, ready: asyncio.Event, release: asyncio.Event
) -> float:
    """Seconds from connecting to the first screen; the session is held until `release`."""
    started = time.perf_counter()
    async with asyncssh.connect(
        "127.0.0.1", port, username="bench", client_keys=[key], known_hosts=None
    ) as conn:
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        seen = b""
        while MARKER not in seen:
            chunk = await process.stdout.read(65536)
            if not chunk:
                raise RuntimeError("the session ended before its first screen")
            seen = seen[-len(MARKER) :] + chunk
        took = time.perf_counter() - started
        ready.set()
        await release.wait()  # hold the session open while memory is measured
        process.stdin.write(b"\x11")  # ctrl+q
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait_closed(), 10)
        return took


async def round_of(
    count: int, port: int, keys: list[asyncssh.SSHKey], server: int
) -> dict[str, float]:
    readies = [asyncio.Event() for _ in range(count)]
    release = asyncio.Event()
    tasks = [
        asyncio.create_task(one_session(port, key, r, release))
        for key, r in zip(keys, readies, strict=False)
    ]
    try:
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), TIMEOUT)
        apps = children(server)
        sizes = [memory_kb(p) for p in apps]
        server_rss = memory_kb(server)[0]
    finally:
        release.set()
        done = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)
    errors = [d for d in done if isinstance(d, BaseException)]
    if errors:
        raise RuntimeError(f"{len(errors)} of {count} sessions failed: {errors[0]!r}")
    times = [float(d) for d in done if isinstance(d, float)]
    return {
        "median": statistics.median(times),
        "max": max(times),
        "apps": len(apps),
        "rss": statistics.median(s[0] for s in sizes) / 1024,
        "pss": statistics.median(s[1] for s in sizes) / 1024,
        "server": server_rss / 1024,
    }


def openssh_in_tmux(port: int, key_file: Path, folder: Path) -> float | None:
    """One session through the real client in tmux at 80x24; None if either is missing."""
    if not (shutil.which("ssh") and shutil.which("tmux")):
        return None
    socket = Path(tempfile.mkdtemp(prefix="advbench", dir="/tmp")) / "s"
    tmux = ["tmux", "-S", str(socket), "-f", "/dev/null"]
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
        shutil.rmtree(socket.parent, ignore_errors=True)


async def under_silent_flood(port: int, key: asyncssh.SSHKey) -> float:
    """One session's first screen while 300 silent connections are held open: 100 from its
    own address, 200 from others on 127.0.0.0/8 (more than the server lets log in at once)."""
    held = []
    try:
        for n in range(300):
            source = "127.0.0.1" if n < 100 else f"127.0.1.{n - 99}"
            held.append(
                socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
            )
        ready, release = asyncio.Event(), asyncio.Event()
        release.set()
        return await asyncio.wait_for(one_session(port, key, ready, release), TIMEOUT)
    finally:
        for sock in held:
            sock.close()


def wait_for_no_apps(server: int, seconds: float = 15) -> None:
    end = time.monotonic() + seconds
    while children(server) and time.monotonic() < end:
        time.sleep(0.05)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="advisor-bench-ssh-"))
    # One person per client: a person may hold only a few sessions at once.
    keys = [
        asyncssh.generate_private_key("ssh-ed25519", comment=f"bench{n}")
        for n in range(max(COUNTS))
    ]
    key = keys[0]
    key_file = folder / "bench_key"
    key_file.write_bytes(key.export_private_key())
    key_file.chmod(0o600)
    authorized = folder / "authorized_keys"
    authorized.write_bytes(b"".join(k.export_public_key() for k in keys))
    server, port = start_server(folder, authorized)
    print(f"advisor serve on 127.0.0.1, {os.cpu_count()} cores; asyncssh client at 80x24")
    print()
    print(
        f"{'sessions':>8}  {'first screen: median':>20}  {'max':>7}  {'RSS/app':>8}  "
        f"{'PSS/app':>8}  {'server RSS':>10}"
    )
    try:
        asyncio.run(round_of(1, port, keys, server.pid))  # warm the file cache
        wait_for_no_apps(server.pid)
        for count in COUNTS:
            row = asyncio.run(round_of(count, port, keys, server.pid))
            wait_for_no_apps(server.pid)
            note = "" if row["apps"] == count else f"  ({row['apps']:.0f} apps seen)"
            print(
                f"{count:>8}  {row['median'] * 1000:>17.0f} ms  {row['max'] * 1000:>4.0f} ms"
                f"  {row['rss']:>5.0f} MB  {row['pss']:>5.0f} MB  {row['server']:>7.0f} MB{note}"
            )
        flooded = asyncio.run(under_silent_flood(port, key))
        wait_for_no_apps(server.pid)
        print(f"{1:>8}  {flooded * 1000:>17.0f} ms  (with 300 silent connections held open)")
        through_openssh = openssh_in_tmux(port, key_file, folder)
        if through_openssh is not None:
            print(
                f"{1:>8}  {through_openssh * 1000:>17.0f} ms  (the OpenSSH client in tmux, "
                "from starting ssh)"
            )
    finally:
        apps = children(server.pid)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        for pid in apps:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
