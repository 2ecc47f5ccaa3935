"""The profile named on the command line, opened (startup.py says how the work is split with
the forked child): its results pushed once Textual's start-up layout is done, its decision
shown as soon as it is here, and what can wait until after the first frame, after it."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from typing import Any

from advisor.tui.remote import Remote
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.startup import Opened, Opening


class OpensAtStart(Remote):
    opening: Opening | None
    laid_out = False  # the first layout is done (Textual's Ready event)
    resume_collector = False  # the command line paused the cyclic collector until then
    _after_first_frame: tuple[Callable[[], Any], ...] = ()

    def show_message(self, title: str, text: str) -> None:
        raise NotImplementedError

    def on_ready(self) -> None:
        """Textual's first layout is done: what waited for it follows. The results of a
        profile opened at start-up are pushed now, not at mount: Textual paints nothing
        during its start-up batch, yet a screen laid out then is drawn (tens of milliseconds
        for the results) and thrown away, and the next frame repaints only what changed."""
        self.laid_out = True
        if self.resume_collector:  # paused for start-up (cli.py): on after the first frame
            self.call_after_refresh(gc.enable)
        if self.opening is not None:
            self._open(self.opening)
        waiting, self._after_first_frame = self._after_first_frame, ()
        for callback in waiting:
            self.call_after_refresh(callback)

    def _open(self, opening: Opening) -> None:
        """The results of the profile opened at start-up. The decision is usually here
        already (the child decides while Textual loads): then the first frame shows it; else
        a worker waits for it while the results screen says it is working."""
        shown = self.push_screen(ResultsScreen(self.session))
        opened = opening.answered()
        if opened is not None and opened.decision is not None:
            self._adopt(opened)
        else:
            self.run_worker(self._opened(opening, shown), name="start-up")

    def after_first_frame(self, callback: Callable[[], Any]) -> None:
        """Run `callback` once the first frame is on the terminal (start-up work that would
        only delay it), or after the next refresh when it already is. During start-up,
        Textual runs refresh callbacks before painting anything."""
        if self.laid_out:
            self.call_after_refresh(callback)
        else:
            self._after_first_frame += (callback,)

    def _adopt(self, opened: Opened) -> None:
        self.session.adopt(opened)
        self.refresh_decision()
        # Once that frame is up: the profile, for editing (pydantic loads then).
        self.after_first_frame(self._load_for_editing)

    async def _opened(self, opening: Opening, shown: Awaitable[Any]) -> None:
        opened = await asyncio.to_thread(opening.result)
        if opened.decision is not None:
            self._adopt(opened)
        else:
            await shown  # the results screen is fully up before it is replaced
            await self.switch_screen(self.welcome_screen())
            self.show_message("This profile cannot be used", opened.error or "")

    def _load_for_editing(self) -> None:
        self.run_worker(self._warm, thread=True, name="load for editing")

    def _warm(self) -> None:
        import advisor.core.decision.decide  # noqa: F401 (the first edit decides at once)

        _ = self.session.profile
