"""Reading TOML files for the core: clear errors with line numbers, never a traceback."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from advisor.core.errors import InputError
from advisor.core.files.read import PROFILE_LIMIT, read_capped, shown_name

PROFILE_TABLES = 1_000  # table headers in a profile, at most (it has about 12)
_DOTTED = re.compile(r"""^[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*\.""", re.MULTILINE)

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def read_toml(
    path: Path,
    what: str = "a profile file",
    limit: int = PROFILE_LIMIT,
    max_tables: int = PROFILE_TABLES,
    inline_tables: bool = False,
) -> tuple[dict[str, Any], str]:
    """Parse a TOML file; return (data, text). Raises InputError naming the file and line.

    The file is read with `read_capped`: a regular file of at most `limit` bytes (512 KiB for a
    profile), never a FIFO, a device or a folder, and never a read that blocks. A file of more
    than `max_tables` tables (headers and dotted keys; with `inline_tables`, every "{" too) is
    refused before parsing: tomllib keeps about 1.5 KB for each table, so 100,000 short headers
    would take 150 MB."""
    name = shown_name(str(path))
    raw = read_capped(path, limit, what)
    if b"\x00" in raw:
        raise InputError(name, "is a binary file, not a TOML text file.")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark from a Windows editor is fine
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not UTF-8 text (bad byte at offset {exc.start}).") from None
    tables = text.count("\n[") + text.lstrip().startswith("[") + len(_DOTTED.findall(text))
    if inline_tables:
        tables += text.count("{")
    if tables > max_tables:
        raise InputError(
            name,
            f"holds about {tables:,} tables: too many for {what}.",
            allowed=f"at most {max_tables:,}",
        )
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise InputError(
            name,
            "is not valid TOML for advisor: arrays or tables are nested too deeply.",
            allowed="tables and arrays a few levels deep",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT.search(message)
        line = int(found.group(1)) if found else None
        problem = _AT.sub("", message).strip().rstrip(".")
        raise InputError(name, f"is not valid TOML: {problem}.", line=line) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise InputError(
            name,
            "is not valid TOML for advisor: it holds a number too long to read.",
            allowed="numbers of at most a few dozen digits",
        ) from None
    return data, text


def refuse_oversized(data: Any, file: str, limit: int, what: str) -> None:
    """Refuse data holding more than `limit` keys, tables and values in all, before anything
    validates it: checking a file of 100,000 wrong keys costs time and memory per key."""
    count, stack = 0, [data]
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            raise InputError(
                shown_name(file),
                f"holds more than {limit:,} keys and values: too many for {what}.",
                allowed=f"{what[2:] if what.startswith('a ') else what} as `advisor "
                "examples` and `advisor catalog` show them",
            )
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


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
