"""Profile file in, Decision out, with errors pinned to the file, field and line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from advisor.core.catalog.model import Catalog
from advisor.core.decision.guard import decide_checked
from advisor.core.decision.model import Decision
from advisor.core.errors import InputError
from advisor.core.files.toml import find_line, read_toml
from advisor.core.profile.version import schema_of

if TYPE_CHECKING:
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
    from advisor.core.profile.io import parse_profile

    path = Path(path)
    data, text = read_toml(path)
    profile = parse_profile(data, str(path), text)
    return profile, _decided(profile, data, text, path, catalog, outlook, fork)


def _decided(
    profile: Profile,
    data: dict[str, Any],
    text: str | None,
    path: Path,
    catalog: Catalog | None,
    outlook: bool,
    fork: bool,
) -> Decision:
    """The decision for a profile read from `path`, its errors pinned to the file."""
    try:
        return decide_checked(
            profile,
            catalog,
            str(path),
            migrated_from=schema_of(data),
            outlook=outlook,
            fork=fork,
        )
    except InputError as error:
        raise pin(error, str(path), text) from None


def decide_file(
    path: str | Path, catalog: Catalog | None = None, *, fork: bool = False
) -> Decision:
    """The decision for a profile file, as `advisor report` makes it (see read_and_decide)."""
    return read_and_decide(path, catalog, fork=fork)[1]


def read_and_decide(
    path: str | Path,
    catalog: Catalog | None = None,
    *,
    outlook: bool = True,
    fork: bool = False,
) -> tuple[Profile | dict[str, Any], Decision]:
    """Read and decide a profile file with the profile checked without pydantic where it
    certainly takes it (profile/plain.py), else by the model, whose messages name what is
    wrong. Returns the file's data when it was read without the model (`parse_profile` makes
    the same Profile of them), else the Profile; and the decision. Raises InputError(s)."""
    from advisor.core.profile.plain import plain_profile

    path = Path(path)
    data, text = read_toml(path)
    plain = plain_profile(data)
    read: Profile | dict[str, Any]
    if plain is None:
        from advisor.core.profile.io import parse_profile

        profile = read = parse_profile(data, str(path), text)
    else:  # the same answers, read as the core reads a Profile (attributes, fields set, dump)
        profile, read = cast("Profile", plain), data
    return read, _decided(profile, data, text, path, catalog, outlook, fork)
