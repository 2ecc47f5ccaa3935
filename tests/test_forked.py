"""The odds on the second core (core/forked.py): the same answer as working them out here,
from a child where that is safe, and here when it is not or the child fails. Run in a fresh
interpreter: the test process has threads of its own, and with a thread running nothing forks."""

from __future__ import annotations

import subprocess
import sys

# Whatever this machine's CPUs: the snippets below say there are two (forked._one_cpu).
TWO_CPUS = """
import advisor.core.forked
advisor.core.forked._one_cpu = lambda: False
"""

FORKED = (
    TWO_CPUS
    + """
import os, threading, time
from advisor.core.forked import Forked

parent = os.getpid()
assert Forked(os.getpid).result() != parent  # worked out in a child


def fails_in_a_child():
    if os.getpid() != parent:
        raise RuntimeError("the child fails")
    return "here"


assert Forked(fails_in_a_child).result() == "here"  # worked out here instead
slow = Forked(lambda: time.sleep(60))
slow.close()  # not wanted after all (the decision failed on the way): no child left behind
try:
    os.waitpid(-1, os.WNOHANG)
    raise AssertionError("a child was left behind")
except ChildProcessError:
    pass
stop = threading.Event()
waiting = threading.Thread(target=stop.wait)
waiting.start()
assert Forked(os.getpid).result() == parent  # another thread runs: no fork
stop.set()
waiting.join()
"""
)

REPORT = (
    TWO_CPUS
    + """
import os
from advisor.core.decision.load import load_and_decide
from advisor.core.profile.store import resolve_profile_path
from advisor.report.json_report import render

forks = []
real_fork = os.fork


def counted():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid


os.fork = counted
for name in ("heavy", "consumer-scale", "bursty-startup"):
    path = resolve_profile_path(name)
    before = len(forks)
    _, two = load_and_decide(path, fork=True)
    assert len(forks) == before + 1, "the odds were not worked out in a child"
    _, one = load_and_decide(path, fork=False)
    assert two.risk is not None and two.risk == one.risk
    assert render(two) == render(one)
"""
)


def run(code: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"ADVISOR_TODAY": "2026-11-26", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr


def test_work_is_done_in_a_child_or_here_when_it_cannot_be() -> None:
    run(FORKED)


def test_a_report_with_the_odds_from_a_child_is_the_report_without() -> None:
    run(REPORT)


ONE_CPU = """
import os
from advisor.core.forked import Forked

os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
assert Forked(os.getpid).result() == os.getpid()  # one CPU: worked out here, no child
"""


def test_on_one_cpu_nothing_forks() -> None:
    run(ONE_CPU)
