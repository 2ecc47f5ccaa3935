"""The last line of defence around deciding: no traceback, no figure that is not a number.

The profile's bounds are chosen so that every allowed value computes (DESIGN.md section 4:
bad input is a message, exit 2). Should an arithmetic error still escape the cost model
(a division by zero, an overflow, a domain error) or a figure come out infinite or NaN, the
person gets one paragraph naming the profile instead of a traceback or "$inf/month", and no
report is made from it. The texts of the decision that came from files (the profile's name and
notes, model and GPU names, catalog sources) are made printable here, once, so no face prints
a terminal escape from a file. Every face decides through `decide_checked`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

from advisor.core.catalog.model import Catalog
from advisor.core.errors import InputError
from advisor.core.text import printable_strings

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision
    from advisor.core.profile.model import Profile

ALLOWED = (
    "values nearer those of the bundled examples (`advisor examples`); "
    "if this profile looks reasonable, please report it"
)


def _not_finite(value: Any, path: str, depth: int = 0) -> str | None:
    """The path of the first figure in `value` that is NaN or infinite, or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if depth > 12 or isinstance(value, str | int | date | type(None)):
        return None
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        items: Any = ((name, getattr(value, name)) for name in value._fields)
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = ((str(i), item) for i, item in enumerate(value))
    else:
        return None
    for name, item in items:
        if isinstance(item, Catalog):
            continue
        found = _not_finite(item, f"{path}.{name}" if path else str(name), depth + 1)
        if found:
            return found
    return None


def check_figures(decision: Decision, file: str) -> Decision:
    """The decision, if every figure in it is a finite number and no option costs less than
    nothing; else an InputError naming the file (the resolved inputs are not checked: they
    hold the catalog, checked when it was loaded)."""
    for name in decision._fields:
        if name == "inputs":
            continue
        found = _not_finite(getattr(decision, name), name)
        if found:
            raise InputError(
                file, f"cannot be decided: {found} comes out as no number.", allowed=ALLOWED
            )
    for option in decision.options:
        if option.monthly_cost < 0 or option.with_friction < 0:
            raise InputError(
                file,
                f"cannot be decided: the {option.label} option would cost less than nothing.",
                allowed=ALLOWED,
            )
    return decision


def decide_checked(
    profile: Profile,
    catalog: Catalog | None = None,
    file: str = "profile",
    *,
    migrated_from: int | None = None,
    outlook: bool = True,
    fork: bool = False,
) -> Decision:
    """`decide`, with any arithmetic error or figure that is not a number turned into an
    InputError naming `file` (InputErrors from deciding pass through as they are)."""
    from advisor.core.decision.decide import decide

    try:
        decision = decide(profile, catalog, migrated_from=migrated_from, outlook=outlook, fork=fork)
    except InputError:
        raise
    except (ArithmeticError, ValueError, RecursionError) as exc:
        kind = type(exc).__name__
        raise InputError(
            file,
            f"cannot be decided: a figure goes out of range ({kind}: {str(exc)[:80]}).",
            allowed=ALLOWED,
        ) from None
    # Names, notes and catalog texts are shown by every face: escaped here, once (the resolved
    # inputs keep the ids as they are, for the core's own what-ifs).
    shown: Decision = printable_strings(
        check_figures(decision, file), skip=frozenset({"inputs", "catalog"})
    )
    return shown


def outlook_checked(decision: Decision, file: str = "profile") -> Decision:
    """The decision with its horizon and odds (see outlook.py), checked like a decision."""
    from advisor.core.decision.outlook import with_outlook

    try:
        full = with_outlook(decision)
    except (ArithmeticError, ValueError, RecursionError) as exc:
        kind = type(exc).__name__
        raise InputError(
            file,
            f"cannot be projected: a figure goes out of range ({kind}: {str(exc)[:80]}).",
            allowed=ALLOWED,
        ) from None
    return check_figures(full, file)
