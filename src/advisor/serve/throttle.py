"""Slow down repeated failed logins from one address, without slowing anyone else.

Each refused key from an address counts one failure. The first is free (people's agents
often offer a wrong key first); then the answer to each refused key waits `base`, `2×base`,
`4×base`, ... up to `cap` seconds. An address's count is forgotten after `forget_after`
seconds without failures, or at once when someone logs in from it. The wait is an
asyncio sleep in that connection only: the server never blocks.
"""

from __future__ import annotations

import time


class FailedLogins:
    def __init__(
        self,
        base: float,
        cap: float,
        forget_after: float = 600.0,
        max_tracked: int = 10_000,
    ) -> None:
        self.base = max(0.0, base)
        self.cap = max(self.base, cap)
        self.forget_after = forget_after
        self.max_tracked = max_tracked
        self._failures: dict[str, tuple[int, float]] = {}  # address -> (count, last failure)

    def failed(self, address: str, now: float | None = None) -> float:
        """Count one failure; the seconds to wait before answering it."""
        now = time.monotonic() if now is None else now
        count, last = self._failures.get(address, (0, now))
        if now - last > self.forget_after:
            count = 0
        count += 1
        self._failures[address] = (count, now)
        if len(self._failures) > self.max_tracked:
            self._forget_old(now)
        return self.delay(count)

    def delay(self, count: int) -> float:
        if count <= 1 or self.base == 0:
            return 0.0
        return min(self.base * (1 << min(count - 2, 32)), self.cap)

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)

    def count(self, address: str) -> int:
        return self._failures.get(address, (0, 0.0))[0]

    def _forget_old(self, now: float) -> None:
        stale = [a for a, (_, last) in self._failures.items() if now - last > self.forget_after]
        for address in stale:
            del self._failures[address]
        while len(self._failures) > self.max_tracked:  # still too many: drop the oldest
            del self._failures[next(iter(self._failures))]
