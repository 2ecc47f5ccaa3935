"""The CLI face of `advisor catalog refresh` (`advisor.cli` imports it only for that command)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.core.errors import InputError, InputErrors


def add_parser(catalog_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    refresh = catalog_sub.add_parser(
        "refresh",
        help="rebuild your catalog's API prices from genai-prices (online where possible)",
    )
    refresh.add_argument(
        "--into",
        dest="target",
        metavar="CATALOG",
        help="the user catalog to create or update "
        "(default: $ADVISOR_CATALOG, else $XDG_CONFIG_HOME/advisor/catalog.toml)",
    )
    refresh.add_argument(
        "--offline",
        action="store_true",
        help="use the installed genai-prices package's data; do not fetch its online update",
    )
    refresh.add_argument(
        "--url", help="fetch the online update from here (default: genai-prices' own)"
    )
    refresh.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="give up on the online update after this long (default 10; connecting: 3)",
    )


def catalog_refresh(args: argparse.Namespace) -> int:
    from advisor.core import clock
    from advisor.core.paths import user_catalog
    from advisor.prices.refresh import refresh

    chosen = args.target or args.catalog
    target = Path(chosen) if chosen else user_catalog()
    today = clock.today()
    try:
        if not args.timeout > 0:
            raise InputError("--timeout", "must be a number of seconds above 0.")
        done = refresh(target, today, online=not args.offline, url=args.url, timeout=args.timeout)
    except (InputError, InputErrors) as error:
        print(f"advisor: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"advisor: {target}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(done.described(today))
    return 0
