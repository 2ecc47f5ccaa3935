"""Atomic file writes: a reader sees the old file or the new one, never half of either.

How a write goes (`atomic_write_bytes`):

- The file written is the one the name leads to: a symlinked profile has its *target*
  replaced (atomically, in the target's folder), and the link stays a link.
- The new file keeps the old one's permission bits (a 0600 profile stays 0600); a new file
  gets what the umask allows (0666 & ~umask), as any program that creates a file does.
- A temp file `.NAME.XXXXXXXX.tmp` in the same folder is written, flushed, fsynced, renamed
  over the file (os.replace), and the folder is fsynced. The temp file is locked (flock) while
  it is written; a save that was killed (kill -9) leaves one behind, and the next save of that
  name removes such leftovers: only files of exactly that pattern, only regular files, only
  ones older than a few seconds that no live writer holds locked.
- What the name leads to must be a regular file (or nothing yet): a device, a FIFO or a folder
  is refused with an OSError, never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from pathlib import Path

STALE_AFTER_S = 5.0  # a temp file this old, and unlocked, is a killed save's leftover
_PREFIX_CHARS = 200  # of the file name in the temp file's name (names are at most 255 bytes)


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Write text (UTF-8) to path atomically; see the module's docstring."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def target_of(path: Path) -> Path:
    """The file a name leads to: symlinks followed (a dangling link: the file it names)."""
    path = Path(path)
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def umask_mode() -> int:
    """0666 less the process's umask: the mode a new file gets."""
    try:  # Linux says it without changing it (no race with other threads)
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _temp_prefix(name: str) -> str:
    return f".{name[:_PREFIX_CHARS]}."


def remove_stale_temps(folder: Path, name: str, now: float | None = None) -> int:
    """Remove the temp files of killed saves of `name` in `folder`; how many were removed."""
    pattern = re.compile(re.escape(_temp_prefix(name)) + r"[A-Za-z0-9_]{8}\.tmp")
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER_S:
                continue
            if _locked(entry.path):
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def _locked(path: str) -> bool:
    """Someone holds the file locked (a save in progress)."""
    import fcntl

    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases the lock
    return False


def atomic_write_bytes(path: Path, content: bytes, mode: int | None = None) -> None:
    """Write bytes atomically (see the module's docstring). `mode`, when given, is the new
    file's permission bits; by default the old file's, or the umask's for a new file."""
    import fcntl
    import tempfile  # only when saving: it pulls in random, hashlib and friends

    target = target_of(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        kind = "a folder" if stat.S_ISDIR(old.st_mode) else "not a regular file"
        raise OSError(errno.EINVAL, f"is {kind}: only a regular file is replaced", str(path))
    if mode is None:
        mode = stat.S_IMODE(old.st_mode) if old is not None else umask_mode()
    remove_stale_temps(folder, target.name)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # a save in progress, not a leftover
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
            os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
