"""What every connection of the server shares: the configuration, the log and its quota,
the failed-login throttle, the connections logging in, the seats (sessions running), the
rooms' hub and the warm parent the apps fork from."""

from __future__ import annotations

import itertools
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.serve.hub import Hub
from advisor.serve.limits import LoginGate, LogQuota, Tally, per_person_sessions
from advisor.serve.prepare import Prepared
from advisor.serve.throttle import FailedLogins
from advisor.serve.warm import WarmParent

if TYPE_CHECKING:
    from advisor.serve.connection import AdvisorConnection
    from advisor.serve.session import Seat


def where(error: BaseException) -> str:
    """file:line of the innermost frame an exception came from."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno}"


class ServerState:
    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.config = prepared.config
        self.log = prepared.log
        self.throttle = FailedLogins(self.config.fail_delay, self.config.fail_delay_max)
        self.seats: set[Seat] = set()
        self.connections: set[AdvisorConnection] = set()
        self.logging_in: LoginGate[AdvisorConnection] = LoginGate()
        self.per_person = per_person_sessions(self.config.max_per_person, self.config.max_sessions)
        self.connections_per_person = 2 * self.per_person + 2
        self.held: Tally[str] = Tally()  # logged-in connections per person
        self.quota = LogQuota()
        self.stopping = False
        self.port = self.config.port  # the port bound (when asked for 0, set once listening)
        self.hub = Hub(self.log, self.config.public_host)
        self.warm: WarmParent | None = None  # started by the server (server.py)
        self.session_ids = itertools.count(1)
        self.started = time.time()

    def sessions_of(self, person: str) -> int:
        return sum(1 for seat in self.seats if seat.person == person)

    def say_what_was_held_back(self, everything: bool = False) -> None:
        """One line for the connections that were too many to log one by one."""
        line = self.quota.flush(everything=everything)
        if line:
            self.log.info("%s", line)
