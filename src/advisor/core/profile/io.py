"""Load and save profiles as TOML: migrations by schema_version, atomic saves that keep comments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from advisor.core.errors import InputError
from advisor.core.files.atomic import atomic_write_text
from advisor.core.files.read import read_capped
from advisor.core.files.toml import find_line, read_toml, refuse_oversized
from advisor.core.profile.model import Profile
from advisor.core.profile.validation import to_input_errors
from advisor.core.profile.version import SCHEMA_VERSION
from advisor.core.profile.version import schema_of as schema_of  # its callers' old home
from advisor.core.text import quoted

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 only adds keys (DESIGN.md §6), all optional: a v1 profile means the same."""
    return data


# MIGRATIONS[n] turns a version-n dict into a version-(n + 1) dict. Version 1 is the first.
MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}


PROFILE_VALUES = 2_000  # keys, tables and values in a profile, at most (it has about 70)

HEADER = "# advisor profile. Edit freely: advisor keeps your comments when it saves this file.\n"


def migrate(data: dict[str, Any], file: str, text: str | None = None) -> dict[str, Any]:
    """Bring a raw profile dict up to SCHEMA_VERSION, or refuse with a clear message."""
    version = data.get("schema_version", SCHEMA_VERSION)
    line = find_line(text, ("schema_version",)) if text else None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InputError(
            file,
            f"{quoted(version)} is not a schema version.",
            field="schema_version",
            line=line,
            allowed=f"1 to {SCHEMA_VERSION}",
        )
    if version > SCHEMA_VERSION:
        raise InputError(
            file,
            f"this profile was written by a newer advisor (schema_version {version}); "
            f"this advisor reads schema_version up to {SCHEMA_VERSION}. "
            "Upgrade advisor to open it.",
            field="schema_version",
            line=line,
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data


def parse_profile(
    data: dict[str, Any], file: str = "<profile>", text: str | None = None
) -> Profile:
    """Validate raw profile data (already parsed from TOML)."""
    refuse_empty(data, file)
    refuse_oversized(data, file, PROFILE_VALUES, "a profile")
    data = migrate(dict(data), file, text)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise to_input_errors(exc, file, text, Profile) from None


def load_profile(path: str | Path) -> Profile:
    """Read a profile file. Raises InputError / InputErrors with file, field and line."""
    path = Path(path)
    data, text = read_toml(path)
    return parse_profile(data, str(path), text)


def refuse_empty(data: dict[str, Any], file: str) -> None:
    """An empty file is a truncated or wrong file, not a profile of defaults."""
    if not data:
        raise InputError(
            file,
            "is empty: a profile has at least a [workload] table.",
            allowed="a profile as in `advisor examples` (e.g. profiles/medium.toml)",
        )


def whole_numbers(data: dict[str, Any], *, drop_empty: bool = False) -> dict[str, Any]:
    """The data as a person writes it: `30000`, not `30000.0` (a number field reads either),
    and, with `drop_empty`, no empty table (`[api]` with nothing in it)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = whole_numbers(value, drop_empty=drop_empty)
            if drop_empty and not value:
                continue
        elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        out[key] = value
    return out


def dumps_profile(profile: Profile) -> str:
    """A fresh TOML text for the profile (used when there is no file to keep comments from)."""
    import tomli_w

    return HEADER + tomli_w.dumps(whole_numbers(profile.to_toml_dict(), drop_empty=True))


def _merge(table: Any, new: dict[str, Any]) -> None:
    """Update a tomlkit table in place to hold `new`, keeping comments and order. A table that
    no longer holds anything goes, unless it holds comments (commented-out keys, say)."""
    for key in [k for k in table if k not in new]:
        if isinstance(table[key], dict) and _has_comments(table[key]):
            _merge(table[key], {})
        else:
            del table[key]
    for key, value in new.items():
        if isinstance(value, dict) and key in table and isinstance(table[key], dict):
            _merge(table[key], value)
        elif key not in table or table[key] != value:
            table[key] = value


def _has_comments(table: Any) -> bool:
    """A tomlkit table with a comment on its header line or among its lines."""
    import tomlkit.items

    trivia = getattr(table, "trivia", None)
    if trivia is not None and trivia.comment:
        return True
    body = getattr(getattr(table, "value", None), "body", ())
    return any(
        isinstance(item, tomlkit.items.Comment) or (isinstance(item, dict) and _has_comments(item))
        for _, item in body
    )


def merge_into_text(text: str, profile: Profile) -> str:
    """The existing TOML text updated to hold `profile`, with its comments kept."""
    import tomlkit

    document = tomlkit.parse(text)
    _merge(document, whole_numbers(profile.to_toml_dict(), drop_empty=True))
    return tomlkit.dumps(document)


def save_profile(
    profile: Profile, path: str | Path, *, layout_from: Path | None = None, fresh: bool = False
) -> None:
    """Save atomically, keeping the comments and layout of `layout_from` (by default the file
    being replaced). Saving under a new name keeps those of the file the profile came from,
    never those of an unrelated file that had the new name; `fresh` keeps none.

    A symlinked profile has its target written; the file keeps its permissions (see
    core/files/atomic.py). Raises OSError when the file cannot be written."""
    path = Path(path)
    text: str | None = None
    try:
        # A byte-order mark (from a Windows editor) is read past, so the comments are kept;
        # the file is written back without it, as UTF-8 TOML files are everywhere else.
        raw = None if fresh else read_capped(Path(layout_from or path))
        old = None if raw is None else raw.decode("utf-8-sig")
    except (InputError, UnicodeDecodeError):  # missing, not a regular file, too big, binary
        old = None
    if old is not None:
        try:
            text = merge_into_text(old, profile)
        except Exception:  # a broken old file: replace it with a clean one
            text = None
    atomic_write_text(path, text if text is not None else dumps_profile(profile))
