"""What `advisor serve` was asked to do, with its defaults. Imports nothing heavy."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from advisor.core import paths

default_authorized_keys = paths.authorized_keys
default_host_key = paths.host_key
default_profiles_dir = paths.ssh_profiles_dir


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 2222
    authorized_keys: Path = field(default_factory=default_authorized_keys)
    host_key: Path = field(default_factory=default_host_key)
    profiles_dir: Path = field(default_factory=default_profiles_dir)
    max_sessions: int = 20
    max_per_person: int = 3  # sessions one person may hold at once (never every seat)
    idle_timeout: float = 1800.0  # seconds without input from the client; 0 = never
    no_auth: bool = False
    log_file: Path | None = None  # one line per connection; None = stderr
    colorterm: str | None = None  # COLORTERM for the apps (ssh does not forward it)
    fail_delay: float = 1.0  # the first slow-down after failed logins from one address
    fail_delay_max: float = 10.0  # the slow-down doubles per failure up to this
    hangup_grace: float = 2.0  # seconds between SIGHUP and SIGKILL for an app
    team_profiles: Path | None = None  # prepared profiles offered to everyone, read-only
    public_host: str | None = None  # the host name in a room's join command
    warm: bool = True  # fork apps from a warm parent (warm.py); False: a fresh interpreter each
    # The app each session runs; `--profiles-dir PERSON_DIR --confine` is appended (and
    # `--team-profiles DIR`).
    app_command: tuple[str, ...] = (sys.executable, "-m", "advisor")
