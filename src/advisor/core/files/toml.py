"""Reading TOML files for the core: clear errors with line numbers, never a traceback."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from advisor.core.errors import InputError

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file; return (data, text). Raises InputError naming the file and line."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file.") from None
    except IsADirectoryError:
        raise InputError(name, "is a folder, not a profile file.") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror}).") from None
    if b"\x00" in raw:
        raise InputError(name, "is a binary file, not a TOML text file.")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark from a Windows editor is fine
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not UTF-8 text (bad byte at offset {exc.start}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT.search(message)
        line = int(found.group(1)) if found else None
        problem = _AT.sub("", message).strip().rstrip(".")
        raise InputError(name, f"is not valid TOML: {problem}.", line=line) from None
    return data, text


_PART = re.compile(r"""\s*("[^"]*"|'[^']*'|[^.\s]+)\s*""")


def _parts(dotted: str) -> list[str]:
    """Split a dotted TOML key into its parts, respecting quotes."""
    return [p[1:-1] if p[0] in "\"'" else p for p in _PART.findall(dotted)]


def find_line(text: str, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort line number of the key at `loc` (a path of table names and a key)."""
    path = [str(p) for p in loc if not isinstance(p, int)]
    if not path:
        return None
    table: list[str] = []
    header_line: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            table = _parts(header.group(1))
            if table == path:
                header_line = number
            continue
        key = _KEY.match(line)
        if key:
            full = table + _parts(key.group(1))
            if full == path:
                return number
    return header_line
