"""One computation in a forked child while this process goes on: `advisor report` works out
the odds (2,000 draws) on the second core while this one does the rest of the decision.

Only where it is safe and worth it: on a system with fork, in a process with no other thread
(forking a threaded process can copy a lock some thread holds), allowed more than one CPU (on
one, the child would only take turns with this process). Otherwise, or when the child
fails in any way, the work is done here when its result is asked for: the answer is the same
either way, only sooner.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def _one_cpu() -> bool:
    """This process may run on one CPU only (a container's limit, taskset): a child would
    take turns with it, and forking would only add its own cost."""
    affinity = getattr(os, "sched_getaffinity", None)
    return affinity is not None and len(affinity(0)) < 2


class Forked(Generic[T]):
    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._pid: int | None = None
        self._read = -1
        if not hasattr(os, "fork") or threading.active_count() > 1 or _one_cpu():
            return
        try:
            read, write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: work, send, and leave without running any exit code
            code = 1
            try:
                os.close(read)
                data = pickle.dumps(work())
                with open(write, "wb") as pipe:
                    pipe.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The child's answer; the work done here if there is no child or it failed."""
        pid, self._pid = self._pid, None
        if pid is None:
            return self._work()
        with open(self._read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return self._work()
        answer: T = pickle.loads(data)
        return answer

    def close(self) -> None:
        """The answer is not wanted (the decision failed on the way): stop the child, reap it
        and close the pipe. Nothing to do once the result has been taken."""
        pid, self._pid = self._pid, None
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        os.close(self._read)
