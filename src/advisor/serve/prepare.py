"""Before listening: check the configuration, load the keys, open the log.

Everything that can be wrong with how `advisor serve` was started is found here, before a
port is bound, and raised as a ServeError whose message says what to do about it.
"""

from __future__ import annotations

import dataclasses
import io
import ipaddress
import logging
import os
import socket
import sys
from dataclasses import dataclass

import asyncssh

from advisor.serve.config import ServeConfig
from advisor.serve.keys import AuthorizedKeys, KeyFileError, load_or_create_host_key


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


@dataclass
class Prepared:
    """Everything checked and loaded before listening."""

    config: ServeConfig
    host_key: asyncssh.SSHKey
    host_key_created: bool
    keys: AuthorizedKeys | None  # None with --no-auth
    log: logging.Logger


def is_loopback(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    addresses = {str(info[4][0]).split("%", 1)[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def connection_logger(log_file: str | os.PathLike[str] | None) -> logging.Logger:
    log = logging.getLogger("advisor.serve")
    log.setLevel(logging.INFO)
    log.propagate = False
    for old in list(log.handlers):
        log.removeHandler(old)
        old.close()
    if not log_file and isinstance(sys.stderr, io.TextIOWrapper):
        # A name in any script, even where stderr cannot show it: escaped, never an error.
        sys.stderr.reconfigure(errors="backslashreplace")
    handler: logging.Handler = (
        logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter("%(asctime)s advisor-serve %(message)s"))
    log.addHandler(handler)
    return log


def prepare(config: ServeConfig) -> Prepared:
    """Check the configuration and load the keys; raises ServeError with what to do."""
    if not 0 <= config.port <= 65535:
        raise ServeError(f"--port {config.port} is not a port number (0-65535)")
    if config.max_sessions < 1 or config.max_per_person < 1:
        raise ServeError("--max-sessions and --max-per-person must be at least 1")
    if config.idle_timeout < 0 or config.fail_delay < 0 or config.fail_delay_max < 0:
        raise ServeError("--idle-timeout and the failed-login delays cannot be negative")
    config = dataclasses.replace(config, profiles_dir=config.profiles_dir.absolute())
    if config.team_profiles is not None:
        team = config.team_profiles.absolute()
        if not team.is_dir():
            raise ServeError(f"--team-profiles {team} is not a folder")
        config = dataclasses.replace(config, team_profiles=team)
    keys: AuthorizedKeys | None = None
    if config.no_auth:
        if not is_loopback(config.host):
            raise ServeError(
                f"--no-auth lets anyone in, so it is only allowed on a loopback address "
                f"(127.0.0.1 or ::1), not on {config.host!r}"
            )
    else:
        keys = AuthorizedKeys(config.authorized_keys)
        try:
            keys.load()
        except KeyFileError as error:
            raise ServeError(
                f"{error}.\nAdd one line per person to an authorized_keys file "
                f"(`ssh-ed25519 AAAA... alice`) and pass it with --authorized-keys FILE "
                f"(or, to try it alone on this machine, --no-auth)"
            ) from None
        if not len(keys):
            raise ServeError(
                f"no usable public key in {config.authorized_keys}: add one line per person "
                f"(`ssh-ed25519 AAAA... alice`; the comment names them), or, to try it alone "
                f"on this machine, --no-auth"
            )
    try:
        host_key, created = load_or_create_host_key(config.host_key)
    except KeyFileError as error:
        raise ServeError(str(error)) from None
    try:
        log = connection_logger(config.log_file)
    except OSError as error:
        raise ServeError(f"cannot write the log {config.log_file}: {error.strerror}") from None
    return Prepared(config, host_key, created, keys, log)
