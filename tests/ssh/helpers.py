"""Helpers for the SSH tests: keys, the server as a subprocess, tmux as the terminal.

Every server is a subprocess (`python -m advisor serve --port 0 ...`) that is always stopped,
and whatever app it leaves behind is reported and killed. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WELCOME = "Start a new profile"
ZYGOTE = "advisor.tui.zygote"  # the warm parent's module, in its command line
TOOLS = ("ssh", "ssh-keygen", "sftp", "tmux", "plink", "puttygen", "dbclient", "dropbearconvert")
# ssh-audit is a Python package (pyproject's test extra): its script sits beside the Python.
SSH_AUDIT = Path(sys.executable).parent / "ssh-audit"


def wait_until(check: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy; fail with `what` after `timeout` s."""
    end = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


async def until(check: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    """wait_until for async tests: the event loop (an asyncssh client) runs while it waits."""
    end = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(every)


# -- keys -------------------------------------------------------------------------------------
@dataclass
class Keys:
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)

    def make(self, name: str, comment: str) -> Path:
        path = self.folder / name
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
            check=True,
            timeout=20,
        )
        self.files[name] = path
        return path

    def __getitem__(self, name: str) -> Path:
        return self.files[name]

    def authorized(self, *names: str) -> Path:
        path = self.folder / ("authorized_keys-" + "-".join(names))
        lines = [Path(f"{self[name]}.pub").read_text() for name in names]
        path.write_text("# one line per person; the comment names them\n" + "".join(lines))
        return path


def client_options(key: Path) -> list[str]:
    """For ssh and sftp alike: only this key, no agent, no prompts, no known_hosts."""
    options = ["-F", "/dev/null", "-i", str(key)]
    for option in (
        "StrictHostKeyChecking=no",
        "UserKnownHostsFile=/dev/null",
        "BatchMode=yes",
        "IdentitiesOnly=yes",
        "IdentityAgent=none",
        "ConnectTimeout=10",
        "LogLevel=ERROR",
    ):
        options += ["-o", option]
    return options


def ssh_command(port: int, key: Path, *options: str, user: str = "guest") -> list[str]:
    return ["ssh", "-p", str(port), "-l", user, *client_options(key), *options, "127.0.0.1"]


def run_ssh(
    port: int, key: Path, *options: str, command: str | None = None, user: str = "guest"
) -> subprocess.CompletedProcess[str]:
    argv = ssh_command(port, key, *options, user=user) + ([command] if command else [])
    return subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30
    )


# -- the server -------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def on_a_pty(pid: int) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/fd/0").startswith("/dev/pts/")
    except OSError:
        return False


def parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped does not count)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return []


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def terminal_size(pid: int) -> tuple[int, int]:
    """(columns, rows) of the terminal on a process's stdin (its pty's slave side)."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NOCTTY)
    try:
        rows, columns, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    finally:
        os.close(fd)
    return columns, rows


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    folder: Path
    profiles: Path
    host_key: Path
    log_path: Path
    err_path: Path

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stderr(self) -> str:
        return self.err_path.read_text()

    def warm_parent(self) -> int | None:
        """The warm parent the apps are forked from (advisor/tui/zygote.py), if running."""
        found = [p for p in _children(self.process.pid) if ZYGOTE in cmdline(p)]
        return found[0] if found else None

    def apps(self) -> list[int]:
        """The app processes this server runs: forked by its warm parent, or started afresh
        (`--confine` is in such an app's command line, not the server's)."""
        fresh = [p for p in _children(self.process.pid) if "--confine" in cmdline(p)]
        warm = self.warm_parent()
        forked = _children(warm) if warm is not None else []
        return fresh + [p for p in forked if on_a_pty(p)]  # once on its session's pty

    def app_folder(self, pid: int) -> Path:
        """The person's folder an app runs in (its working directory)."""
        return Path(os.readlink(f"/proc/{pid}/cwd"))

    def terminal_size(self, pid: int) -> tuple[int, int]:
        """(columns, rows) of an app's terminal, as the app sees it."""
        return terminal_size(pid)

    def wait_for_log(self, text: str, timeout: float = 10) -> str:
        return wait_until(lambda: text in self.log() and self.log(), timeout, f"log {text!r}")

    def stop(self) -> list[int]:
        """SIGTERM, bounded; returns the apps that had to be killed afterwards (none, ideally)."""
        apps = self.apps()
        warm = self.warm_parent()
        apps += [warm] if warm is not None else []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        leftovers = [pid for pid in apps if alive(pid)]
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        return leftovers


