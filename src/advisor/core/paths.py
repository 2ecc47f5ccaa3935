"""Where advisor's files live: the bundled data inside the package, and the user's folders
(XDG base directories). The one module that knows; everything else asks it."""

from __future__ import annotations

import os
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent.parent / "data"
EXAMPLES = BUNDLED / "profiles"


def read_bundled(name: str) -> str:
    """A bundled data file's text (e.g. "catalog.toml")."""
    return (BUNDLED / name).read_text(encoding="utf-8")


def _base(variable: str, *fallback: str) -> Path:
    given = os.environ.get(variable)
    return Path(given) if given else Path.home().joinpath(*fallback)


def config_dir() -> Path:
    """$XDG_CONFIG_HOME/advisor (~/.config/advisor): the user catalog, the SSH host key."""
    return _base("XDG_CONFIG_HOME", ".config") / "advisor"


def data_dir() -> Path:
    """$XDG_DATA_HOME/advisor (~/.local/share/advisor): profiles."""
    return _base("XDG_DATA_HOME", ".local", "share") / "advisor"


def profiles_dir() -> Path:
    """Where the app saves and opens profiles by default."""
    return data_dir() / "profiles"


def ssh_profiles_dir() -> Path:
    """`advisor serve`: one folder per person inside."""
    return data_dir() / "ssh-profiles"


def user_catalog() -> Path:
    """The user catalog: $ADVISOR_CATALOG, else config_dir()/catalog.toml (may not exist)."""
    explicit = os.environ.get("ADVISOR_CATALOG")
    return Path(explicit) if explicit else config_dir() / "catalog.toml"


def host_key() -> Path:
    return config_dir() / "ssh_host_ed25519_key"


def authorized_keys() -> Path:
    return Path.home() / ".ssh" / "authorized_keys"
