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
4. Having sent the decision, the child works out its outlook (the horizon and the odds) and
   sends that too: the app's own thread never spends the tens of milliseconds it takes while
   the first frame is being drawn, and the outlook is shown as soon as it is ready.

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
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.core.decision.outlook import Outlook
    from advisor.core.errors import InputError
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
        return None if self.profile is None else profile_of(self.profile, self.path)


def _last_line(exc: BaseException) -> str:
    import traceback  # only on failure: start-up does not load it

    return traceback.format_exception_only(exc)[-1].strip()


def _decide(path: Path) -> tuple[Decision | None, bytes, bytes, str]:
    """(decision, decision pickled, profile pickled, error): the work the child does."""
    from advisor.core.catalog.load import default_catalog
    from advisor.core.decision.load import read_and_decide
    from advisor.core.errors import InputError, InputErrors

    try:
        # The profile is sent as the file's data where it was read without pydantic (the
        # app makes the Profile of them once its first frame is up: profile_of).
        profile, decision = read_and_decide(path, default_catalog(), outlook=False)
    except (InputError, InputErrors) as exc:
        return None, b"", b"", str(exc)
    return decision, pickle.dumps(decision), pickle.dumps(profile), ""


def profile_of(pickled: bytes, path: Path | None) -> Profile | None:
    """The Profile the child sent: itself, or the file's data it read without pydantic,
    which the model takes as they are (profile/plain.py's tests hold the two together)."""
    sent = pickle.loads(pickled)
    if isinstance(sent, dict):
        from advisor.core.profile.io import parse_profile

        return parse_profile(sent, str(path or "profile"))
    profile: Profile | None = sent
    return profile


def _child_parts(path: Path) -> tuple[Decision | None, bytes, bytes, bytes]:
    """What the child sends first. Never a traceback on the terminal the app is about to draw
    on: an unexpected failure becomes the message the app shows."""
    try:
        decision, pickled, profile, error = _decide(path)
    except BaseException as exc:
        last = _last_line(exc)
        return None, b"", b"", f"advisor could not decide this profile ({last}).".encode()
    return decision, pickled, profile, error.encode()


def _outlook_part(decision: Decision, label: str) -> bytes:
    """What the child sends next: the decision's Outlook, or the InputError that says why it
    has none, pickled; nothing after an unexpected failure (the app then works it out)."""
    from advisor.core.decision.guard import outlook_checked
    from advisor.core.decision.outlook import Outlook
    from advisor.core.errors import InputError

    try:
        return pickle.dumps(Outlook.of(outlook_checked(decision, label)))
    except InputError as exc:
        return pickle.dumps(exc)
    except BaseException:
        return b""


def _stat_key(path: Path) -> tuple[int, int] | None:
    """(mtime_ns, size), as advisor.core.files.read.stat_key (not imported: start-up)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size


def _frames(*parts: bytes) -> bytes:
    return b"".join(_LENGTH.pack(len(p)) + p for p in parts)


def _read_frames(pipe: BinaryIO, count: int) -> list[bytes]:
    """`count` frames from the pipe; EOFError if it closes first (the child has gone)."""
    parts = []
    for _ in range(count):
        head = pipe.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            raise EOFError
        (size,) = _LENGTH.unpack(head)
        body = pipe.read(size)
        if len(body) < size:
            raise EOFError
        parts.append(body)
    return parts


class Opening:
    """A profile being opened: in a forked child (see above), or here and now."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # What the file was before the child reads it: a change during start-up is then
        # noticed when the profile is saved (Session.adopt).
        self.seen = _stat_key(path)
        self._pid: int | None = None  # the child, until whoever reaps it takes it (_take_pid)
        self._pid_lock = threading.Lock()
        self._read: int | None = None
        self._done: Opened | None = None
        self._answered = threading.Event()  # _done is set
        self._outlook: bytes = b""  # the child's second answer (see _outlook_part)
        self._outlook_sent = threading.Event()
        self._collector: threading.Thread | None = None
        warm = "advisor.core.decision.decide" in sys.modules
        if warm or not hasattr(os, "fork"):
            self._done = self._here()
            self._answered.set()
            self._outlook_sent.set()  # nothing comes: the app works the outlook out
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: decide, send, and leave without running any exit code
            try:
                os.close(read)
                with open(write, "wb") as pipe:
                    decision, *parts = _child_parts(path)
                    pipe.write(_frames(*parts))
                    pipe.flush()
                    if decision is not None:
                        pipe.write(_frames(_outlook_part(decision, str(path))))
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
        _, *parts = _child_parts(self.path)
        return self._opened(*parts)

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

    def answered(self) -> Opened | None:
        """The decision, if it has come (it usually has by the time the app is up)."""
        return self._done if self._answered.is_set() else None

    def result(self) -> Opened:
        """Wait for the decision (blocking: call it from a worker thread)."""
        self._answered.wait()
        assert self._done is not None
        return self._done

    def outlook(self, decision: Decision) -> Decision | None:
        """The decision this opened, with the horizon and the odds the child worked out after
        it (blocking: call it from a thread). None where there is no such answer (another
        decision, no child, or it failed): work it out here then. Raises the InputError that
        says why the outlook cannot be worked out."""
        if self._done is None or self._done.decision is not decision:
            return None
        self._outlook_sent.wait()
        try:
            answer: Outlook | InputError | None = (
                pickle.loads(self._outlook) if self._outlook else None
            )
        except Exception:
            return None
        from advisor.core.errors import InputError

        if isinstance(answer, InputError):
            raise answer
        return None if answer is None else answer.added_to(decision)

    def _collect(self) -> None:
        """In its own thread: the child's answers, read and unpickled, and the child reaped.
        Never raises (a traceback would land on the terminal the app draws on)."""
        assert self._read is not None
        try:
            with open(self._read, "rb") as pipe:
                self._done = self._first(pipe)
                self._answered.set()
                if self._done.decision is not None:
                    with contextlib.suppress(EOFError, OSError):
                        (self._outlook,) = _read_frames(pipe, 1)
        except BaseException as exc:
            last = _last_line(exc)
            self._done = self._done or Opened(
                self.path, None, None, f"advisor could not open it ({last})."
            )
        finally:
            self._answered.set()
            self._outlook_sent.set()
            pid = self._take_pid()
            if pid is not None:
                with contextlib.suppress(ChildProcessError):  # cancel() reaped it
                    os.waitpid(pid, 0)

    def _first(self, pipe: BinaryIO) -> Opened:
        try:
            decision, profile, error = _read_frames(pipe, 3)
        except EOFError:
            decision, profile, error = b"", b"", b""
        return self._opened(decision, profile, error)

    def cancel(self) -> None:
        """The app is closing: stop the child if it is still at work (on the decision or on
        its outlook)."""
        pid = self._take_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, 9)
                os.waitpid(pid, 0)

    def _take_pid(self) -> int | None:
        """The child's pid, once: the collector (having read the last answer) and cancel()
        (the app closing) may both try to reap it, and only one may."""
        with self._pid_lock:
            pid, self._pid = self._pid, None
            return pid
