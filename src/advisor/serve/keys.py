"""The keys of `advisor serve`: the people's (authorized_keys) and the server's own (host key).

An OpenSSH authorized_keys file, one line per person: `ssh-ed25519 AAAA... alice`. The
comment names the person. Options before the key are read; `from="..."` is honoured, the
rest is moot (nobody gets a shell, a command or a forwarding here anyway). The file is read
again when it changes, so a facilitator can add someone without a restart.

The host key (ed25519) is generated on first start with mode 0600 and reused afterwards, so
clients never see a changed host key.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from advisor.serve.people import Person, person_name


class KeyFileError(Exception):
    """A key file cannot be used; the message says what to do."""


@dataclass(frozen=True)
class _Entry:
    person: Person
    rules: asyncssh.SSHAuthorizedKeys  # the line itself, for its `from=` option


def _split_options(line: str) -> str:
    """The line without a leading options field (which may hold quoted spaces)."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char.isspace() and not quoted:
            return line[index:].strip()
    return ""


def _import_key(text: str) -> asyncssh.SSHKey:
    # asyncssh reads a str as ASCII only; the comment may be in any script (UTF-8).
    return asyncssh.import_public_key(text.encode("utf-8"))


def parse_authorized_keys(text: str) -> tuple[dict[bytes, _Entry], list[str]]:
    """Key (public data) -> who it is; and one warning per line that was skipped."""
    entries: dict[bytes, _Entry] = {}
    warnings: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        options, rest = "", line
        try:
            key = _import_key(line)
        except (asyncssh.KeyImportError, ValueError):
            rest = _split_options(line)
            options = line[: len(line) - len(rest)].strip()
            try:
                key = _import_key(rest)
            except (asyncssh.KeyImportError, ValueError):
                warnings.append(f"line {number}: not a public key, skipped")
                continue
        if "cert-authority" in options.lower():
            warnings.append(f"line {number}: certificate authorities are not supported, skipped")
            continue
        # The rules (`from=`) are read from the options and the key alone: asyncssh reads
        # ASCII only, and the comment plays no part in them.
        algorithm, data = rest.split()[:2]
        try:
            rules = asyncssh.import_authorized_keys(f"{options} {algorithm} {data}".strip())
        except (asyncssh.KeyImportError, ValueError, UnicodeError) as error:
            warnings.append(f"line {number}: {error}, skipped")
            continue
        fingerprint = key.get_fingerprint("sha256")
        person = Person(person_name(key.get_comment(), fingerprint), fingerprint)
        entries.setdefault(key.public_data, _Entry(person, rules))
    return entries, warnings


class AuthorizedKeys:
    """The people who may connect, re-read from the file whenever it changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._signature: tuple[int, int, int] | None = None
        self._entries: dict[bytes, _Entry] = {}
        self.warnings: list[str] = []

    def load(self) -> None:
        """Read the file now; raises KeyFileError when it cannot be read."""
        try:
            info = self.path.stat()
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise KeyFileError(f"cannot read {self.path}: {error.strerror}") from None
        self._entries, self.warnings = parse_authorized_keys(text)
        self._signature = (info.st_mtime_ns, info.st_size, info.st_ino)

    def refresh(self) -> None:
        """Re-read the file if it changed; a file that vanished lets nobody in."""
        try:
            info = self.path.stat()
        except OSError:
            self._entries, self._signature = {}, None
            return
        if (info.st_mtime_ns, info.st_size, info.st_ino) != self._signature:
            try:
                self.load()
            except KeyFileError:
                self._entries, self._signature = {}, None

    def people(self) -> list[str]:
        return sorted({entry.person.name for entry in self._entries.values()})

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, key: asyncssh.SSHKey, address: str) -> Person | None:
        """Who this key belongs to, if it is listed (and its `from=` admits the address)."""
        self.refresh()
        entry = self._entries.get(key.public_data)
        if entry is None:
            return None
        try:
            allowed = entry.rules.validate(key, address, address)
        except ValueError:
            allowed = None
        return entry.person if allowed is not None else None


def load_or_create_host_key(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The server's key, generated (ed25519, 0600) the first time. (key, created)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise KeyFileError(
                f"the host key {path} can be read by others; fix it with: chmod 600 {path}"
            )
        try:
            return asyncssh.read_private_key(path), False
        except (OSError, asyncssh.KeyImportError, ValueError) as error:
            raise KeyFileError(f"cannot use the host key {path}: {error}") from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = asyncssh.generate_private_key("ssh-ed25519", comment="advisor serve host key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server made it a moment ago: use that one
        return load_or_create_host_key(path)
    except OSError as error:
        raise KeyFileError(f"cannot create the host key {path}: {error.strerror}") from None
    with os.fdopen(fd, "wb") as out:
        out.write(key.export_private_key())
        out.flush()
        os.fsync(out.fileno())
    with contextlib.suppress(OSError):  # the public half is a convenience
        Path(f"{path}.pub").write_bytes(key.export_public_key())
    return key, True
