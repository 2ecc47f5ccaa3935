"""Nothing lost on a dropped link: unsaved answers are kept as a draft in the person's folder.

Over SSH (a confined store) the app writes `.draft.toml` in the person's folder half a second
after each change that leaves the profile unsaved, removes it once nothing is unsaved (saved,
or discarded on purpose), writes it at once when the server says it is stopping or the link
drops (SIGHUP), and offers it on the person's next connection. The draft is a profile file
(read back through the same loader as any profile) whose first line says where the answers
came from: `saved:NAME` (the person's own file), `example:NAME`, `team:NAME`, `room:CODE`
or `new`. No Textual here.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile
    from advisor.tui.session import Session

DRAFT = ".draft.toml"  # a hidden name: never listed with the person's profiles
DRAFT_AFTER = 0.5  # seconds after a change that leaves answers unsaved: the draft is kept
_HEADER = re.compile(r"^# advisor draft \(origin: (\S+); kept (\S+)\)")


@dataclass(frozen=True)
class Draft:
    profile: Profile
    origin: str  # saved:NAME, example:NAME, team:NAME, room:CODE or new
    kept: str  # when, as an ISO date and time (UTC)

    @property
    def own_file(self) -> str | None:
        """The name of the person's own profile the draft was made from, if it was."""
        return self.origin.removeprefix("saved:") if self.origin.startswith("saved:") else None

    def describe(self) -> str:
        kind, _, name = self.origin.partition(":")
        source = {
            "saved": f"your profile {name}",
            "example": f"the example {name}",
            "team": f"the team profile {name}",
            "room": f"room {name}",
        }.get(kind, "a new profile")
        return f"“{self.profile.name}”, from {source}, kept {self.kept.replace('T', ' ')}"


def origin(session: Session, room: str | None = None) -> str:
    """Where the session's answers came from, as a draft records it."""
    if room:
        return f"room:{room}"
    path = session.path
    if path is None:
        return "new"
    if session.shared in ("example", "team"):
        return f"{session.shared}:{path.stem}"
    return f"saved:{path.stem}"


class Drafts:
    def __init__(self, folder: Path, enabled: bool) -> None:
        self.path = folder / DRAFT
        self.enabled = enabled
        # This session's draft (written here, or restored from): only that one is removed
        # when nothing is unsaved; an older one waits to be offered on the next connection.
        self.owned = False

    def keep(self, session: Session, room: str | None = None) -> bool:
        """Write the draft if something is unsaved, else remove it; True if one was kept."""
        if not self.enabled:
            return False
        profile = session.profile if session.dirty else None  # dirty: loaded for editing
        if profile is None:
            self.clear()
            return False
        from advisor.core.files.atomic import atomic_write_text
        from advisor.core.profile.io import dumps_profile

        kept = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())
        header = f"# advisor draft (origin: {origin(session, room)}; kept {kept})\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write_text(self.path, header + dumps_profile(profile), mode=0o600)
        except OSError:
            return False
        self.owned = True
        return True

    def clear(self, force: bool = False) -> None:
        """Remove this session's draft (any draft, with `force`: the person discarded it)."""
        if self.enabled and (self.owned or force):
            self.owned = False
            with contextlib.suppress(OSError):
                self.path.unlink()

    def pending(self) -> Draft | None:
        """The draft left by an earlier session, if there is a usable one."""
        if not self.enabled or not self.path.is_file() or self.path.is_symlink():
            return None
        from advisor.core.errors import InputError, InputErrors
        from advisor.core.profile.io import load_profile

        try:
            first = self.path.read_text(encoding="utf-8").partition("\n")[0]
            profile = load_profile(self.path)
        except (OSError, UnicodeDecodeError, InputError, InputErrors):
            return None
        found = _HEADER.match(first)
        return Draft(profile, found.group(1), found.group(2)) if found else None
