"""Start-up, in one place: the first decision is computed while Textual loads.

`advisor PROFILE` must show its results about as fast as a bare Textual app shows anything.
Importing Textual (~190 ms) and deciding (pydantic, the core, the profile: ~150 ms) would add
up; on two cores they overlap instead:

1. Before Textual is imported, `Opening(path)` forks. The child loads the profile and decides,
   and sends the Decision (named tuples, no pydantic) and the Profile, pickled, through a
   pipe, then exits. The profile file is read and validated once, there.
2. The parent imports Textual and draws the results screen, which says "Working out the
   recommendation…"; a worker waits for the pipe and the screen shows the decision when it
   comes (in its first frame, if the decision is the quicker).
3. After that frame the profile is unpickled (pydantic loads then) so it can be edited.

Where the core is already loaded (the SSH server's warm parent forks apps from it) or there is
no fork, the decision is computed in this process instead. Imports no Textual, no pydantic.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.core.files.read import Fingerprint
    from advisor.core.profile.model import Profile

_LENGTH = struct.Struct("!Q")


class Opened(NamedTuple):
    """What opening a profile gave: a decision and the profile, or why not."""

    path: Path
    decision: Decision | None
    profile: bytes | None  # the Profile, pickled: unpickle it once the first frame is up
    error: str | None
    disk: Fingerprint | None = None  # the file as it was read (Session.changed_on_disk)

    def load_profile(self) -> Profile | None:
        return None if self.profile is None else pickle.loads(self.profile)


def _decide(path: Path) -> tuple[bytes, bytes, str]:
    """(decision pickled, profile pickled, error): the work the child does."""
    from advisor.core.catalog.load import default_catalog
    from advisor.core.decision.load import load_and_decide
    from advisor.core.errors import InputError, InputErrors

    try:
        profile, decision = load_and_decide(path, default_catalog(), outlook=False)
    except (InputError, InputErrors) as exc:
        return b"", b"", str(exc)
    return pickle.dumps(decision), pickle.dumps(profile), ""


def _child_parts(path: Path) -> tuple[bytes, bytes, bytes]:
    """What the child sends. Never a traceback on the terminal the app is about to draw on:
    an unexpected failure becomes the message the app shows."""
    try:
        decision, profile, error = _decide(path)
    except BaseException as exc:
        last = traceback.format_exception_only(exc)[-1].strip()
        return b"", b"", f"advisor could not decide this profile ({last}).".encode()
    return decision, profile, error.encode()


def _stat_key(path: Path) -> tuple[int, int] | None:
    """(mtime_ns, size), as advisor.core.files.read.stat_key (not imported: start-up)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size


def _frames(*parts: bytes) -> bytes:
    return b"".join(_LENGTH.pack(len(p)) + p for p in parts)


def _unframe(data: bytes, count: int) -> list[bytes]:
    parts, at = [], 0
    for _ in range(count):
        (size,) = _LENGTH.unpack_from(data, at)
        at += _LENGTH.size
        parts.append(data[at : at + size])
        at += size
    return parts


class Opening:
    """A profile being opened: in a forked child (see above), or here and now."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # What the file was before the child reads it: a change during start-up is then
        # noticed when the profile is saved (Session.adopt).
        self.seen = _stat_key(path)
        self._pid: int | None = None
        self._read: int | None = None
        self._done: Opened | None = None
        self._collector: threading.Thread | None = None
        warm = "advisor.core.decision.decide" in sys.modules
        if warm or not hasattr(os, "fork"):
            self._done = self._here()
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: decide, send, and leave without running any exit code
            try:
                os.close(read)
                with open(write, "wb") as pipe:
                    pipe.write(_frames(*_child_parts(path)))
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read
        # Collect the answer as soon as the child sends it (unpickling imports the decision's
        # classes): meanwhile this thread goes on importing Textual and drawing.
        self._collector = threading.Thread(target=self._collect, name="advisor-opening")
        self._collector.daemon = True
        self._collector.start()

    def _here(self) -> Opened:
        return self._opened(*_child_parts(self.path))

    def _opened(self, decision: bytes, profile: bytes, error: bytes) -> Opened:
        if error or not decision:
            message = error.decode() or "the profile could not be decided (see the terminal)."
            return Opened(self.path, None, None, message)
        return Opened(self.path, pickle.loads(decision), profile, None, self._disk())

    def _disk(self) -> Fingerprint | None:
        """The file's fingerprint (in the worker thread that waits for the decision); if the
        file is not what it was before the child read it, one that matches no file."""
        from advisor.core.files.read import fingerprint

        disk = fingerprint(self.path)
        if disk is not None and (disk.mtime_ns, disk.size) != self.seen:
            disk = disk._replace(digest="changed while it was being opened")
        return disk

    def result(self) -> Opened:
        """Wait for the decision (blocking: call it from a worker thread)."""
        if self._collector is not None:
            self._collector.join()
        assert self._done is not None
        return self._done

    def _collect(self) -> None:
        """In its own thread: the child's answer, read, reaped and unpickled. Never raises
        (a traceback would land on the terminal the app draws on)."""
        assert self._read is not None
        pid = self._pid
        try:
            with open(self._read, "rb") as pipe:
                data = pipe.read()
            if pid is not None:
                with contextlib.suppress(ChildProcessError):  # cancel() reaped it
                    os.waitpid(pid, 0)
            self._pid = None
            try:
                decision, profile, error = _unframe(data, 3)
            except struct.error:
                decision, profile, error = b"", b"", b""
            self._done = self._opened(decision, profile, error)
        except BaseException as exc:
            last = traceback.format_exception_only(exc)[-1].strip()
            self._done = Opened(self.path, None, None, f"advisor could not open it ({last}).")

    def cancel(self) -> None:
        """The app is closing before the decision came: stop the child."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            self._pid = None
