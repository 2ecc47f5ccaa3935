"""The app's profile-file actions: open, save, save as (asking before replacing a file),
export the memo, and the unsaved-changes question in front of anything that drops the profile.

Each action is a coroutine that runs in one of the app's workers, so a dialog is awaited
(`push_screen_wait`) and the steps read top to bottom instead of nesting callbacks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advisor.tui.session import Session

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp
    from advisor.tui.drafts import Draft


class ProfileFiles:
    def __init__(self, app: AdvisorApp, session: Session) -> None:
        self.app, self.session = app, session

    # -- open ----------------------------------------------------------------------------
    async def choose_and_open(self) -> None:
        from advisor.tui.screens.dialogs import OpenScreen

        store = self.session.store
        if not await self.may_leave():
            return
        choice = await self.app.push_screen_wait(
            OpenScreen(store.names(), store.example_names(), store.where, store.team_names())
        )
        if choice:
            self.open_choice(choice)

    async def open_listed(self, choice: str) -> None:
        if await self.may_leave():
            self.open_choice(choice)

    def open_choice(self, choice: str) -> None:
        """Open 'saved:NAME' (the person's own), 'example:NAME' or 'team:NAME'."""
        from advisor.core.errors import InputError

        store = self.session.store
        kind, _, name = choice.partition(":")
        where = {"saved": store.path, "example": store.example, "team": store.team}
        try:
            path = where[kind](name)
        except (KeyError, InputError) as exc:
            self.app.show_message("This profile cannot be opened", str(exc))
            return
        self.open_path(path)

    def open_path(self, path: Path) -> None:
        from advisor.core.errors import InputError, InputErrors

        try:
            self.session.open(path)
        except (InputError, InputErrors) as exc:
            self.app.show_message("This profile cannot be used", str(exc))
            return
        self.app.refresh_decision()
        self.app.action_show_results()

    def restore(self, draft: Draft) -> None:
        """Go on from a draft: over the person's own file it came from (so Save writes
        there and the changes show as unsaved), else as a new profile."""
        from advisor.core.errors import InputError, InputErrors

        s = self.session
        try:
            own = s.store.path(draft.own_file) if draft.own_file else None
            if own is not None and own.is_file():
                s.open(own)
            else:
                s.new()
        except (InputError, InputErrors):
            s.new()
        s.profile = draft.profile
        self.app.recompute()
        self.app.refresh_decision()
        self.app.action_show_results()

    # -- save ----------------------------------------------------------------------------
    async def save(self) -> bool:
        """Save to the profile's own file, or ask for a name; False if nothing was written."""
        s = self.session
        if s.profile is None:
            return False
        if s.path is None or s.read_only:
            return await self.save_as()
        answer = await self.changed_on_disk(s.path)
        if answer == "save_as":
            return await self.save_as()
        return answer == "replace" and self._write(s.path)

    async def changed_on_disk(self, path: Path) -> str:
        """'replace' when nobody changed the file since it was opened or last saved, or when
        the person says to replace it anyway; else 'save_as' or 'cancel'."""
        from advisor.tui.screens.dialogs import ChangedOnDiskScreen

        if not self.session.changed_on_disk(path):
            return "replace"
        answer: str = await self.app.push_screen_wait(
            ChangedOnDiskScreen(self.session.store.shown(path))
        )
        return answer

    @property
    def copying(self) -> bool:
        """Saving a room's profile writes a copy: the session stays the room's."""
        return self.session.shared == "room"

    async def save_as(self) -> bool:
        """Ask for a name (again, with what was typed, after a refusal or a "no, don't
        replace it"), then write; False if the person cancels or the file cannot be written."""
        from advisor.core.errors import InputError
        from advisor.tui.screens.dialogs import ConfirmScreen, SaveAsScreen

        s = self.session
        if s.profile is None:
            return False
        typed = s.path.stem if s.path else s.profile.name
        while True:
            name = await self.app.push_screen_wait(
                SaveAsScreen(typed, s.store.where, copy=self.copying)
            )
            if not name:
                return False
            typed = name
            try:
                path = s.store.path(name)
            except InputError as exc:
                await self.app.show_message_and_wait("Cannot save there", str(exc))
                continue
            if path.exists() and path != s.path:
                question = f"{path.name} already exists in {s.store.where}. Replace it?"
                screen = ConfirmScreen("Replace the profile?", question, "Replace")
                if not await self.app.push_screen_wait(screen):
                    continue
            elif path == s.path and await self.changed_on_disk(path) != "replace":
                continue  # changed on disk since it was opened: another name, or cancel
            return self._write(path, prepare=True)

    def _write(self, path: Path, *, prepare: bool = False) -> bool:
        s = self.session
        try:
            if prepare:
                s.store.prepare()
            if self.copying:
                from advisor.core.profile.io import save_profile

                assert s.profile is not None
                save_profile(s.profile, path, fresh=True)
            else:
                s.save(path)
        except OSError as exc:
            where = s.store.shown(Path(exc.filename)) if exc.filename else s.store.shown(path)
            self.app.show_message("Cannot save", f"{where}: {exc.strerror}")
            return False
        self.app.refresh_decision()
        self.app.notify(f"Saved {s.store.shown(path)}")
        return True

    # -- the memo ------------------------------------------------------------------------
    def export_memo(self) -> None:
        from advisor.core.files.atomic import atomic_write_text
        from advisor.core.profile.store import sanitise

        s = self.session
        if s.decision is None:
            return
        # Next to the profile if it is the person's own; else in their folder.
        own = s.path is not None and not s.read_only
        if s.path is not None and own and (not s.store.confined or s.store.owns(s.path)):
            target = s.path.with_suffix(".memo.md")
        else:
            s.store.prepare()
            name = sanitise(s.decision.profile_name).removesuffix(".toml")
            target = s.store.folder / f"{name}.memo.md"
        memo = s.memo()
        try:
            atomic_write_text(target, memo)
        except OSError as exc:
            shown = s.store.shown(Path(exc.filename)) if exc.filename else s.store.shown(target)
            self.app.show_message("Cannot write the memo", f"{shown}: {exc.strerror}")
            return
        if not s.store.confined:
            self.app.notify(f"Memo written to {s.store.shown(target)}")
            return
        # Over SSH the folder is on the server: the memo also goes to the person's own
        # terminal, to its clipboard (OSC 52, where the terminal allows it) and on a page to
        # scroll and copy from.
        from advisor.tui.screens.dialogs import TextScreen

        self.app.copy_to_clipboard(memo)
        hint = (
            f"Saved in your folder as {s.store.shown(target)}, and sent to your terminal's "
            "clipboard (where it allows). Select it with the mouse, or c to copy it again."
        )
        self.app.push_screen(TextScreen("Decision memo (Markdown): yours to keep", memo, hint))

    # -- leaving a profile ---------------------------------------------------------------
    async def may_leave(self) -> bool:
        """True when nothing is unsaved, or once it is saved (names asked for included) or
        discarded; False when the person cancels (or the save does not happen)."""
        from advisor.tui.screens.dialogs import UnsavedScreen

        if not self.session.dirty:
            return True
        answer = await self.app.push_screen_wait(UnsavedScreen())
        if answer == "save":
            return await self.save()
        return answer == "discard"
