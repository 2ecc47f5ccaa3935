"""No periodic refresh: an idle app sends (almost) nothing to the terminal, which matters on
a slow SSH link. The app runs for real in a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import sys
import time
from fcntl import ioctl
from termios import TIOCSWINSZ

MARKER = b"Edit answers"


def _read_for(fd: int, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], min(left, 0.05))
        if ready:
            try:
                out += os.read(fd, 1 << 16)
            except OSError:
                break
    return out


def test_an_idle_results_screen_sends_nothing_for_seconds() -> None:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["ADVISOR_TODAY"] = "2026-11-26"
        os.execv(sys.executable, [sys.executable, "-m", "advisor", "medium"])
    try:
        ioctl(fd, TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        seen = b""
        deadline = time.monotonic() + 20
        while MARKER not in seen and time.monotonic() < deadline:
            seen += _read_for(fd, 0.2)
        assert MARKER in seen, "the results screen never appeared"
        _read_for(fd, 1.5)  # let the deferred tabs and the footer settle
        idle = _read_for(fd, 3.0)
        assert len(idle) < 64, f"{len(idle)} bytes sent while idle: {idle[:200]!r}"
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
