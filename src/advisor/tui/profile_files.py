"""The app's profile-file actions: open, save, save as (asking before replacing a file),
export the memo, and the unsaved-changes guard in front of anything that drops the profile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from advisor.tui.session import Session

Then = Callable[[], Any]


class ProfileFileActions(App[int]):
    """Mixed into the app: everything that reads or writes a profile file."""

    session: Session

    # -- hooks the app provides ----------------------------------------------------------
    def refresh_decision(self) -> None:
        raise NotImplementedError

    def show_error(self, title: str, message: str) -> None:
        raise NotImplementedError

    def action_show_results(self) -> None:
        raise NotImplementedError

    def _editable(self) -> bool:
        raise NotImplementedError

    # -- open ----------------------------------------------------------------------------
    def action_open(self) -> None:
        from advisor.tui.screens.dialogs import OpenScreen

        store = self.session.store

        def chosen(choice: str | None) -> None:
            if choice and choice.startswith("saved:"):
                self.open_path(store.path(choice.removeprefix("saved:")))
            elif choice and choice.startswith("example:"):
                self.open_example(choice.removeprefix("example:"))

        screen = OpenScreen(store.names(), store.example_names(), store.where)
        self.guard_unsaved(lambda: self.push_screen(screen, chosen))

    def open_example(self, name: str) -> None:
        self.guard_unsaved(lambda: self.open_path(self.session.store.example(name)))

    def open_path(self, path: Path) -> None:
        from advisor.core.errors import InputError, InputErrors

        try:
            self.session.open(path)
        except (InputError, InputErrors) as exc:
            self.show_error("This profile cannot be used", str(exc))
            return
        self.refresh_decision()
        self.action_show_results()

    # -- save ----------------------------------------------------------------------------
    def action_save(self) -> None:
        self.save_then(None)

    def action_save_as(self) -> None:
        self.save_as_then(None)

    def save_then(self, then: Then | None) -> None:
        """Save (asking for a name if the profile has no file of its own), then `then`; not
        called if the person cancels or the file cannot be written."""
        s = self.session
        if s.profile is None:
            return
        if s.path is None or s.read_only:
            self.save_as_then(then)
        elif self._write(s.path) and then is not None:
            then()

    def save_as_then(self, then: Then | None, typed: str | None = None) -> None:
        from advisor.core.errors import InputError
        from advisor.tui.screens.dialogs import ConfirmScreen, MessageScreen, SaveAsScreen

        s = self.session
        if s.profile is None:
            return

        def chosen(name: str | None) -> None:
            if not name:
                return
            try:
                path = s.store.path(name)
            except InputError as exc:  # say why, then ask again with what was typed
                again = MessageScreen("Cannot save there", str(exc))
                self.push_screen(again, lambda _: self.save_as_then(then, name))
                return

            def write(replace: bool | None) -> None:
                if not replace:
                    self.save_as_then(then, name)
                elif self._write(path, prepare=True) and then is not None:
                    then()

            if path.exists() and path != s.path:
                question = f"{path.name} already exists in {s.store.where}. Replace it?"
                self.push_screen(ConfirmScreen("Replace the profile?", question, "Replace"), write)
            else:
                write(True)

        suggestion = typed or (s.path.stem if s.path else s.profile.name)
        self.push_screen(SaveAsScreen(suggestion, s.store.where), chosen)

    def _write(self, path: Path, *, prepare: bool = False) -> bool:
        s = self.session
        try:
            if prepare:
                s.store.prepare()
            s.save(path)
        except OSError as exc:
            where = s.store.shown(Path(exc.filename)) if exc.filename else s.store.shown(path)
            self.show_error("Cannot save", f"{where}: {exc.strerror}")
            return False
        self.refresh_decision()
        self.notify(f"Saved {s.store.shown(path)}")
        return True

    # -- the memo ------------------------------------------------------------------------
    def action_export_memo(self) -> None:
        s = self.session
        if not self._editable():
            return
        from advisor.core.files.atomic import atomic_write_text
        from advisor.core.profile.store import sanitise

        assert s.profile is not None
        # Next to the profile, if it is the person's own; else in their folder.
        own = s.path is not None and not s.read_only
        if s.path is not None and own and (not s.store.confined or s.store.owns(s.path)):
            target = s.path.with_suffix(".memo.md")
        else:
            s.store.prepare()
            target = s.store.folder / sanitise(s.profile.name).replace(".toml", ".memo.md")
        try:
            atomic_write_text(target, s.memo())
        except OSError as exc:
            shown = s.store.shown(Path(exc.filename)) if exc.filename else s.store.shown(target)
            self.show_error("Cannot write the memo", f"{shown}: {exc.strerror}")
            return
        self.notify(f"Memo written to {s.store.shown(target)}")

    # -- leaving a profile ---------------------------------------------------------------
    def guard_unsaved(self, then: Then) -> None:
        """`then` at once if nothing is unsaved; else ask, and go on after a save (once it
        is written, names asked for included) or a discard; a cancel stops here."""
        from advisor.tui.screens.dialogs import UnsavedScreen

        if not self.session.dirty:
            then()
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.save_then(then)
            elif answer == "discard":
                then()

        self.push_screen(UnsavedScreen(), answered)

    async def action_quit(self) -> None:
        self.guard_unsaved(lambda: self.exit(0))
