"""What the app is working on: one profile, where it lives, its decision. No Textual here.

The core is imported lazily (it pulls in pydantic), so the first frame never waits for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.core.text import printable

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.core.files.read import Fingerprint
    from advisor.core.profile.model import Profile
    from advisor.core.profile.store import ProfileStore
    from advisor.tui.startup import Opened


class Session:
    def __init__(self, store: ProfileStore) -> None:
        self.store = store
        self.path: Path | None = None  # where Save writes; None: not saved yet
        # "example", "team", "room" (a room's profile, followed): not the person's own file,
        # so Save means Save as (for a room's, a copy: the session stays the room's).
        self.shared: str | None = None
        self.locked = False  # following a room: the answers are the presenter's, not to edit
        self._profile: Profile | None = None
        self._pickled: bytes | None = None  # the profile as it came from start-up
        self.saved: Profile | None = None  # the profile as last loaded or saved
        self.decision: Decision | None = None
        self.error: str | None = None  # why the current answers have no decision
        # The file as it was when loaded or last saved (mtime, size, SHA-256): saving over a
        # file someone changed since asks first (changed_on_disk).
        self.disk: Fingerprint | None = None

    # -- the profile -----------------------------------------------------------------------
    @property
    def profile(self) -> Profile | None:
        """The profile being edited (unpickled on first use after start-up)."""
        if self._profile is None and self._pickled is not None:
            from advisor.tui.startup import profile_of

            self._profile = profile_of(self._pickled, self.path)
            self._pickled = None
            self.saved = None if self._profile is None else self._profile.model_copy(deep=True)
        return self._profile

    @profile.setter
    def profile(self, profile: Profile | None) -> None:
        self._profile, self._pickled = profile, None

    @property
    def read_only(self) -> bool:
        """Not the person's own file (an example, a team profile): Save means Save as."""
        return self.shared is not None

    @property
    def has_profile(self) -> bool:
        return self._profile is not None or self._pickled is not None

    @property
    def dirty(self) -> bool:
        return self._profile is not None and self._profile != self.saved

    @property
    def who(self) -> str | None:
        """Over SSH: the person signed in (named by their key), set by `advisor serve`."""
        return os.environ.get("ADVISOR_SSH_USER") or None

    @property
    def title(self) -> str:
        if self._profile is not None:
            name = self._profile.name
        elif self.decision is not None:
            name = self.decision.profile_name
        else:
            return "no profile"
        name = printable(name)  # from a file: never a terminal escape in the header
        # The file, and whether it is unsaved or an example, first: at 80 columns the end of
        # a long profile name is what the header cuts off.
        if self.path is not None:
            file = printable(self.path.name)
            name = f"{file}{f' ({self.shared})' if self.shared else ''}: {name}"
        elif self.shared == "room":
            name = f"{name} (the room's)"
        name = f"* {name}" if self.dirty else name
        return f"{self.who}: {name}" if self.who else name

    # -- what changes it -------------------------------------------------------------------
    def new(self, path: Path | None = None) -> None:
        """A profile of defaults; `path`, when given, is where Save writes it (not yet there)."""
        from advisor.core.profile.model import Profile

        self.profile, self.path, self.shared = Profile(), path, None
        self.saved, self.disk = Profile(), None
        self.decide()

    def open(self, path: Path) -> None:
        """Load and decide; raises InputError(s) with the same message as `advisor report`."""
        from advisor.core.decision.load import load_and_decide
        from advisor.core.files.read import fingerprint

        disk = fingerprint(path)  # before reading: a change in between is noticed at saving
        profile, decision = load_and_decide(path, outlook=False)
        self.disk = disk
        self.profile, self.saved = profile, profile.model_copy(deep=True)
        self.path, self.shared = path, self.store.kind(path)
        self.decision, self.error = decision, None

    def follow(self, profile: Profile, ours: bool) -> None:
        """A room's profile, as its presenter (or whoever has the keyboard) has it now.
        `ours`: this is the presenter's own session, whose file stays where Save writes."""
        self.profile = profile
        if not ours:
            self.path, self.shared = None, "room"
            self.saved = profile.model_copy(deep=True)  # nothing of this person's unsaved

    def adopt(self, opened: Opened) -> None:
        """Take what start-up opened (see startup.py): the decision now, the profile later."""
        assert opened.decision is not None
        self._profile, self._pickled, self.saved = None, opened.profile, None
        self.path, self.shared = opened.path, self.store.kind(opened.path)
        self.decision, self.error = opened.decision, None
        self.disk = opened.disk

    @staticmethod
    def _fingerprint(path: Path) -> Fingerprint | None:
        from advisor.core.files.read import fingerprint

        return fingerprint(path)

    def changed_on_disk(self, path: Path | None = None) -> bool:
        """The file at `path` (by default the profile's own) is not what it was when it was
        loaded or last saved: someone else saved it, edited it, or removed it since; or, for a
        new profile (`advisor new.toml`), a file has appeared there."""
        path = path or self.path
        if path is None or path != self.path:
            return False
        if self.disk is None:
            return os.path.lexists(path)
        return not self.disk.same_content(self._fingerprint(path))

    def decide(self) -> None:
        """Recompute the decision for the current profile, here and now (a few ms for most
        profiles; the app decides edits off the UI thread instead, see deciding.py)."""
        from advisor.tui.deciding import decided

        if self.profile is not None:
            self.take(*decided(self.profile, self.label))

    def take(self, decision: Decision | None, error: str | None) -> None:
        """A decision for the current answers, or why there is none (the last decision is
        kept then: the screens show it under the reason, never as if it were current)."""
        if decision is not None:
            self.decision = decision
        self.error = error

    @property
    def label(self) -> str:
        """What a message about the answers names them by: the file, or "profile"."""
        return str(self.path or "profile")

    def save(self, path: Path | None = None) -> Path:
        from advisor.core.profile.io import save_profile

        assert self.profile is not None
        target = path or self.path
        assert target is not None
        # Keep the comments of the file the profile came from; a new profile has none, and a
        # file it replaces is written afresh.
        save_profile(self.profile, target, layout_from=self.path, fresh=self.path is None)
        self.path, self.shared = target, None
        self.disk = self._fingerprint(target)
        self.saved = self.profile.model_copy(deep=True)
        return target

    def memo(self) -> str:
        """The decision memo (Markdown) for the current decision."""
        from advisor.report.markdown import render

        assert self.decision is not None
        return render(self.decision)
