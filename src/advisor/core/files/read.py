"""Reading a file a person named: bounded, never blocking, only regular files.

A profile or a catalog is a few kilobytes. A name can still lead to anything: a symlink to
/dev/zero (endless), a FIFO (a read that waits for a writer forever), a socket, a device, a
folder, a file of gigabytes. `read_capped` opens without blocking (O_NONBLOCK, so opening a
FIFO or a device returns at once), asks the open file what it is (fstat: no race between a
check and the open), refuses anything but a regular file, and reads at most `limit` bytes,
so no file costs more than that much memory, whatever it claims its size is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from advisor.core.errors import InputError

MIB = 1 << 20
# A profile: 512 KiB (an example is 2 KB; the notes hold at most 100,000 characters). What
# tomllib builds from half a megabyte of the most expensive TOML stays under 100 MB.
PROFILE_LIMIT = 512 * 1024
NAME_SHOWN = 120  # characters of a file name shown in a message, at most


def size_words(size: int) -> str:
    """1 MiB, 3.4 GB, 12 KB."""
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    if size >= MIB:
        return f"{size / MIB:.1f} MiB".replace(".0 MiB", " MiB")
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} bytes"


def shown_name(name: str, limit: int = NAME_SHOWN) -> str:
    """A file name short enough for a message: its start and its end around an ellipsis."""
    if len(name) <= limit:
        return name
    keep = (limit - 1) // 2
    return f"{name[:keep]}…{name[-keep:]}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open_error(name: str, exc: OSError, what: str) -> InputError:
    shown = shown_name(name)
    if exc.errno == errno.ENOENT:
        return InputError(shown, "no such file.")
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(
            shown,
            f"the file name is too long ({len(name):,} characters).",
            allowed="a name of at most 255 bytes in each folder of the path",
        )
    if exc.errno == errno.ELOOP:
        return InputError(shown, "is a symlink that leads round in a loop.")
    if exc.errno == errno.EISDIR:
        return InputError(shown, f"is a folder, not {what}.")
    if exc.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
        return InputError(shown, f"is a socket or a device, not {what}.")
    return InputError(shown, f"cannot be read ({exc.strerror or exc}).")


class TooBig(InputError):
    """A file over the limit of what is read."""


def _too_big(name: str, size: str, limit: int, what: str) -> InputError:
    return TooBig(
        shown_name(name),
        f"is {size}: too big for {what}.",
        allowed=f"at most {size_words(limit)}",
    )


def read_capped(
    path: Path | str, limit: int = PROFILE_LIMIT, what: str = "a profile file"
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else an InputError that names
    the file and says what it is (a folder, a FIFO, a device...) or how big, and the limit.
    Never blocks on a FIFO or a device, never reads more than `limit` + 1 bytes."""
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags)
    except ValueError:  # a NUL character in the name
        raise InputError(shown_name(name), "is not a usable file name.") from None
    except OSError as exc:
        raise _open_error(name, exc, what) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(shown_name(name), f"is {_kind(info.st_mode)}, not {what}.")
        if info.st_size > limit:
            raise _too_big(name, size_words(info.st_size), limit, what)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # st_size can lie (/proc, a file still growing)
            try:
                chunk = os.read(fd, min(limit + 1 - total, MIB))
            except BlockingIOError:  # nothing to read without waiting: treat as the end
                break
            except OSError as exc:
                raise _open_error(name, exc, what) from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise _too_big(name, f"more than {size_words(limit)}", limit, what)
        return b"".join(chunks)
    finally:
        os.close(fd)


class Fingerprint(NamedTuple):
    """What a file was when it was read or written: to tell whether someone changed it since."""

    mtime_ns: int
    size: int
    digest: str  # SHA-256 of the content; "" when it is too big to read (mtime and size then)

    def same_content(self, other: Fingerprint | None) -> bool:
        """The file holds what it held: the same digest (a `touch` changes nothing), or, with
        no digest, the same size and modification time."""
        if other is None:
            return False
        if self.digest and other.digest:
            return self.digest == other.digest
        return (self.mtime_ns, self.size) == (other.mtime_ns, other.size)


def stat_key(path: Path | str) -> tuple[int, int] | None:
    """(mtime_ns, size) of what `path` leads to, or None: cheap, for start-up."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size


def fingerprint(path: Path | str, limit: int = PROFILE_LIMIT) -> Fingerprint | None:
    """The file's fingerprint now; None when there is no regular file there."""
    import hashlib  # only when a file is opened or saved

    key = stat_key(path)
    if key is None:
        return None
    try:
        digest = hashlib.sha256(read_capped(path, limit)).hexdigest()
    except TooBig:
        digest = ""
    except InputError:
        return None
    return Fingerprint(key[0], key[1], digest)
