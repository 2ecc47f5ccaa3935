"""The `advisor` command: the TUI, `advisor report`, `advisor catalog` (with `refresh` and
`import-litellm`), `advisor examples`, `advisor import-usage`.

Imports are lazy: `advisor report` never imports Textual, and nothing loads before it is used.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from advisor import __version__


def _fail(error: Exception) -> int:
    from advisor.core.text import printable

    print(f"advisor: {printable(str(error), keep=chr(10))}", file=sys.stderr)
    return 2


def bundled_profiles() -> dict[str, Path]:
    from advisor.core.profile.store import bundled_profiles as found

    return found()


def resolve_profile_path(name: str) -> Path:
    from advisor.core.profile.store import resolve_profile_path as resolve

    return resolve(name)


def _collector_paused(run: Any) -> int:
    """`run()` with Python's cyclic garbage collector off (as it was, after). A report, and
    the app until its first frame, make few reference cycles but many objects: the collector
    would only walk the imports' objects again and again (about 15 ms of a report, 30 ms of
    the first frame). Never for a long run (`serve`, `import-usage`)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return int(run())
    finally:
        if was:
            gc.enable()


def _report(args: argparse.Namespace) -> int:
    return _collector_paused(lambda: _report_now(args))


def _report_now(args: argparse.Namespace) -> int:
    from advisor.core.catalog.load import load_catalog, user_catalog_path
    from advisor.core.decision.load import decide_file
    from advisor.core.errors import InputError, InputErrors

    try:
        catalog_path = Path(args.catalog) if args.catalog else user_catalog_path()
        catalog = load_catalog(catalog_path)
        # One decision, on two cores: the odds in a forked child (core/forked.py).
        decision = decide_file(resolve_profile_path(args.profile), catalog, fork=True)
    except (InputError, InputErrors) as error:
        return _fail(error)
    if args.format == "json":
        from advisor.report.json_report import render

        text = render(decision)
    elif args.format == "markdown":
        from advisor.report.markdown import render

        text = render(decision)
    else:
        from advisor.report.text import render_to

        if args.output:
            import io

            buffer = io.StringIO()
            render_to(decision, buffer, width=100)
            text = buffer.getvalue()
        else:
            render_to(decision)
            return 0
    if args.output:
        from advisor.core.files.atomic import atomic_write_text

        try:
            atomic_write_text(Path(args.output), text)
        except OSError as error:
            return _fail(Exception(f"{args.output}: cannot be written ({error.strerror})."))
    else:
        sys.stdout.write(text)
    return 0


def _catalog(args: argparse.Namespace) -> int:
    if getattr(args, "catalog_command", None) == "import-litellm":
        from advisor.usage.command import import_litellm

        return import_litellm(args)
    if getattr(args, "catalog_command", None) == "refresh":
        from advisor.prices.command import catalog_refresh

        return catalog_refresh(args)
    from advisor.core import clock
    from advisor.core.catalog.load import load_catalog, user_catalog_path
    from advisor.core.errors import InputError, InputErrors
    from advisor.report.catalog_table import render_to

    try:
        catalog = load_catalog(Path(args.catalog) if args.catalog else user_catalog_path())
    except (InputError, InputErrors) as error:
        return _fail(error)
    render_to(catalog, clock.today())
    return 0


def _import_usage(args: argparse.Namespace) -> int:
    from advisor.usage.command import import_usage

    return import_usage(args)


def _examples(args: argparse.Namespace) -> int:
    from advisor.core.profile.io import load_profile

    for name, path in sorted(bundled_profiles().items()):
        print(f"{name:<20} {load_profile(path).name}")
    print("\nUse one by name: advisor report medium", file=sys.stderr)
    return 0


def _add_report(sub: Any) -> None:
    report = sub.add_parser("report", help="the decision for a profile, without the TUI")
    report.add_argument("profile", help="a profile TOML file, or a bundled example's name")
    report.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    report.add_argument("--output", "-o", help="write to this file instead of stdout")
    report.add_argument("--catalog", help="a user catalog file laid over the bundled one")
    report.set_defaults(run=_report)


def _add_catalog(sub: Any) -> None:
    catalog = sub.add_parser("catalog", help="list prices, GPUs, models and presets, with dates")
    catalog.add_argument("--catalog", help="a user catalog file laid over the bundled one")
    catalog.set_defaults(run=_catalog)
    catalog_sub = catalog.add_subparsers(dest="catalog_command", metavar="{refresh,import-litellm}")
    from advisor.prices.command import add_parser as add_refresh  # light: argparse only

    add_refresh(catalog_sub)
    litellm = catalog_sub.add_parser(
        "import-litellm",
        help="add LiteLLM's model_prices_and_context_window.json to your catalog, dated today",
    )
    litellm.add_argument("file", help="a copy of LiteLLM's model_prices_and_context_window.json")
    litellm.add_argument(
        "--into",
        dest="target",
        metavar="CATALOG",
        help="the user catalog to create or update "
        "(default: $ADVISOR_CATALOG, else $XDG_CONFIG_HOME/advisor/catalog.toml)",
    )
    litellm.add_argument(
        "--provider",
        action="append",
        metavar="NAME",
        help="only this LiteLLM provider's models (repeatable), e.g. openai, anthropic, groq",
    )


