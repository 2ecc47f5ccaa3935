"""Where profiles are saved and opened: one folder, names sanitised, nothing outside it.

The TUI's dialogs (and, over SSH, each person's own folder) go through a ProfileStore, so a
name like `../../etc/passwd` or a symlink leading out is refused, never followed. The bundled
examples are listed beside the store and open read-only, and so do a team's prepared profiles
(`advisor serve --team-profiles DIR`): listed, opened and read from (`team/...` for a typed
path), never written to, and kept to that folder the same way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from advisor.core.errors import InputError
from advisor.core.paths import EXAMPLES, profiles_dir

_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def bundled_profiles() -> dict[str, Path]:
    """The bundled example profiles by name (`medium`, `heavy`, ...)."""
    return {path.stem: path for path in sorted(EXAMPLES.glob("*.toml"))}


def resolve_profile_path(name: str) -> Path:
    """A profile file, or the name of a bundled example."""
    path = Path(name)
    try:
        exists = path.exists()
    except (OSError, ValueError):  # a name too long, or holding a NUL: reading it will say so
        return path
    if exists or path.suffix == ".toml" or "/" in name:
        return path
    return bundled_profiles().get(name, path)


def is_new_profile(path: Path) -> bool:
    """A profile to start: a NAME.toml where nothing is yet (a name without .toml that is no
    file is more likely a misspelt example, and says "no such file")."""
    return path.suffix == ".toml" and not os.path.lexists(path)


def default_folder() -> Path:
    """$XDG_DATA_HOME/advisor/profiles (~/.local/share/advisor/profiles)."""
    return profiles_dir()


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


OUTSIDE = (
    "leads outside your folder: only files in your own folder can be used here. "
    "Type a name relative to it, e.g. logs/november.csv"
)


class ProfileStore:
    """Profiles in one folder (created on first save) plus the bundled, read-only examples.

    A confined store (every session over SSH) also keeps every path a person types inside
    the folder: absolute paths, '~', '..' and symlinks leading out are refused before
    anything is read, and paths are shown relative to the folder, never as server paths.
    """

    def __init__(
        self,
        folder: Path | None = None,
        examples: Path | None = EXAMPLES,
        *,
        confined: bool = False,
        team: Path | None = None,
    ) -> None:
        self.folder = (folder or default_folder()).expanduser()
        self.examples = examples
        self.confined = confined
        self.team_folder = team.expanduser().absolute() if team is not None else None

    @property
    def where(self) -> str:
        """The folder as shown to the person: a path locally, "your folder" when confined."""
        return "your folder" if self.confined else str(self.folder)

    def shown(self, path: Path) -> str:
        """A path as shown to the person: relative to the folder when confined (`team/NAME`
        for the team's)."""
        if not self.confined:
            return str(path)
        if self.team_folder is not None and path.is_relative_to(self.team_folder):
            return f"{TEAM}/{path.relative_to(self.team_folder)}"
        try:
            return str(path.relative_to(self.folder))
        except ValueError:
            return path.name

    def hide_paths(self, message: str) -> str:
        """A message with the folders' server paths taken out (confined stores only)."""
        if not self.confined:
            return message
        if self.team_folder is not None:
            for folder in {str(self.team_folder), str(self.team_folder.resolve())}:
                message = message.replace(folder + os.sep, f"{TEAM}/").replace(folder, TEAM)
        for folder in {str(self.folder), str(self.folder.resolve())}:
            message = message.replace(folder + os.sep, "").replace(folder, "your folder")
        return message

    def readable(self, typed: str) -> Path:
        """A file a person typed the path of, to read (e.g. request logs).

        Unconfined: the path as typed (`~` expanded). Confined: relative to the folder and
        resolving inside it, or an InputError that names neither the server path nor any
        content of what was asked for."""
        text = typed.strip()
        if not self.confined:
            return Path(text).expanduser()
        parts = Path(text).parts
        if (
            not text
            or Path(text).is_absolute()
            or text.startswith("~")
            or "\\" in text
            or ".." in parts
        ):
            raise InputError("That path", OUTSIDE)
        folder = self.folder
        if self.team_folder is not None and parts[0] == TEAM and len(parts) > 1:
            folder, text = self.team_folder, str(Path(*parts[1:]))  # read-only: only read
        candidate = folder / text
        if not _inside(candidate, folder):
            raise InputError("That path", OUTSIDE)
        return candidate

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

    def team_names(self) -> list[str]:
        """The team's prepared profiles (without .toml): plain files in the team folder."""
        folder = self.team_folder
        if folder is None or not folder.is_dir():
            return []
        return sorted(
            p.stem
            for p in folder.glob("*.toml")
            if not p.name.startswith(".") and p.is_file() and _inside(p, folder)
        )

    def team(self, name: str) -> Path:
        """A team profile's path (read-only), guaranteed to lie inside the team folder."""
        if self.team_folder is None:
            raise InputError(name, "no team profiles are offered here.")
        path = self.team_folder / sanitise(name)
        if not path.is_file() or not _inside(path, self.team_folder):
            raise InputError(
                name, "is not one of the team's profiles.", allowed=", ".join(self.team_names())
            )
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

    def owns(self, path: Path) -> bool:
        """The path lies in this store's folder (symlinks resolved)."""
        return self._inside(path)

    def is_example(self, path: Path) -> bool:
        return self.examples is not None and path.resolve().parent == self.examples.resolve()

    def is_team(self, path: Path) -> bool:
        return self.team_folder is not None and _inside(path, self.team_folder)

    def kind(self, path: Path) -> str | None:
        """'example' or 'team' for a profile that opens read-only (Save means Save as)."""
        if self.is_example(path):
            return "example"
        if self.is_team(path):
            return "team"
        return None

    def prepare(self) -> None:
        """Create the folder (private to the user) before a save."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _inside(self, path: Path) -> bool:
        return _inside(path, self.folder)


TEAM = "team"  # how the team folder is named to people, and typed: team/november.csv


def _inside(path: Path, folder: Path) -> bool:
    """The path lies in the folder once every symlink is resolved."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # outside, or a symlink loop
        return False
    return True
