"""The CLI face of `advisor import-usage` and `advisor catalog import-litellm`.

`advisor.cli` imports this module only when one of those commands runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.core.errors import InputError, InputErrors

if TYPE_CHECKING:
    from advisor.core.profile.model import Profile


def _fail(error: Exception) -> int:
    from advisor.usage.text import printable

    print(f"advisor: {printable(str(error), keep=chr(10))}", file=sys.stderr)
    return 2


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        "reading logs",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("read", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def import_usage(args: argparse.Namespace) -> int:
    from advisor.core.catalog.load import load_catalog, user_catalog_path
    from advisor.core.files.atomic import atomic_write_text
    from advisor.core.files.toml import read_toml
    from advisor.core.profile.io import dumps_profile, load_profile
    from advisor.usage.profile_update import new_profile, update_profile_text
    from advisor.usage.summary import analyse

    into = Path(args.into) if args.into else None
    output = Path(args.output) if args.output else None
    try:
        if output is not None and output.exists() and (into is None or not _same(into, output)):
            raise InputError(
                str(output),
                "already exists: --output writes a new profile. Use --into to update it "
                "(keeping its other answers and comments), or name another file.",
            )
        base = load_profile(into) if into is not None else None
        catalog = load_catalog(Path(args.catalog) if args.catalog else user_catalog_path())
        days_per_month = base.workload.days_per_month if base is not None else 30.0
        with _progress_bar() as progress:
            summary = analyse(args.files, catalog, args.format, days_per_month, progress)
        target = output or into
        text = None
        if into is not None:  # only the measured answers change; comments and layout stay
            _, old_text = read_toml(into)  # a regular file of at most 1 MiB, as loaded above
            text = update_profile_text(old_text, summary, str(into))
        elif target is not None:
            text = dumps_profile(new_profile(summary, args.files))
    except (InputError, InputErrors) as error:
        return _fail(error)
    except OSError as error:
        return _fail(InputError(getattr(error, "filename", None) or "log", str(error)))
    except KeyboardInterrupt:
        print("advisor: interrupted; nothing written.", file=sys.stderr)
        return 130
    as_json = bool(getattr(args, "json", False))
    if as_json:
        import json

        from advisor.usage.summary_json import summary_json

        # ensure_ascii: every character from the logs beyond ASCII is escaped, C1 controls too.
        print(json.dumps(summary_json(summary), indent=2, ensure_ascii=True))
    else:
        from advisor.usage.render import render_to

        render_to(summary)
    if target is not None and text is not None:
        try:
            atomic_write_text(target, text)
        except OSError as error:
            return _fail(InputError(str(target), f"cannot be written ({error.strerror})."))
        _say_written(
            target, base, summary.profile_values(), new=output is not None, to_stderr=as_json
        )
    return 0


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _say_written(
    target: Path,
    base: Profile | None,
    values: dict[str, dict[str, object]],
    new: bool,
    to_stderr: bool = False,
) -> None:
    """Which answers the import set, and what they were (on stderr when stdout is JSON)."""
    from advisor.usage.text import printable

    changes = []
    for section, keys in values.items():
        for key, value in keys.items():
            shown = f"{section}.{key} = {_toml(value)}"
            old = getattr(getattr(base, section), key) if base is not None else None
            if base is not None and old != value:
                shown += f" (was {_toml(old)})" if old is not None else " (was unset)"
            changes.append(shown)
    print(
        f"\n{'Wrote' if new else 'Updated'} {printable(str(target))}: " + "; ".join(changes) + ".",
        file=sys.stderr if to_stderr else sys.stdout,
    )


def import_litellm(args: argparse.Namespace) -> int:
    from advisor.core import clock
    from advisor.usage.prices import default_target
    from advisor.usage.prices import import_litellm as run

    target = Path(args.target or args.catalog) if (args.target or args.catalog) else None
    try:
        result = run(
            Path(args.file), target or default_target(), clock.today(), args.provider or ()
        )
    except (InputError, InputErrors) as error:
        return _fail(error)
    except OSError as error:
        return _fail(InputError(str(target or default_target()), str(error)))
    skipped = sum(result.skipped.values())
    reasons = ", ".join(f"{n:,} {why}" for why, n in result.skipped.most_common())
    print(
        f"{'Created' if result.created else 'Updated'} {result.path}: "
        f"{len(result.added):,} added, {len(result.updated):,} updated, {skipped:,} skipped"
        + (f" ({reasons})" if reasons else "")
        + f"; prices as of {clock.today().isoformat()}."
    )
    if result.refreshed:
        print("Bundled prices refreshed: " + ", ".join(result.refreshed) + ".")
    if result.conflicts:
        print(
            "Not refreshed (LiteLLM lists several prices for their spellings): "
            + ", ".join(result.conflicts)
            + "."
        )
    return 0
