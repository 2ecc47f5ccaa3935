"""One SSH session channel with the advisor app on the other end, until one side ends it.

The channel (AdvisorProcess) notes when the client last typed and refuses subsystems, breaks
and signals. run_app bridges it to an app process on its own pty (app_process.py) and waits
for the first of: the app quits, the client goes away, the server stops (the seat's event),
or no input for the idle timeout. It ends the app and the channel and says how it ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from advisor.serve.app_process import app_environment, safe_term, spawn_app
from advisor.serve.config import ServeConfig
from advisor.serve.people import Person

# What Textual turns on, turned off again: used when the server ends an app itself.
RESET_TERMINAL = (
    b"\x1b[<u\x1b[?2048l\x1b[?2004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    b"\x1b[?1004l\x1b[?7h\x1b[0m\x1b[?1049l\x1b[?25h\r\n"
)


@dataclass(eq=False)
class Seat:
    """A running session, so that a shutdown can end it."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)


class AdvisorProcess(asyncssh.SSHServerProcess[bytes]):
    """A session channel that notes when the client last typed, and refuses subsystems."""

    def __init__(self, handler: Callable[[AdvisorProcess], Any]) -> None:
        super().__init__(handler, None, 0, False)  # type: ignore[arg-type]
        self.last_input = time.monotonic()

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        super().data_received(data, datatype)

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # sftp and everything else

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass  # a client does not get to signal the app


async def run_app(
    process: AdvisorProcess, config: ServeConfig, person: Person, folder: Path, seat: Seat
) -> str:
    """Run the app for `person` on `process` until one side ends; how it ended, for the log."""
    columns, rows, _, _ = process.term_size
    env = app_environment(safe_term(process.term_type), config.colorterm, process.env, person.name)
    argv = [*config.app_command, "--profiles-dir", str(folder), "--confine"]
    app = await spawn_app(argv, env, columns, rows, folder)
    try:
        process.set_redirect_pid(app.pid)
        # Two copies of the master: asyncssh closes each side on its own.
        # The app's end is not the channel's: the exit status (or a last word) follows.
        await process.redirect(stdin=os.dup(app.master), stdout=os.dup(app.master), send_eof=False)
        waits = {
            asyncio.ensure_future(app.process.wait()): "app",
            asyncio.ensure_future(process.wait_closed()): "client",
            asyncio.ensure_future(seat.stop.wait()): "server",
        }
        if config.idle_timeout:
            waits[asyncio.ensure_future(_idle(process, config.idle_timeout))] = "idle"
        try:
            done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        why = {waits[task] for task in done}
        if "app" in why:
            status = app.process.returncode or 0
            # Let the app's last frame (leaving the alternate screen) reach the client.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.stdout.drain(), 2.0)
            await app.stop(0)  # anything the app left behind
            if status < 0:  # killed by a signal: it could not give the terminal back
                with contextlib.suppress(Exception):
                    process.stdout.write(
                        RESET_TERMINAL
                        + f"advisor: the app stopped (signal {-status}).\r\n".encode()
                    )
            code = status if status >= 0 else 128 - status
            with contextlib.suppress(Exception):
                process.exit(code)
            return f"quit (status {code})" if status == 0 else f"app ended (status {code})"
        await app.stop(config.hangup_grace)
        if "client" in why:
            return "client disconnected"
        if "idle" in why:
            text = f"advisor: session closed after {_duration(config.idle_timeout)} without input."
            how = f"idle for {config.idle_timeout:g}s"
        else:
            text = "advisor: the server is shutting down. Thank you!"
            how = "server stopped"
        with contextlib.suppress(Exception):
            process.stdout.write(RESET_TERMINAL + text.encode() + b"\r\n")
        with contextlib.suppress(Exception):
            process.exit(1)
        return how
    finally:
        if app.running:  # cancelled or failed above: never leave the app behind
            await app.stop(config.hangup_grace)
        app.close()
        with contextlib.suppress(Exception):  # asyncssh's own clean-up of the redirects
            await asyncio.wait_for(process.wait_closed(), 2)


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} seconds"


async def _idle(process: AdvisorProcess, timeout: float) -> None:
    while (left := process.last_input + timeout - time.monotonic()) > 0:
        await asyncio.sleep(left)
