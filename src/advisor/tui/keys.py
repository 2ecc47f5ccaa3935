"""Which keys reach the screens: keys held for a screen on its way, and a follower's keys.

Held keys: right after "new profile" the keys a terminal sends in the same burst (or a fast
typist's) belong to the questionnaire's first answer, not to the screens the app passes on
its way there; right after a key that opens a dialog (a name to save as, a path to import),
they belong to the dialog's field. `hold_keys()` keeps every key from then on, both those
still to come and those already on their way through the old screen unused; `release_keys()`
hands them, in order, to whatever has the focus once the new screen is drawn (HOLD_KEYS
seconds at most).

A follower's keys: while an app follows a presenter, the screens it mirrors are the
presenter's, so keys and clicks on them go nowhere except the few a follower has
(`follower_key`, the app's say); the app says once in a while which key looks around.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual import events
from textual.app import App
from textual.widget import Widget

HOLD_KEYS = 2.0  # seconds: the longest keys are held for a screen on its way
NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})  # quitting is never held back
FOCUS_TRIES = 20  # refreshes a new screen gets to give the focus to its field
CLICKS = (events.MouseDown, events.MouseUp, events.Click)


class KeyGate(App[int]):
    _held_keys: list[events.Key] | None = None
    _until_screen = False

    def hold_keys(self, until_screen: bool = False) -> None:
        """Keep the keys pressed from now on until release_keys() (at most HOLD_KEYS s), or,
        `until_screen`, until the next screen (a dialog) is up and has the focus."""
        if self._held_keys is None:
            self._held_keys = []
            self._until_screen = until_screen
            self.set_timer(HOLD_KEYS, self.release_keys)

    def screen_arrived(self, tries: int = 0) -> None:
        """A screen was pushed or switched to: keys held for it go to it once it is drawn
        and has given the focus to its field (when it has one to give)."""
        if self._held_keys is None or not self._until_screen:
            return
        screen = self.screen
        if screen.focused is None and screen.focus_chain and tries < FOCUS_TRIES:
            screen.call_after_refresh(self.screen_arrived, tries + 1)
            return
        self.release_keys()

    def release_keys(self) -> None:
        """Deliver the held keys, in the order they came, once the screen is drawn."""
        if self._held_keys is not None:
            self.call_after_refresh(self._replay_keys)

    async def _replay_keys(self) -> None:
        """Each held key as if it came alone: a key the focused widget takes (a character
        into a field) is handed to it and waited for; any other key's binding runs now.
        (Handed on all at once, a field would insert "abc" before running the ctrl+u that
        came first, whose binding acts only once the key has gone up to the app.)"""
        held, self._held_keys = self._held_keys, None
        for key in held or ():
            if self.gated() and not self.follower_key(key.key):
                continue  # following now: the key would have gone nowhere
            if await self._check_bindings(key.key, priority=True):
                continue
            focused = self.focused
            if focused is not None and focused.check_consume_key(key.key, key.character):
                await super().on_event(events.Key(key.key, key.character))
                await self._handled_by(focused)
            elif not await self._check_bindings(key.key):
                await super().on_event(events.Key(key.key, key.character))

    async def _handled_by(self, widget: Widget) -> None:
        """Until the widget has handled what it was sent before now."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def handled() -> None:
            if not done.done():
                done.set_result(None)

        if widget.call_later(handled):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done, 1.0)

    def _holding(self, event: events.Key) -> bool:
        if self._held_keys is None or event.key in NEVER_HELD:
            return False
        self._held_keys.append(event)
        return True

    # -- what the app decides ----------------------------------------------------------------
    def gated(self) -> bool:
        """True while the screen shown is not the person's to act on (following)."""
        return False

    def follower_key(self, key: str) -> bool:
        """A key a follower may press on a mirrored screen."""
        return True

    def gated_key(self, key: str) -> None:
        """A key that went nowhere while gated (to say how to look around)."""

    # -- Textual's hooks ------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        """Keys that come in while held are kept (see hold_keys), before any screen sees them;
        while gated, keys and clicks other than a follower's go nowhere."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.gated() and not self.follower_key(event.key):
                self.gated_key(event.key)
                return
            if self._holding(event):
                return
        if isinstance(event, CLICKS) and not event.is_forwarded and self.gated():
            return
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key that went through the focused widget unused, up to the app. While keys are
        held, it is kept (it was on its way before the hold began) instead of acting as a
        binding of the screen being left (digits pick tabs on the results, for one).
        Textual calls App._on_key after this one unless the default is prevented."""
        if self._holding(event):
            event.prevent_default()
