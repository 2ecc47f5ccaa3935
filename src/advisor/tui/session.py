"""What the app is working on: one profile, where it lives, its decision. No Textual here.

The core is imported lazily (it pulls in pydantic), so the first frame never waits for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile
    from advisor.core.profile.store import ProfileStore


class Session:
    def __init__(self, store: ProfileStore) -> None:
        self.store = store
        self.path: Path | None = None  # where Save writes; None: not saved yet
        self.read_only = False  # a bundled example: Save means Save as
        self.profile: Profile | None = None
        self.saved: Profile | None = None  # the profile as last loaded or saved
        self.data: dict[str, Any] | None = None  # the decision's JSON form
        self.error: str | None = None  # why there is no decision

    @property
    def dirty(self) -> bool:
        return self.profile is not None and self.profile != self.saved

    @property
    def who(self) -> str | None:
        """Over SSH: the person signed in (named by their key), set by `advisor serve`."""
        return os.environ.get("ADVISOR_SSH_USER") or None

    @property
    def title(self) -> str:
        if self.profile is not None:
            name = self.profile.name
        elif self.data is not None:
            name = self.data["profile"]["name"]
        else:
            return "no profile"
        # The file, and whether it is unsaved or an example, first: at 80 columns the end of
        # a long profile name is what the header cuts off.
        if self.path is not None:
            name = f"{self.path.name}{' (example)' if self.read_only else ''}: {name}"
        name = f"* {name}" if self.dirty else name
        return f"{self.who}: {name}" if self.who else name

    def new(self) -> None:
        from advisor.core.profile.model import Profile

        self.profile, self.saved, self.path, self.read_only = Profile(), None, None, False
        self.saved = self.profile.model_copy(deep=True)
        self.decide()

    def open(self, path: Path) -> None:
        """Load and decide; raises InputError(s) with the same message as `advisor report`."""
        from advisor.core.decision.load import load_and_decide
        from advisor.core.decision.serialize import to_dict

        profile, decision = load_and_decide(path)
        self.profile, self.saved = profile, profile.model_copy(deep=True)
        self.path, self.read_only = path, self.store.is_example(path)
        self.data, self.error = to_dict(decision), None

    def adopt(self, path: Path, data: dict[str, Any]) -> None:
        """Take a decision computed elsewhere (the prefetch) for the profile at `path`."""
        self.path, self.read_only, self.data, self.error = (
            path,
            self.store.is_example(path),
            data,
            None,
        )

    def load_profile(self) -> None:
        """After a prefetch: read the profile itself, so it can be edited."""
        if self.profile is None and self.path is not None:
            from advisor.core.profile.io import load_profile

            self.profile = load_profile(self.path)
            self.saved = self.profile.model_copy(deep=True)

    def decide(self) -> None:
        """Recompute the decision for the current profile (instant: ~10 ms)."""
        from advisor.core.decision.load import pin
        from advisor.core.decision.model import decide
        from advisor.core.decision.serialize import to_dict
        from advisor.core.errors import InputError, InputErrors

        if self.profile is None:
            return
        try:
            self.data, self.error = to_dict(decide(self.profile)), None
        except InputError as exc:
            self.error = str(pin(exc, str(self.path or "profile"), None))
        except InputErrors as exc:
            self.error = str(exc)

    def save(self, path: Path | None = None) -> Path:
        from advisor.core.profile.io import save_profile

        assert self.profile is not None
        target = path or self.path
        assert target is not None
        # Keep the comments of the file the profile came from; a new profile has none, and a
        # file it replaces is written afresh.
        save_profile(self.profile, target, layout_from=self.path, fresh=self.path is None)
        self.path, self.read_only = target, False
        self.saved = self.profile.model_copy(deep=True)
        return target

    def memo(self) -> str:
        """The decision memo (Markdown) for the current profile."""
        from advisor.core.decision.model import decide
        from advisor.report.markdown import render

        assert self.profile is not None
        return render(decide(self.profile))
