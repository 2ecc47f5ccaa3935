"""What `advisor serve` was asked to do, with its defaults. Imports nothing heavy."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path


def default_authorized_keys() -> Path:
    return Path.home() / ".ssh" / "authorized_keys"


def default_host_key() -> Path:
    """$XDG_CONFIG_HOME/advisor/ssh_host_ed25519_key (~/.config/advisor/...)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "advisor" / "ssh_host_ed25519_key"


def default_profiles_dir() -> Path:
    """$XDG_DATA_HOME/advisor/ssh-profiles: one folder per person inside."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "advisor" / "ssh-profiles"


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 2222
    authorized_keys: Path = field(default_factory=default_authorized_keys)
    host_key: Path = field(default_factory=default_host_key)
    profiles_dir: Path = field(default_factory=default_profiles_dir)
    max_sessions: int = 20
    idle_timeout: float = 1800.0  # seconds without input from the client; 0 = never
    no_auth: bool = False
    log_file: Path | None = None  # one line per connection; None = stderr
    colorterm: str | None = None  # COLORTERM for the apps (ssh does not forward it)
    fail_delay: float = 1.0  # the first slow-down after failed logins from one address
    fail_delay_max: float = 10.0  # the slow-down doubles per failure up to this
    hangup_grace: float = 2.0  # seconds between SIGHUP and SIGKILL for an app
    # The app each session runs; `--profiles-dir PERSON_DIR --confine` is appended.
    app_command: tuple[str, ...] = (sys.executable, "-m", "advisor")
