"""Profile file in, Decision out, with errors pinned to the file, field and line."""

from __future__ import annotations

from pathlib import Path

from advisor.core.catalog.model import Catalog
from advisor.core.decision.guard import decide_checked
from advisor.core.decision.model import Decision
from advisor.core.errors import InputError
from advisor.core.files.toml import find_line, read_toml
from advisor.core.profile.io import parse_profile, schema_of
from advisor.core.profile.model import Profile


def pin(error: InputError, file: str, text: str | None) -> InputError:
    """An error raised while deciding, re-addressed to the profile file it came from."""
    if error.file not in ("catalog", "profile"):
        return error
    line = error.line
    if text is not None and error.field and not error.field.startswith("catalog"):
        line = find_line(text, tuple(error.field.split(".")))
    return error.moved(file, line)


def load_and_decide(
    path: str | Path, catalog: Catalog | None = None, *, outlook: bool = True, fork: bool = False
) -> tuple[Profile, Decision]:
    """Read, validate and decide one profile file. Raises InputError(s) naming the file.
    `outlook`: with the horizon and the odds; `fork`: those worked out in a child (decide)."""
    path = Path(path)
    data, text = read_toml(path)
    profile = parse_profile(data, str(path), text)
    try:
        decision = decide_checked(
            profile,
            catalog,
            str(path),
            migrated_from=schema_of(data),
            outlook=outlook,
            fork=fork,
        )
        return profile, decision
    except InputError as error:
        raise pin(error, str(path), text) from None
