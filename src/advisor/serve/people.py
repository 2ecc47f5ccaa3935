"""Who a person is (their key says so) and the one folder their profiles live in.

Pure: no asyncssh. A person's name comes from their key's comment in authorized_keys, made
safe as a folder name; a key without a usable comment is named by its fingerprint. The name a
client claims (`ssh alice@host`) plays no part.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_UNSAFE = re.compile(r"[^\w.@-]+")
_DOTS = re.compile(r"\.{2,}")
_MAX = 64


@dataclass(frozen=True)
class Person:
    name: str  # a safe folder name
    fingerprint: str  # SHA256:... of their key, or "-" without authentication


GUEST = Person("guest", "-")  # everyone, with --no-auth


def fingerprint_name(fingerprint: str) -> str:
    """`key-` and the first 16 letters and digits of the fingerprint's hash."""
    digest = fingerprint.split(":", 1)[-1]
    return "key-" + re.sub(r"[^A-Za-z0-9]", "", digest)[:16]


def person_name(comment: str | None, fingerprint: str) -> str:
    """A safe folder name from a key's comment: no '/', no '..', not hidden, not empty.

    Letters (any script), digits, '_', '.', '@' and '-': `alice` stays `alice`, `Bob Smith`
    becomes `Bob-Smith`, `../../etc` becomes `etc`.
    """
    # One spelling per name: "Zoë" typed as e + combining diaeresis is the same folder.
    name = _UNSAFE.sub("-", unicodedata.normalize("NFC", comment or "").strip())
    name = _DOTS.sub(".", name).strip(".-@")[:_MAX].rstrip(".-@")
    return name or fingerprint_name(fingerprint)


class FolderError(Exception):
    """A person's folder cannot be used safely."""


def person_folder(root: Path, name: str) -> Path:
    """PROFILES_DIR/<name>, created private (0700), refused if it would lie outside root."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise FolderError(f"{name!r} is not a safe folder name")
    root = root.absolute()  # the app runs inside the folder: relative paths would nest
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = root / name
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise FolderError(f"{folder} is not a plain folder")
    try:
        folder.resolve().relative_to(root.resolve())
    except ValueError:
        raise FolderError(f"{folder} leads outside {root}") from None
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)
    return folder