def _add_import_usage(sub: Any) -> None:
    usage = sub.add_parser(
        "import-usage", help="measure the workload from request logs (and update a profile)"
    )
    usage.add_argument("files", nargs="+", metavar="FILE", help="request logs, read in turn")
    usage.add_argument(
        "--format",
        choices=("auto", "csv", "jsonl", "litellm", "openai", "anthropic", "azure"),
        default="auto",
        help="the logs' format (default: detected from the first line); gzip is read as is",
    )
    usage.add_argument(
        "--json",
        action="store_true",
        help="print the summary as JSON (every figure, the window, definitions, warnings)",
    )
    usage.add_argument(
        "--into", metavar="PROFILE", help="update this profile's workload and traffic"
    )
    usage.add_argument("--output", "-o", metavar="PROFILE", help="write a new profile here")
    usage.add_argument("--catalog", help="a user catalog file laid over the bundled one")
    usage.set_defaults(run=_import_usage)


def _add_examples(sub: Any) -> None:
    examples = sub.add_parser("examples", help="list the bundled example profiles")
    examples.set_defaults(run=_examples)


def _add_serve(sub: Any) -> None:
    from advisor.serve.command import add_parser  # light: asyncssh loads only when serving

    add_parser(sub)


_COMMAND_PARSERS = {
    "report": _add_report,
    "catalog": _add_catalog,
    "import-usage": _add_import_usage,
    "examples": _add_examples,
    "serve": _add_serve,
}
COMMANDS = tuple(_COMMAND_PARSERS)


PROFILE_HELP = (
    "open this profile: a TOML file, or a bundled example's name (advisor examples); "
    "a NAME.toml that does not exist yet starts a new profile, saved there"
)
PROFILES_DIR_HELP = "where Save and Open look (default: ~/.local/share/advisor/profiles)"
APP_USAGE = "advisor [PROFILE] [--profiles-dir DIR]"


def _app_help() -> str:
    """The interactive app's own usage, for `advisor --help` (argparse cannot have both an
    optional PROFILE and the commands on one parser)."""
    import textwrap

    def item(name: str, text: str) -> str:
        lines = textwrap.wrap(text, 54)
        return "\n".join([f"  {name:<20}{lines[0]}", *(" " * 22 + line for line in lines[1:])])

    return "\n".join(
        [
            "API, self-host or hybrid? An advisor for LLM inference economics.",
            "",
            f"the interactive app: {APP_USAGE}",
            item("PROFILE", PROFILE_HELP),
            item("--profiles-dir DIR", PROFILES_DIR_HELP),
        ]
    )


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `only`, just that command's parser (the others cost time to
    build and are not used)."""
    top = argparse.ArgumentParser(
        prog="advisor",
        usage=f"{APP_USAGE}\n       advisor COMMAND ... (advisor COMMAND --help)",
        description=_app_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `advisor` alone for the interactive app, `advisor PROFILE` to open a profile.",
    )
    top.add_argument("--version", action="version", version=f"advisor {__version__}")
    sub = top.add_subparsers(dest="command", title="commands", metavar="COMMAND", prog="advisor")
    for name, add in _COMMAND_PARSERS.items():
        if only is None or only == name:
            add(sub)
    return top


def _app(argv: Sequence[str]) -> int:
    """The interactive app: `advisor [PROFILE] [--profiles-dir DIR]`; the cyclic collector off
    until its first frame is up (tui/opens.py turns it back on, if it was on)."""
    resume = gc.isenabled()
    return _collector_paused(lambda: _app_now(argv, resume))


def _app_now(argv: Sequence[str], resume_collector: bool = False) -> int:
    top = argparse.ArgumentParser(
        prog="advisor",
        description="The interactive advisor. Other commands: "
        + ", ".join(COMMANDS)
        + " (advisor --help).",
    )
    top.add_argument("profile", nargs="?", metavar="PROFILE", help=PROFILE_HELP)
    top.add_argument("--profiles-dir", metavar="DIR", help=PROFILES_DIR_HELP)
    # `advisor serve` runs each person's app with --confine: every path typed stays inside
    # their profiles folder, and no message shows a server path.
    top.add_argument("--confine", action="store_true", help=argparse.SUPPRESS)
    top.add_argument("--team-profiles", metavar="DIR", help="prepared profiles to offer, read-only")
    args = top.parse_args(argv)
    opening = None
    if args.profile:
        from advisor.core.profile.store import is_new_profile
        from advisor.tui.startup import Opening

        path = resolve_profile_path(args.profile)
        if not is_new_profile(path):
            # Start deciding before Textual is imported (tui/startup.py says how).
            opening = Opening(path.absolute())
        elif not path.absolute().parent.is_dir():
            return _fail(Exception(f"{path.parent}: no such folder to start {path.name} in."))
    from advisor.tui.app import create_app

    app = create_app(
        args.profile,
        profiles_dir=Path(args.profiles_dir) if args.profiles_dir else None,
        confined=args.confine,
        opening=opening,
        team_dir=Path(args.team_profiles) if args.team_profiles else None,
    )
    app.resume_collector = resume_collector
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # advisor's models are its own: a pydantic plugin installed for another project has nothing
    # to observe here, and finding plugins reads every installed package's metadata (~20 ms).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        args = parser(argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
        try:
            return int(args.run(args))
        except BrokenPipeError:  # `advisor report ... | head`: the reader has gone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return _app(argv)
