"""Time from start to the first frame that shows the results, against a bare Textual app.

Both run in a pseudo-terminal (100x30, TERM=xterm-256color), measured the same way in the
same run; medians of RUNS (default 9), the two run in turn. The marker is the article
example's API cost.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

MARKER = "$7,290"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")
BARE = f"""from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static({MARKER!r})
Bare().run()
"""


def first_frame(cmd: list[str], timeout: float = 20.0) -> float | None:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start, seen, hit = time.perf_counter(), b"", None
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.02)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if MARKER.encode() in ANSI.sub(b"", seen):
            hit = time.perf_counter() - start
            break
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return hit


def medians(commands: list[list[str]], runs: int) -> list[float]:
    """The commands' median times, run in turn (a, b, a, b...) so that a machine slowing
    down or speeding up during the measurement weighs on both alike."""
    for cmd in commands:
        first_frame(cmd)  # warm caches
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for cmd, seen in zip(commands, times, strict=True):
            hit = first_frame(cmd)
            if hit is None:
                sys.exit(f"the marker {MARKER!r} never appeared for: {' '.join(cmd)}")
            seen.append(hit)
    return [statistics.median(seen) for seen in times]


def main() -> None:
    runs = int(os.environ.get("RUNS", "9"))
    advisor = [str(Path(sys.executable).parent / "advisor"), "customer-service"]
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(BARE)
    try:
        bare, ours = medians([[sys.executable, f.name], advisor], runs)
    finally:
        os.unlink(f.name)
    print(
        f"TUI first results frame: {ours * 1000:.0f} ms; bare Textual {bare * 1000:.0f} ms; "
        f"ratio {ours / bare:.2f} (budget 1.80; medians of {runs} interleaved runs)"
    )


if __name__ == "__main__":
    main()
