"""The warm parent `advisor serve` forks every app from: Textual and the core imported once.

A fresh interpreter that imports Textual, pydantic and the core takes ~0.4 s of CPU; twenty
people connecting at once on two cores would wait seconds for their first screen. The server
starts this process once (`python -m advisor.tui.zygote FD`, with the server's environment
already cut down to the app's allow list, app_process.PASSED) and asks it, over the Unix
socket FD (SOCK_SEQPACKET: one message a request), to fork one app per session:

  server -> zygote  {"id", "args", "env", "cwd"} with two fds (SCM_RIGHTS): the session's
                    pty slave and the app's end of its line to the server (wire.py)
  zygote -> server  {"ready": true} once warm; {"id", "pid"} once forked (or {"id",
                    "error"}); {"exited": pid, "status": n} when an app ends (n < 0: -signal)

The child starts a new session on the pty (its controlling terminal, fds 0-2), takes the
session's environment (the zygote's own is never a person's), default signal handling, the
person's folder as its working directory, closes the zygote's socket, and runs the app as
`advisor ARGS` would; it never returns into this loop. The zygote holds no thread, so
forking is safe; `gc.freeze()` keeps the imported objects out of the children's collections,
so the pages they share with the zygote stay shared (copy-on-write) instead of being copied
into each app. When the server goes (its end of the socket closes) the zygote exits; its
apps are the server's to stop (their process groups), as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
import termios
from pathlib import Path
from typing import Any

from advisor.wire import FD_ENV

MAX_REQUEST = 1 << 20  # bytes: a request holds the session's environment
RESET = (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGPIPE)


# What an app imports only after its first frame or only when served: imported here once.
AFTER_THE_FIRST_FRAME = (
    "tomllib",
    "advisor.tui.room.link",
    "advisor.tui.widgets.deployment",
    "advisor.tui.widgets.horizon_chart",
    "advisor.tui.widgets.outlook_text",
    "advisor.tui.widgets.risk_bands",
)


def warm() -> None:
    """Import what every app needs before its first screen, and load the catalog."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    import advisor.core.decision.decide
    import advisor.core.profile.io
    import advisor.report.markdown
    import advisor.tui.app
    import advisor.tui.room.screens
    import advisor.tui.screens.dialogs
    import advisor.tui.screens.help
    import advisor.tui.screens.questionnaire
    import advisor.tui.screens.welcome
    import advisor.tui.widgets.chart  # noqa: F401
    from advisor.core.catalog.load import default_catalog

    for name in AFTER_THE_FIRST_FRAME:
        importlib.import_module(name)

    default_catalog()


def child(
    request: dict[str, Any], slave: int, line: int, sock: socket.socket, closing: list[int]
) -> int:
    """In the forked child: become the session's app. Returns the app's exit status."""
    sock.close()  # the app never talks to the zygote
    for fd in closing:
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.set_wakeup_fd(-1)
    for sig in (*RESET, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    env = {str(k): str(v) for k, v in request["env"].items()}
    env[FD_ENV] = str(line)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(request["cwd"])
    args = [str(a) for a in request["args"]]
    sys.argv = ["advisor", *args]
    return run_app(args)


def run_app(args: list[str]) -> int:
    """The app as `advisor --profiles-dir DIR --confine [--team-profiles DIR]` runs it (the
    only arguments the server gives)."""
    import argparse

    from advisor.tui.app import create_app

    parser = argparse.ArgumentParser(prog="advisor")
    parser.add_argument("--profiles-dir", required=True)
    parser.add_argument("--confine", action="store_true")
    parser.add_argument("--team-profiles")
    given = parser.parse_args(args)
    app = create_app(
        profiles_dir=Path(given.profiles_dir),
        confined=given.confine,
        team_dir=Path(given.team_profiles) if given.team_profiles else None,
    )
    app.run()
    return app.return_code or 0


def serve(sock: socket.socket) -> None:
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes select through the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c on the server's terminal: its job
    sock.send(json.dumps({"ready": True, "pid": os.getpid()}).encode())
    while True:
        readable, _, _ = select.select([sock.fileno(), wake_read], [], [])
        if wake_read in readable:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_read, 4096)
            _reap(sock)
        if sock.fileno() in readable:
            try:
                data, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 2)
            except OSError:
                return
            if not data:
                return  # the server has gone
            _fork(sock, data, fds, [wake_read, wake_write])


def _fork(sock: socket.socket, data: bytes, fds: list[int], closing: list[int]) -> None:
    request: dict[str, Any] = {}
    try:
        request = json.loads(data)
        slave, line = fds
    except (ValueError, TypeError):
        for fd in fds:
            os.close(fd)
        _send(sock, {"id": request.get("id"), "error": "a request without its two fds"})
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        status = 70
        try:
            status = child(request, slave, line, sock, closing)
        except SystemExit as done:
            status = done.code if isinstance(done.code, int) else 1
        except BaseException:
            status = 70
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(status)
    os.close(slave)
    os.close(line)
    _send(sock, {"id": request.get("id"), "pid": pid})


def _reap(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(sock, {"exited": pid, "status": os.waitstatus_to_exitcode(status)})


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        sock.send(json.dumps(message).encode())


def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[0]))
    try:
        warm()
    except Exception as error:  # one line for the server's log, never a traceback
        _send(sock, {"ready": False, "error": f"{error!r}"})
        return 1
    gc.collect()
    gc.freeze()  # what the apps share stays shared: no collection walks (and copies) it
    serve(sock)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
