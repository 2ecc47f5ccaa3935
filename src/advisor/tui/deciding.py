"""Deciding off the UI thread: the app stays responsive, the newest answers win, and quitting
never waits for a computation nobody will see.

Each edit starts an exclusive worker (AdvisorApp._decide): a newer edit cancels the older
worker, so only the newest answers' decision is ever shown. The computing itself runs in a
daemon thread (`in_daemon_thread`), not in a Textual thread worker: those run in the event
loop's default executor, which `asyncio.run` joins on the way out, so ctrl+q on a slow profile
would wait for the decision to finish. A daemon thread is left behind when the app exits.
At most one such thread computes at a time; the newest edit waits for it, then computes.
No Textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.core.profile.model import Profile

T = TypeVar("T")

WORKING_AFTER = 0.15  # seconds: a decision slower than this says "working" on screen


def in_daemon_thread(work: Callable[[], T], name: str = "advisor-decide") -> asyncio.Future[T]:
    """Run `work` in a daemon thread; its result (or exception) as a future of this loop."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(action: Callable[[], None]) -> None:
        def settle() -> None:
            if not future.done():  # not cancelled meanwhile
                action()

        with contextlib.suppress(RuntimeError):  # the loop is closed: the app has gone
            loop.call_soon_threadsafe(settle)

    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # handed to whoever awaits the future
            deliver(functools.partial(future.set_exception, error))
        else:
            deliver(functools.partial(future.set_result, result))

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


def decided(profile: Profile, label: str) -> tuple[Decision | None, str | None]:
    """The decision for a profile, or why there is none (the message names `label`). Without
    the horizon and the odds: those follow in their own thread (AdvisorApp._outlook)."""
    from advisor.core.decision.guard import decide_checked
    from advisor.core.decision.load import pin
    from advisor.core.errors import InputError, InputErrors

    try:
        return decide_checked(profile, outlook=False), None
    except InputError as exc:
        return None, str(pin(exc, label, None))
    except InputErrors as exc:
        return None, str(exc)
