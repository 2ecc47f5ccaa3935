"""The `advisor serve` command line. Light: asyncssh loads only when the server runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from advisor.serve.config import (
    ServeConfig,
    default_authorized_keys,
    default_host_key,
    default_profiles_dir,
)

DESCRIPTION = """\
Host the advisor over SSH: people connect with the ssh they already have
(`ssh -t -p 2222 HOST`) and get the advisor, and nothing else: no shell, no
commands, no file transfer, no forwarding. Each person is who their key says:
one line per person in the authorized_keys file, the key's comment names them,
and their profiles live in PROFILES_DIR/<person>/.
"""


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more seconds")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be a port number (0 picks a free one)")
    return value


def add_parser(sub: Any) -> None:
    serve = sub.add_parser(
        "serve",
        help="host the advisor over SSH for a room of stakeholders",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for everyone on the network)",
    )
    serve.add_argument(
        "--port", type=_port, default=None, help="port to listen on (default 2222; 0: any)"
    )
    serve.add_argument(
        "--status",
        action="store_true",
        help="do not serve: say who is connected to the running server(s) and in which room "
        "(those whose host key is in the --host-key folder; one --port only, if given)",
    )
    serve.add_argument(
        "--authorized-keys",
        metavar="FILE",
        help="who may connect: one OpenSSH public key per person, the comment names them "
        f"(default {_home(default_authorized_keys())})",
    )
    serve.add_argument(
        "--host-key",
        metavar="FILE",
        help=f"the server's ed25519 key, made on first start (default {_home(default_host_key())})",
    )
    serve.add_argument(
        "--profiles-dir",
        metavar="DIR",
        help="each person's profiles go in DIR/<person>/ "
        f"(default {_home(default_profiles_dir())})",
    )
    serve.add_argument(
        "--public-host",
        metavar="NAME",
        help="the host name people use to reach this server, for the command a room shows "
        "(`ssh -t -p PORT join-CODE@NAME`; default: the address the presenter reached)",
    )
    serve.add_argument(
        "--team-profiles",
        metavar="DIR",
        help="prepared profiles (*.toml) that everyone may open, read-only: a stakeholder "
        "opens the facilitator's case without typing it in again",
    )
    serve.add_argument(
        "--max-sessions",
        type=_count,
        default=20,
        metavar="N",
        help="apps running at once; the next person is asked to come back (default 20)",
    )
    serve.add_argument(
        "--max-per-person",
        type=_count,
        default=3,
        metavar="N",
        help="apps one person may run at once; never all the seats (default 3)",
    )
    serve.add_argument(
        "--idle-timeout",
        type=_seconds,
        default=1800,
        metavar="SECONDS",
        help="end a session after this long without input (default 1800; 0: never)",
    )
    serve.add_argument(
        "--no-auth",
        action="store_true",
        help="let anyone in without a key (only on a loopback address, to try it alone)",
    )
    serve.add_argument(
        "--cold",
        action="store_true",
        help="start each app in a fresh interpreter instead of forking it from a warm one "
        "(slower first screens; the apps then run whatever advisor is installed now)",
    )
    serve.add_argument(
        "--log", metavar="FILE", help="write the one-line-per-connection log here (default: stderr)"
    )
    serve.add_argument(
        "--colorterm",
        choices=("truecolor", "256"),
        default="256",
        help="colours for the apps: 256 works in every terminal; truecolor where supported "
        "(a client can ask for it with: ssh -o SetEnv=COLORTERM=truecolor)",
    )
    serve.add_argument(
        "--fail-delay",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="slow down refused keys from one address: the second is answered this much "
        "later, each next one twice as late (default 1)",
    )
    serve.add_argument(
        "--fail-delay-max",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="the longest such delay (default 10)",
    )
    serve.set_defaults(run=_run)


def _home(path: Path) -> str:
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _config(args: argparse.Namespace) -> ServeConfig:
    extra: dict[str, Any] = {}
    if args.authorized_keys:
        extra["authorized_keys"] = Path(args.authorized_keys).expanduser()
    if args.host_key:
        extra["host_key"] = Path(args.host_key).expanduser()
    if args.profiles_dir:
        extra["profiles_dir"] = Path(args.profiles_dir).expanduser()
    if args.team_profiles:
        extra["team_profiles"] = Path(args.team_profiles).expanduser()
    return ServeConfig(
        host=args.host,
        port=2222 if args.port is None else args.port,
        max_sessions=args.max_sessions,
        max_per_person=args.max_per_person,
        idle_timeout=args.idle_timeout,
        no_auth=args.no_auth,
        log_file=Path(args.log).expanduser() if args.log else None,
        colorterm="truecolor" if args.colorterm == "truecolor" else None,
        fail_delay=args.fail_delay,
        fail_delay_max=args.fail_delay_max,
        public_host=args.public_host,
        warm=not args.cold,
        **extra,
    )


def _run(args: argparse.Namespace) -> int:
    if args.status:
        from advisor.serve.status import show

        host_key = Path(args.host_key).expanduser() if args.host_key else default_host_key()
        return show(host_key.parent, args.port)
    from advisor.serve.server import run  # asyncssh and cryptography load here, not before

    return run(_config(args))
