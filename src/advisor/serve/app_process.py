"""One advisor app in its own process, on its own pseudo-terminal. No asyncssh here.

The child starts a new session (`setsid`), takes the pty's slave as its controlling terminal
(`TIOCSCTTY`) and gets default SIGHUP/SIGINT/SIGQUIT/SIGTERM back (a server started with
`nohup` or `&` would hand ignored signals down). The app leads its own process group, so
stopping it means signalling the group: SIGHUP first, SIGKILL after a grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import re
import signal
import struct
import sys
import termios
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# What the app takes from the server's environment: what Python needs to start (from a venv
# too: the interpreter finds its venv by its own path), the locale and time zone, where the
# operator keeps advisor's files, and the operator's ADVISOR_* settings. Nothing else: no
# secrets (tokens, keys), no sockets (SSH agent, X11, tmux), not the server's terminal
# (TERM, COLUMNS, LINES), no TEXTUAL_* (devtools would get the screens) and no other PYTHON*
# (PYTHONINSPECT would hand the person a Python prompt when the app ends; PYTHONSTARTUP,
# PYTHONBREAKPOINT, PYTHONWARNINGS are not the app's business).
PASSED = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "LD_LIBRARY_PATH",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONUTF8",
        "PYTHONIOENCODING",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPYCACHEPREFIX",
        "PYTHONNOUSERSITE",
        "PYTHONUSERBASE",
        "PYTHONSAFEPATH",
    }
)
PASSED_PREFIXES = ("LC_", "ADVISOR_")
# The largest terminal an app gets: more than a full-screen window on an 8K monitor holds at
# a readable font (7680 / 8 = 960 columns, 4320 / 16 = 270 rows). Beyond it the app would
# only spend memory and CPU on cells nobody can see; it is drawn at this size instead.
MAX_COLUMNS = 1000
MAX_ROWS = 300
DEFAULT_SIZE = (80, 24)
_TERM = re.compile(r"[A-Za-z0-9._+-]{1,64}")
_COLORTERMS = {"truecolor", "24bit"}
DEFAULT_TERM = "xterm-256color"
# Input is UTF-8 (Python's termios leaves the flag out; 0o40000 on Linux).
_IUTF8 = getattr(termios, "IUTF8", 0o40000 if sys.platform.startswith("linux") else 0)


def safe_term(term: str | None) -> str:
    """The client's TERM if it looks like a terminal type, else xterm-256color."""
    return term if term and _TERM.fullmatch(term) else DEFAULT_TERM


def app_environment(
    term: str | None,
    colorterm: str | None,
    client_env: Mapping[str, str],
    person: str,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """What the app needs from the server's environment (PASSED), plus the client's TERM.

    COLUMNS/LINES are never set (Textual would ignore resizes). ssh does not forward
    COLORTERM: the server's `--colorterm` sets it, and a client may send its own
    (`ssh -o SetEnv=COLORTERM=truecolor`) or NO_COLOR; nothing else the client sends is used.
    """
    env = {
        k: v
        for k, v in (os.environ if base is None else base).items()
        if k in PASSED or k.startswith(PASSED_PREFIXES)
    }
    env["TERM"] = safe_term(term)
    chosen = client_env.get("COLORTERM") or colorterm
    if chosen in _COLORTERMS:
        env["COLORTERM"] = chosen
    if "NO_COLOR" in client_env:
        env["NO_COLOR"] = "1"
    if "UTF-8" not in (env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or "").upper():
        env["LANG"] = "C.UTF-8"
        env.pop("LC_ALL", None)
        env.pop("LC_CTYPE", None)
    env["ADVISOR_SSH_USER"] = person
    return env


def warm_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The warm parent's own environment (warm.py): the allow list, a UTF-8 locale, nothing
    of any person's. Each app it forks gets its session's environment on top."""
    env = app_environment(None, None, {}, "", base)
    for name in ("TERM", "ADVISOR_SSH_USER"):
        env.pop(name, None)
    return env


def clamp_size(
    columns: object, rows: object, before: tuple[int, int] = DEFAULT_SIZE
) -> tuple[int, int]:
    """A terminal size the app can live with, whatever a client says.

    Each side at most MAX_COLUMNS x MAX_ROWS. A side of 0 means "not known" in SSH: it keeps
    its value `before` (80x24 at the start), as does anything that is not a positive whole
    number (negative, not an int).
    """
    width = columns if isinstance(columns, int) and columns > 0 else before[0]
    height = rows if isinstance(rows, int) and rows > 0 else before[1]
    return min(width, MAX_COLUMNS), min(height, MAX_ROWS)


def set_size(fd: int, columns: int, rows: int) -> None:
    """Set the pty's size (clamped); the kernel tells the app (SIGWINCH) if it changed."""
    columns, rows = clamp_size(columns, rows)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _in_child() -> None:
    """Runs in the child between fork and exec (after setsid): take the terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


@dataclass
class AppProcess:
    """An app running on its pty: started here (spawn_app) or forked by the warm parent
    (warm.py). `exited` gets its exit status (negative: the signal that ended it)."""

    pid: int
    master: int  # the pty's master side, ours to close
    exited: asyncio.Future[int]

    @property
    def running(self) -> bool:
        return not self.exited.done()

    @property
    def returncode(self) -> int | None:
        return self.exited.result() if self.exited.done() else None

    async def wait(self) -> int:
        return await asyncio.shield(self.exited)

    async def stop(self, grace: float) -> None:
        """SIGHUP to the app's process group; SIGKILL for whatever is left after `grace`."""
        if self.running:
            _signal_group(self.pid, signal.SIGHUP)
            try:
                await asyncio.wait_for(self.wait(), grace)
            except TimeoutError:
                pass
            except asyncio.CancelledError:
                _signal_group(self.pid, signal.SIGKILL)
                raise
        _signal_group(self.pid, signal.SIGKILL)  # the app, or anything it left behind
        if self.running:
            await self.wait()

    def resize(self, columns: int, rows: int) -> None:
        if self.running and self.master >= 0:
            with contextlib.suppress(OSError):
                set_size(self.master, columns, rows)

    def close(self) -> None:
        master, self.master = self.master, -1
        if master >= 0:
            with contextlib.suppress(OSError):
                os.close(master)


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def open_pty(columns: int, rows: int) -> tuple[int, int]:
    """(master, slave) of a new pty of this size (clamped), its input UTF-8."""
    master, slave = pty.openpty()
    try:
        set_size(master, columns, rows)
        attrs = termios.tcgetattr(slave)
        attrs[0] |= _IUTF8
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
    except BaseException:
        os.close(master)
        os.close(slave)
        raise
    return master, slave


async def spawn_app(
    argv: Sequence[str],
    env: Mapping[str, str],
    columns: int,
    rows: int,
    cwd: Path,
    pass_fds: Sequence[int] = (),
) -> AppProcess:
    """Start the app in a fresh interpreter on a new pty of this size; the caller owns the
    result's master fd. `pass_fds` stay open in the app, at the same numbers."""
    master, slave = open_pty(columns, rows)
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_in_child,
            pass_fds=tuple(pass_fds),
        )
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)
    exited: asyncio.Future[int] = asyncio.ensure_future(process.wait())
    return AppProcess(process.pid, master, exited)
