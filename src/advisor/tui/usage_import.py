"""The app's Import usage action: ask for a log file (or a folder of them), read it off the
UI thread, and make the measured figures the profile's answers, showing what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.tui.actions import comparison
from advisor.tui.session import Session

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp


class UsageImport:
    def __init__(self, app: AdvisorApp, session: Session) -> None:
        self.app, self.session = app, session

    async def ask(self) -> None:
        """The dialog; the reading itself runs in a worker thread (`read`)."""
        from advisor.tui.screens.dialogs import ImportUsageScreen

        if self.app.editable() is None:
            return
        typed = await self.app.push_screen_wait(ImportUsageScreen())
        if typed:
            self.app.run_worker(lambda: self.read(typed), thread=True, exclusive=True)

    def read(self, typed: str) -> None:
        """In a worker thread: read the logs, then apply the measured figures (UI thread)."""
        from advisor.core.catalog.load import default_catalog
        from advisor.core.errors import InputError, InputErrors
        from advisor.usage.profile_update import apply_to_profile
        from advisor.usage.summary import analyse

        app, session = self.app, self.session
        profile = session.profile
        assert profile is not None
        try:
            logs = session.store.readable(typed)
            summary = analyse([logs], default_catalog())
            updated = apply_to_profile(summary, profile, str(session.path or "profile"))
        except (InputError, InputErrors) as exc:
            app.call_from_thread(app.show_message, "Cannot import these logs", str(exc))
            return
        lines = comparison(profile, updated)

        def apply() -> None:
            session.profile = updated
            app.recompute()
            app.show_message("Usage imported", lines)

        app.call_from_thread(apply)
