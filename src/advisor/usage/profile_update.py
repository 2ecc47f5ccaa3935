"""How a usage summary updates a profile: only the measured answers change
(`UsageSummary.profile_values`), in an existing file's text (its other lines, comments and
layout kept) or in a new profile."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.core.errors import InputError
from advisor.usage.definitions import describe_window
from advisor.usage.postgres import is_database, shown

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile
    from advisor.usage.summary import UsageSummary


def apply_to_profile(summary: UsageSummary, profile: Profile, file: str = "<profile>") -> Profile:
    """The profile with its workload and traffic (and api.model, needs.multi_model when the
    logs say so) measured; every other answer kept."""
    from advisor.core.profile.io import parse_profile

    data = profile.model_dump(mode="json", exclude_none=True)
    for section, values in summary.profile_values().items():
        data.setdefault(section, {}).update(values)
    if data["workload"]["input_tokens"] + data["workload"]["output_tokens"] == 0:
        raise InputError(file, "the logs record no tokens at all: nothing to measure.")
    return parse_profile(data, file)


def update_profile_text(text: str, summary: UsageSummary, file: str = "<profile>") -> str:
    """A profile's TOML text with only the measured answers changed: every other line, comment
    and layout as it was (where `save_profile` would also write out every default). The result
    is checked as a profile; raises InputError(s)."""
    import tomllib

    import tomlkit

    from advisor.core.profile.io import parse_profile

    document = tomlkit.parse(text)
    for section, values in summary.profile_values().items():
        table = document.get(section)
        if table is None:
            table = tomlkit.table()
            document[section] = table
        for key, value in values.items():
            table[key] = value
    updated = tomlkit.dumps(document)
    parse_profile(tomllib.loads(updated), file, updated)
    return updated


def new_profile(summary: UsageSummary, sources: Sequence[str]) -> Profile:
    """A fresh profile (defaults elsewhere) from the measured figures."""
    from advisor.core.profile.model import Profile

    names = ", ".join(shown(s) if is_database(s) else Path(s).name for s in sources)
    notes = (
        f"Workload and traffic measured by `advisor import-usage` from {names}: "
        f"{summary.requests:,} requests over {describe_window(summary.window)}."
    )
    base = Profile(name=f"Measured usage ({_clip(names, 150)})", notes=notes)
    return apply_to_profile(summary, base)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
