"""Where profiles are saved and opened: one folder, names sanitised, nothing outside it.

The TUI's dialogs (and, over SSH, each person's own folder) go through a ProfileStore, so a
name like `../../etc/passwd` or a symlink leading out is refused, never followed. The bundled
examples are listed beside the store and open read-only.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from advisor.core.data import PROFILES
from advisor.core.errors import InputError

_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def bundled_profiles() -> dict[str, Path]:
    """The bundled example profiles by name (`medium`, `heavy`, ...)."""
    return {path.stem: path for path in sorted(PROFILES.glob("*.toml"))}


def resolve_profile_path(name: str) -> Path:
    """A profile file, or the name of a bundled example."""
    path = Path(name)
    if path.exists() or path.suffix == ".toml" or "/" in name:
        return path
    return bundled_profiles().get(name, path)


def default_folder() -> Path:
    """$XDG_DATA_HOME/advisor/profiles (~/.local/share/advisor/profiles)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "advisor" / "profiles"


def sanitise(name: str) -> str:
    """A file name from what a person typed: letters, digits, dot, dash, underscore, space."""
    stem = name.strip()
    if stem.lower().endswith(".toml"):
        stem = stem[: -len(".toml")]
    if "/" in stem or "\\" in stem or stem.startswith(".") or ".." in stem:
        raise InputError(
            name,
            "is not a plain file name: folders, '..' and hidden names are not allowed.",
            allowed="letters, digits, spaces, '.', '-' and '_'",
        )
    stem = _SAFE.sub("-", stem).strip(" -")
    if not stem:
        raise InputError(
            name or "(empty)",
            "is not a usable file name.",
            allowed="letters, digits, spaces, '.', '-' and '_'",
        )
    return stem[:80] + ".toml"


class ProfileStore:
    """Profiles in one folder (created on first save) plus the bundled, read-only examples."""

    def __init__(self, folder: Path | None = None, examples: Path | None = PROFILES) -> None:
        self.folder = (folder or default_folder()).expanduser()
        self.examples = examples

    def names(self) -> list[str]:
        """Saved profile names (without .toml), sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.toml") if p.is_file() and self._inside(p))

    def example_names(self) -> list[str]:
        if self.examples is None or not self.examples.is_dir():
            return []
        return sorted(p.stem for p in self.examples.glob("*.toml"))

    def path(self, name: str) -> Path:
        """The path for a saved profile's name, guaranteed to lie inside the folder."""
        path = self.folder / sanitise(name)
        if path.is_symlink() or (path.exists() and not self._inside(path)):
            raise InputError(name, "leads outside the profiles folder and is refused.")
        return path

    def example(self, name: str) -> Path:
        if self.examples is None:
            raise InputError(name, "no examples are available here.")
        path = self.examples / sanitise(name)
        if not path.is_file():
            raise InputError(
                name, "is not a bundled example.", allowed=", ".join(self.example_names())
            )
        return path

    def is_example(self, path: Path) -> bool:
        return self.examples is not None and path.resolve().parent == self.examples.resolve()

    def prepare(self) -> None:
        """Create the folder (private to the user) before a save."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.folder.resolve())
        except ValueError:
            return False
        return True
