"""What one address, one person and one connection may hold open. Pure: no asyncssh.

Before logging in, a connection is only an address. At most PENDING_PER_ADDRESS of them
from one address (an IPv6 /64 counts as one address: its owner has all of it) and PENDING
from everywhere may be logging in at once. A newcomer is never turned away for that: the
connection that has got least far (nothing said < said which SSH it speaks < asked to log
in), oldest first, from the same address (or from anywhere, for the total), is closed to
make room; one younger than GRACE only when all are. So silent or stalled connections
cannot lock anyone out, not even someone behind the same address: a real client says which
SSH it speaks at once and is past the silent ones within a round trip. A connection that
says nothing is closed after HELLO_TIMEOUT; the rest have asyncssh's login timeout.

After logging in, a person (everyone who connects with keys that name them) may hold at
most `per_person` sessions (never every seat: one is always left for someone else) and
twice as many connections; a connection at most MAX_CHANNELS session channels at once.

LogQuota keeps a flood of connections that never log in from flooding the log.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Hashable, Iterable
from typing import Generic, Protocol, TypeVar

PENDING_PER_ADDRESS = 32  # connections logging in at once from one address (an office NAT)
PENDING = 256  # connections logging in at once, from everywhere
HELLO_TIMEOUT = 10.0  # seconds for a new connection to say which SSH it speaks
GRACE = 1.0  # seconds a new connection is left alone while others can make room
MAX_CHANNELS = 4  # session channels open at once on one connection
NO_APP_TIMEOUT = 30.0  # seconds a logged-in connection may go without an app running

# Stages of a connection that is logging in: how far it got.
CONNECTED, HELLO, AUTHENTICATING = 0, 1, 2


def address_group(address: str) -> str:
    """The unit that limits count: the IPv4 address, or the IPv6 /64 the address is in."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def per_person_sessions(wanted: int, seats: int) -> int:
    """At most `wanted` sessions for one person, and never all the seats when there are two."""
    return max(1, min(wanted, seats - 1)) if seats > 1 else 1


class Pending(Protocol):
    @property
    def group(self) -> str: ...

    @property
    def started(self) -> float: ...

    @property
    def stage(self) -> int: ...


P = TypeVar("P", bound=Pending)


class LoginGate(Generic[P]):
    """The connections logging in, within their limits: admit() says which to close."""

    def __init__(
        self, per_group: int = PENDING_PER_ADDRESS, total: int = PENDING, grace: float = GRACE
    ) -> None:
        self.per_group = max(1, per_group)
        self.total = max(self.per_group, total)
        self.grace = grace
        self._groups: dict[str, dict[P, None]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item: P) -> bool:
        return item in self._groups.get(item.group, {})

    def count(self, group: str) -> int:
        return len(self._groups.get(group, {}))

    def admit(self, item: P, now: float | None = None) -> list[tuple[P, str]]:
        """Count `item` in; the connections to close to make room (no longer counted), each
        with the limit that closes it."""
        now = time.monotonic() if now is None else now
        group = self._groups.setdefault(item.group, {})
        group[item] = None
        self._count += 1
        closed: list[tuple[P, str]] = []
        if len(group) > self.per_group:
            limit = f"at most {self.per_group} at once from one address"
            closed.append((self._evict(group, item, now), limit))
        while self._count > self.total:
            everyone = (p for members in self._groups.values() for p in members)
            closed.append((self._evict(everyone, item, now), f"at most {self.total} at once"))
        return closed

    def leave(self, item: P) -> None:
        group = self._groups.get(item.group)
        if group is not None and item in group:
            del group[item]
            self._count -= 1
            if not group:
                del self._groups[item.group]

    def _evict(self, candidates: Iterable[P], newcomer: P, now: float) -> P:
        """The one that got least far, oldest first; a connection younger than `grace` only
        when every other one is (a real client gets past the first stages within it)."""
        others = [p for p in candidates if p is not newcomer] or [newcomer]
        victim = min(others, key=lambda p: (now - p.started < self.grace, p.stage, p.started))
        self.leave(victim)
        return victim


K = TypeVar("K", bound=Hashable)


class Tally(Generic[K]):
    """How many of something each key holds (sessions or connections per person)."""

    def __init__(self) -> None:
        self._counts: dict[K, int] = {}

    def __getitem__(self, key: K) -> int:
        return self._counts.get(key, 0)

    def add(self, key: K) -> None:
        self._counts[key] = self._counts.get(key, 0) + 1

    def remove(self, key: K) -> None:
        left = self._counts.get(key, 0) - 1
        if left > 0:
            self._counts[key] = left
        else:
            self._counts.pop(key, None)


class LogQuota:
    """Lines about connections that never logged in: at most `burst` for one address and
    `total` in all in each `period`. The others are counted, and said in one line once the
    flood pauses for `quiet` seconds or the period ends."""

    def __init__(
        self,
        burst: int = 10,
        total: int = 60,
        period: float = 60.0,
        quiet: float = 5.0,
        max_tracked: int = 1000,
    ) -> None:
        self.burst, self.total, self.period, self.quiet = burst, total, period, quiet
        self.max_tracked = max_tracked
        self._since: float | None = None  # when this period began
        self._lines: dict[str, int] = {}  # lines written this period, per address
        self._held: dict[str, int] = {}  # lines held back, per address
        self._last_held = 0.0

    def allow(self, group: str, now: float | None = None) -> bool:
        """True: write this line; False: it is counted, for flush() to say."""
        now = time.monotonic() if now is None else now
        if self._since is None or (now - self._since >= self.period and not self._held):
            self._since, self._lines = now, {}
        written = self._lines.get(group, 0)
        if written < self.burst and sum(self._lines.values()) < self.total:
            self._lines[group] = written + 1
            return True
        if group not in self._held and len(self._held) >= self.max_tracked:
            group = OTHERS
        self._held[group] = self._held.get(group, 0) + 1
        self._last_held = now
        return False

    def flush(self, now: float | None = None, everything: bool = False) -> str | None:
        """The line that says what was held back, when it is time to say it."""
        now = time.monotonic() if now is None else now
        if not self._held or self._since is None:
            return None
        over = now - self._since >= self.period
        if not (everything or over or now - self._last_held >= self.quiet):
            return None
        held, self._held = self._held, {}
        if over:
            self._since = None
        ranked = sorted(held.items(), key=lambda item: -item[1])
        parts = [f"{count} from {group}" for group, count in ranked[:5]]
        if len(ranked) > 5:
            rest = ranked[5:]
            parts.append(f"{sum(c for _, c in rest)} from {len(rest)} other address(es)")
        return (
            f"{sum(held.values())} more connection(s) ended before logging in, not logged one "
            f"by one (at most {self.burst} lines for an address and {self.total} in all each "
            f"{self.period:g}s): " + ", ".join(parts)
        )


OTHERS = "addresses beyond the ones counted"
