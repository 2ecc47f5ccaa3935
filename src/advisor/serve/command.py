"""The `advisor serve` command line (placeholder until the server lands)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="host the advisor over SSH (not yet available)")
    serve.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    print("advisor serve: not available yet")
    return 1
