"""Deciding off the UI thread: a slow profile never freezes the app, the newest answers win,
the screens say they are working, and quitting does not wait for a decision."""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import sys
import threading
import time
from fcntl import ioctl
from termios import TIOCSWINSZ
from typing import Any

import pytest
from tests.tui.helpers import decided, screen_text, wait_for

import advisor.tui.deciding as deciding
from advisor.tui.app import create_app
from advisor.tui.screens.results import ResultsScreen

SLOW = 4242.0  # requests per day that the slowed-down decision takes its time over


@pytest.fixture
def slow_on_4242(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Deciding 4,242 requests a day takes until the test sets the event (10 s at most)."""
    release = threading.Event()
    real = deciding.decided

    def slow(profile: Any, label: str) -> Any:
        if profile.workload.requests_per_day == SLOW:
            release.wait(10)
        return real(profile, label)

    monkeypatch.setattr(deciding, "decided", slow)
    return release


async def test_a_slow_decision_leaves_the_app_responsive_and_the_newest_answers_win(
    slow_on_4242: threading.Event,
) -> None:
    app = create_app("medium")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.decision and app.session.profile is not None)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        profile = app.session.profile
        assert profile is not None
        profile.workload.requests_per_day = SLOW
        app.recompute()
        # The verdict panel says it is working; keys still work meanwhile.
        await wait_for(pilot, lambda: "Working out the new figures" in screen_text(pilot))
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        # A newer answer comes while the slow one computes: it is the one shown.
        profile.workload.requests_per_day = 20_000
        app.recompute()
        slow_on_4242.set()
        await decided(pilot)
        assert app.decision is not None
        assert app.decision.profile_name == profile.name
        assert app.decision.api.monthly_cost == pytest.approx(2 * 7200)
        assert "Working out the new figures" not in screen_text(pilot)
        assert "$14,400" in screen_text(pilot)


# -- quitting while a decision computes: a real process in a pseudo-terminal --------------------

SCRIPT = """
import threading, advisor.tui.deciding as d
real = d.decided
def slow(profile, label):
    if profile.workload.requests_per_day == 4242:
        threading.Event().wait(30)
    return real(profile, label)
d.decided = slow
from advisor.cli import main
raise SystemExit(main([]))
"""


def _read(fd: int, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], min(left, 0.05))
        if ready:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


def _until(fd: int, marker: bytes, seconds: float) -> bytes:
    seen = b""
    end = time.monotonic() + seconds
    while marker not in seen and time.monotonic() < end:
        seen += _read(fd, 0.1)
    assert marker in seen, f"{marker!r} never appeared: {seen[-400:]!r}"
    return seen


def test_quitting_while_a_slow_decision_computes_ends_the_app_at_once(tmp_path: Any) -> None:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(
            TERM="xterm-256color",
            ADVISOR_TODAY="2026-11-26",
            XDG_DATA_HOME=str(tmp_path),
            XDG_CONFIG_HOME=str(tmp_path),
        )
        os.execv(sys.executable, [sys.executable, "-c", SCRIPT])
    try:
        ioctl(fd, TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        _until(fd, b"Start a new profile", 20)
        os.write(fd, b"n")
        _until(fd, b"Requests per day", 20)
        time.sleep(0.3)
        os.write(fd, b"\t")  # from the profile's name (the first question) to the volume
        time.sleep(0.3)
        os.write(fd, b"4242")  # over the selected 10000: the slow answer
        _until(fd, "Working…".encode(), 10)  # the live line (the results say "Working out")
        os.write(fd, b"\x11")  # ctrl+q: unsaved changes, asked at once
        _until(fd, b"Unsaved", 3)
        started = time.monotonic()
        os.write(fd, b"d")  # discard: the app ends without waiting for the decision
        status = None
        while time.monotonic() - started < 5:
            _read(fd, 0.05)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        took = time.monotonic() - started
        assert status is not None and done, "the app did not end within 5 s"
        assert os.waitstatus_to_exitcode(status) == 0
        assert took < 2, f"quitting took {took:.1f} s"
        pid = 0
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)


# -- keys typed right after "new profile" -------------------------------------------------------


async def test_keys_typed_right_after_new_profile_reach_the_first_answer() -> None:
    """A terminal sends 'n' and what follows in one burst: the keys belong to the first
    question (the profile's name), not to the screens the app passes on its way there."""
    from textual import events

    from advisor.tui.screens.questionnaire import QuestionnaireScreen

    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#welcome-menu"))
        for key in "nAcme7":
            app.post_message(events.Key(key, key))
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        await wait_for(pilot, lambda: app.session.profile is not None and app.session.dirty)
        await decided(pilot)
        assert app.session.profile is not None
        assert app.session.profile.name == "Acme7"
        assert "Acme7" in screen_text(pilot)


async def test_a_daemon_threads_result_or_error_reaches_the_awaiting_code() -> None:
    assert await deciding.in_daemon_thread(lambda: 6 * 7) == 42

    def broken() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        await deciding.in_daemon_thread(broken)
