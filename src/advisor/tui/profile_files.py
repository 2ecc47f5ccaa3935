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
            OpenScreen(store.names(), store.example_names(), store.where)
        )
        if choice and choice.startswith("saved:"):
            from advisor.core.errors import InputError

            try:
                path = store.path(choice.removeprefix("saved:"))
            except InputError as exc:
                self.app.show_message("This profile cannot be opened", str(exc))
                return
            self.open_path(path)
        elif choice and choice.startswith("example:"):
            self.open_path(store.example(choice.removeprefix("example:")))

    async def open_example(self, name: str) -> None:
        if await self.may_leave():
            self.open_path(self.session.store.example(name))

    def open_path(self, path: Path) -> None:
        from advisor.core.errors import InputError, InputErrors

        try:
            self.session.open(path)
        except (InputError, InputErrors) as exc:
            self.app.show_message("This profile cannot be used", str(exc))
            return
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
            name = await self.app.push_screen_wait(SaveAsScreen(typed, s.store.where))
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
        try:
            atomic_write_text(target, s.memo())
        except OSError as exc:
            shown = s.store.shown(Path(exc.filename)) if exc.filename else s.store.shown(target)
            self.app.show_message("Cannot write the memo", f"{shown}: {exc.strerror}")
            return
        self.app.notify(f"Memo written to {s.store.shown(target)}")

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