def server_env(folder: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ADVISOR_CATALOG", "COLUMNS", "LINES")}
    env.update(
        ADVISOR_TODAY="2026-11-26",
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_DATA_HOME=str(folder / "data"),
    )
    env.update(extra or {})
    return env


def start_server(
    folder: Path,
    authorized_keys: Path | None,
    *options: str,
    host_key: Path | None = None,
    env: dict[str, str] | None = None,
) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    host_key = host_key or folder / "host_key"
    profiles, log_path, err_path = folder / "profiles", folder / "connections.log", folder / "err"
    argv = [sys.executable, "-m", "advisor", "serve", "--port", "0", "--host", "127.0.0.1"]
    argv += ["--host-key", str(host_key), "--profiles-dir", str(profiles), "--log", str(log_path)]
    if authorized_keys is not None:
        argv += ["--authorized-keys", str(authorized_keys)]
    with err_path.open("wb") as err:
        process = subprocess.Popen(
            [*argv, *options],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=server_env(folder, env),
        )

    def listening() -> int | None:
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", err_path.read_text())
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            raise AssertionError(f"advisor serve exited: {err_path.read_text()}")
        return None

    def warm() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"advisor serve exited: {err_path.read_text()}")
        return "--cold" in options or "warm parent ready" in err_path.read_text()

    try:
        port = wait_until(listening, 20, "the server to listen")
        wait_until(warm, 60, "the warm parent to be ready")
    except BaseException:
        process.kill()
        process.wait(timeout=5)
        raise
    return Server(process, port, folder, profiles, host_key, log_path, err_path)


@contextlib.contextmanager
def running_server(
    folder: Path, authorized_keys: Path | None, *options: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    server = start_server(folder, authorized_keys, *options, env=env)
    try:
        yield server
    finally:
        leftovers = server.stop()
    assert not leftovers, f"apps outlived the server: {leftovers}"
    assert "Traceback" not in server.stderr() + server.log(), server.stderr() + server.log()


# -- tmux: a terminal to run ssh in, and to read the screen from ----------------------------
class Tmux:
    def __init__(self) -> None:
        # A short path: tmux's socket path must fit in a sockaddr_un.
        self.folder = Path(tempfile.mkdtemp(prefix="advtmux", dir="/tmp"))
        self.socket = self.folder / "s"
        self.conf = self.folder / "tmux.conf"
        self.conf.write_text(
            'set -g default-terminal "tmux-256color"\nset -g remain-on-exit on\n'
            "set -g history-limit 100\n"
        )
        self.env = {**os.environ, "TERM": "xterm-256color"}
        self.env.pop("TMUX", None)

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            timeout=15,
            env=self.env,
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, name: str, argv: list[str], width: int = 80, height: int = 24) -> None:
        """Run `argv` in a new session; its exit status goes to a file (tmux's own
        #{pane_dead_status} is not reliable: tmux 3.3 sometimes never reaps the pane)."""
        status = self.folder / f"{name}.status"
        command = " ".join(_quote(arg) for arg in argv) + f"; echo $? > {status}"
        self("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)

    def screen(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name)

    def wait_for(self, name: str, text: str, timeout: float = 20) -> str:
        try:
            return wait_until(
                lambda: text in (screen := self.screen(name)) and screen,
                timeout,
                f"{text!r} on {name}'s screen",
                every=0.1,
            )
        except AssertionError as error:
            raise AssertionError(f"{error}; the screen:\n{self.screen(name)}") from None

    def pane(self, name: str, what: str) -> str:
        return self("display-message", "-p", "-t", name, f"#{{{what}}}").strip()

    def exit_status(self, name: str, timeout: float = 15) -> int:
        """The exit status of the ssh in this session, once it has ended."""
        status = self.folder / f"{name}.status"
        return int(
            wait_until(
                lambda: status.exists() and status.read_text().strip(),
                timeout,
                f"{name}'s ssh to end",
            )
        )

    def client_pid(self, name: str) -> int:
        """The ssh process running in this session (a child of the pane's shell)."""
        shell = int(self.pane(name, "pane_pid"))
        return wait_until(lambda: _children(shell), 5, f"{name}'s ssh process")[0]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            subprocess.run(
                ["tmux", "-S", str(self.socket), "kill-server"],
                capture_output=True,
                timeout=10,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def _quote(arg: str) -> str:
    return (
        arg
        if re.fullmatch(r"[A-Za-z0-9_./=:@,+-]+", arg)
        else "'" + arg.replace("'", "'\\''") + "'"
    )
