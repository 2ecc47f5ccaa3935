"""API entries merged into the user catalog: created, or merged into keeping its other entries
and its comments; the result checked as the catalog the program will load (the bundled one with
the user's laid over it) before it is written, atomically. `advisor catalog refresh` and
`advisor catalog import-litellm` both write through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.core.errors import InputError

HEADER = (
    "advisor user catalog: entries here override or add to the bundled catalog, by id.\n"
    "Written by `advisor catalog refresh` and `advisor catalog import-litellm`; edit freely."
)


@dataclass
class Merged:
    path: Path
    created: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def existing_ids(target: Path) -> tuple[str | None, set[str]]:
    """The user catalog's text and API model ids (None, empty when it does not exist yet).
    Raises InputError(s) when it does not load today: nothing is built on a broken file."""
    from advisor.core.catalog import load as core_catalog
    from advisor.core.files.toml import read_toml

    if not target.exists():
        return None, set()
    old, text = read_toml(target)
    old_api = old.get("api_models", {})
    if not isinstance(old_api, dict):
        raise InputError(str(target), "api_models is not a table.", field="api_models")
    core_catalog.validate_catalog(
        core_catalog._merge_raw(core_catalog.bundled_raw(), old), str(target), text
    )
    return text, set(old_api)


def render(existing: str | None, entries: dict[str, dict[str, Any]]) -> str:
    """The user catalog's new text: the old one (comments kept) with the entries laid in."""
    if existing is None:
        import tomli_w

        header = "".join(f"# {line}\n" for line in HEADER.splitlines())
        return header + "\n" + tomli_w.dumps({"api_models": entries})
    import tomlkit

    document = tomlkit.parse(existing)
    table = document.get("api_models")
    if table is None:
        table = tomlkit.table(is_super_table=True)
        document["api_models"] = table
    for model_id, entry in entries.items():
        fresh = tomlkit.table()
        for key, value in entry.items():
            fresh[key] = value
        table[model_id] = fresh
    return tomlkit.dumps(document)


def merge_api_models(target: Path, entries: dict[str, dict[str, Any]]) -> Merged:
    """Write `entries` into the user catalog at `target`. Raises InputError(s)."""
    import tomllib

    from advisor.core.catalog import load as core_catalog
    from advisor.core.files.atomic import atomic_write_text

    existing, old_ids = existing_ids(target)
    text = render(existing, entries)
    merged = core_catalog._merge_raw(core_catalog.bundled_raw(), tomllib.loads(text))
    core_catalog.validate_catalog(merged, str(target), text)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, text)
    return Merged(
        target,
        created=existing is None,
        added=sorted(i for i in entries if i not in old_ids),
        updated=sorted(i for i in entries if i in old_ids),
    )
