"""Build the bundled API prices (src/advisor/data/api_models.toml) from genai-prices data.

    python scripts/build_api_catalog.py                     # rewrite the bundled file, as of today
    python scripts/build_api_catalog.py --as-of 2026-11-30  # prices in force on that date
    python scripts/build_api_catalog.py --output -          # print instead of writing
    python scripts/build_api_catalog.py --online [URL]      # genai-prices' online update instead

Every price comes from the installed `genai-prices` package (pinned in pyproject.toml: the
bundled file names the version it was made from, and tests/test_api_catalog.py checks that
this script reproduces it), resolved to the price in force on --as-of, which becomes every
entry's `as_of`. Our editorial choices (which models, names, successors, dated retirements with
their sources, the hand-kept batch fallbacks) live in src/advisor/prices/curated.py. `advisor
catalog refresh` runs the same code into a user catalog. Diagnostics go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from advisor.prices import curated
from advisor.prices.data import online_data, package_data
from advisor.prices.entries import build
from advisor.prices.toml_out import render

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "advisor" / "data" / "api_models.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.today(),
        help="price in force on this date, and every entry's as_of (YYYY-MM-DD; default today)",
    )
    parser.add_argument(
        "--output", "-o", default=str(OUT), help=f"where to write ('-': stdout; default {OUT})"
    )
    parser.add_argument(
        "--open-models",
        default=",".join(curated.DEFAULT_OPEN_MODELS),
        help="comma-separated open models to list hosted offers of "
        f"(known: {', '.join(curated.OPEN_MODELS)})",
    )
    parser.add_argument(
        "--online",
        nargs="?",
        const="",
        default=None,
        metavar="URL",
        help="genai-prices' online update (default URL: the package's) instead of its data",
    )
    args = parser.parse_args(argv)
    open_ids = [s.strip() for s in args.open_models.split(",") if s.strip()]
    unknown = [o for o in open_ids if o not in curated.OPEN_MODELS]
    if unknown:
        parser.error(f"unknown open model(s): {', '.join(unknown)}")
    data = package_data() if args.online is None else online_data(args.online or None, args.as_of)
    built = build(data.providers, args.as_of, open_ids)
    text = render(built, args.as_of, data.source)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        if Path(args.output).resolve() == OUT.resolve():  # what the program reads: regenerated
            from advisor.core.catalog.bundled_build import write

            write()
    hosted = sum(1 for e in built.entries if e.open_model)
    print(
        f"build_api_catalog: {len(built.entries) - hosted} closed + {hosted} hosted entries "
        f"from {data.described}; missing: {', '.join(built.missing) or 'none'}",
        file=sys.stderr,
    )
    for line in built.hosted_log:
        print("  " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
