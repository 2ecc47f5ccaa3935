"""The warm parent on the server's side: one process that has imported Textual and the core
(advisor/tui/zygote.py, started by module name: the server itself never imports Textual)
forks one app per session, onto the session's pty, so a connection's first screen does not
wait for a fresh interpreter's imports.

The server opens the pty and the app's line as before, sends both fds with the request
(SCM_RIGHTS over a SOCK_SEQPACKET socket pair), and gets the app's pid back, then its exit
status when it ends. Everything else stays as it was: the size clamp and resizes (the pty's
master is the server's), the idle timeout, SIGHUP then SIGKILL to the app's process group.
If the warm parent cannot start, or dies, sessions get a fresh interpreter each (spawn_app)
and the server logs one line; apps forked before it died are watched until they end.
`advisor serve --cold` always starts a fresh interpreter.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import socket
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from advisor.serve.app_process import AppProcess, open_pty

MODULE = "advisor.tui.zygote"
READY_TIMEOUT = 60.0  # seconds for the warm parent's imports (a slow, busy machine)
SPAWN_TIMEOUT = 10.0
LOST = 255  # the exit status of an app whose warm parent died before it (unknown)


Forked = tuple[int, "asyncio.Future[int]"]  # an app's pid, and its exit status to come


class WarmParentGone(Exception):
    """The warm parent is not there (any more): start the app afresh."""


class WarmParent:
    def __init__(self, python: str, env: Mapping[str, str], log: logging.Logger) -> None:
        self.python, self.env, self.log = python, dict(env), log
        self.process: asyncio.subprocess.Process | None = None
        self.pid = 0
        self.alive = False
        self._sock: socket.socket | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Forked | str]] = {}
        self._exits: dict[int, asyncio.Future[int]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._watchers: set[asyncio.Future[None]] = set()

    async def start(self) -> bool:
        """Start it and wait until it is warm; False (and one log line) if it cannot be."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        try:
            self.process = await asyncio.create_subprocess_exec(
                self.python,
                "-m",
                MODULE,
                str(theirs.fileno()),
                pass_fds=(theirs.fileno(),),
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # ctrl+c on the server's terminal is the server's
            )
        except OSError as error:
            ours.close()
            self.log.warning("warm parent: cannot start (%r): apps start afresh", error)
            return False
        finally:
            theirs.close()
        self._sock = ours
        try:
            first = asyncio.get_running_loop().sock_recv(ours, 65536)
            ready = json.loads(await asyncio.wait_for(first, READY_TIMEOUT) or b"{}")
        except (TimeoutError, ValueError, OSError) as error:
            ready = {"error": repr(error)}
        if not ready.get("ready"):
            self.log.warning(
                "warm parent: not ready (%s): apps start afresh", ready.get("error", "it exited")
            )
            await self.stop()
            return False
        self.pid, self.alive = int(ready.get("pid", self.process.pid)), True
        self._reader = asyncio.create_task(self._read())
        return True

    async def spawn(
        self,
        args: Sequence[str],
        env: Mapping[str, str],
        columns: int,
        rows: int,
        cwd: Path,
        line: int,
    ) -> AppProcess:
        """Fork an app running `advisor ARGS` on a new pty; raises WarmParentGone."""
        if not self.alive or self._sock is None:
            raise WarmParentGone
        master, slave = open_pty(columns, rows)
        ident = next(self._ids)
        reply: asyncio.Future[Forked | str] = asyncio.get_running_loop().create_future()
        self._pending[ident] = reply
        request = {"id": ident, "args": list(args), "env": dict(env), "cwd": str(cwd)}
        try:
            socket.send_fds(self._sock, [json.dumps(request).encode()], [slave, line])
            answer = await asyncio.wait_for(reply, SPAWN_TIMEOUT)
        except (OSError, TimeoutError, WarmParentGone) as error:
            os.close(master)
            raise WarmParentGone from error
        finally:
            self._pending.pop(ident, None)
            os.close(slave)
        if isinstance(answer, str):
            os.close(master)
            raise WarmParentGone(answer)
        pid, exited = answer
        return AppProcess(pid, master, exited)

    async def _read(self) -> None:
        assert self._sock is not None
        loop = asyncio.get_running_loop()
        with contextlib.suppress(OSError, ValueError):
            while data := await loop.sock_recv(self._sock, 65536):
                message = json.loads(data)
                if "exited" in message:
                    exited = self._exits.pop(int(message["exited"]), None)
                    if exited is not None and not exited.done():
                        exited.set_result(int(message.get("status", LOST)))
                elif "id" in message:
                    waiting = self._pending.get(int(message["id"]))
                    answer: Forked | str
                    if "pid" in message:  # its exit is reported after this, never before
                        pid = int(message["pid"])
                        self._exits[pid] = loop.create_future()
                        answer = (pid, self._exits[pid])
                    else:
                        answer = str(message.get("error", "not forked"))
                    if waiting is not None and not waiting.done():
                        waiting.set_result(answer)
        self._gone()

    def _gone(self) -> None:
        """The warm parent died: new sessions start afresh; its apps are watched."""
        if self.alive:
            self.log.warning("warm parent: it has gone; apps start afresh from now on")
        self.alive = False
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(WarmParentGone())
        for pid, exited in list(self._exits.items()):
            if not exited.done():
                self._watchers.add(asyncio.ensure_future(_watch(pid, exited)))

    async def stop(self) -> None:
        self.alive = False
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._sock is not None:
            self._sock.close()  # the warm parent exits when its socket closes
            self._sock = None
        if self.process is not None and self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def _watch(pid: int, exited: asyncio.Future[int]) -> None:
    """An app whose warm parent died: it is nobody's child here; poll until it has gone (or
    is a zombie its new parent has not reaped)."""
    while not exited.done():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            gone = stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")
        except (OSError, IndexError):
            gone = not _exists(pid)
        if gone:
            exited.set_result(LOST)
            return
        await asyncio.sleep(0.2)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
