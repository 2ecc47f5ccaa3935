"""Number formats shared by every face: money as $7,290, shares as 30%."""

from __future__ import annotations

from typing import Any

VERDICT_WORDS = {"api": "API", "self_host": "Self-host", "hybrid": "Hybrid"}
VERDICT_MARKS = {"api": "[API]", "self_host": "[SELF-HOST]", "hybrid": "[HYBRID]"}


def money(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"-${-x:,.0f}" if x < 0 else f"${x:,.0f}"


def money_fine(x: float | None, digits: int = 4) -> str:
    if x is None:
        return "n/a"
    return f"${x:,.{digits}f}"


def share(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0%}"


def tokens(x: float) -> str:
    if x >= 1e9:
        return f"{x / 1e9:,.2f} B"
    if x >= 1e6:
        return f"{x / 1e6:,.1f} M"
    return f"{x:,.0f}"


def number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.4g}"


def verdict_line(verdict: str, pattern: str | None) -> str:
    text = VERDICT_WORDS[verdict]
    return f"{text} ({pattern})" if pattern else text


def flip_sentence(f: dict[str, Any], name_constraint: bool = True) -> str:
    """One sensitivity entry (the JSON form) as a sentence: what flips the verdict, or not,
    and (unless a lead sentence already says it) the hard-constraint answer that holds it."""
    head = f"{f['label']} ({number(f['baseline'])} {f['unit']})"
    if f["flips"] and f["flip_value"] is not None:
        return f"{head}: at {number(f['flip_value'])} the verdict becomes {f['flip_to']}"
    text = (
        f"{head}: no flip between {number(f['low'])} and {number(f['high'])} "
        f"(swing {money(f['swing'])}/month)"
    )
    if name_constraint and f.get("fixed_by"):
        text += f"; fixed by {f['fixed_by']}"
    return text


def fixed_sentence(fixed_by: str | None) -> str | None:
    """The lead of "what would flip the verdict" when a hard constraint decides it."""
    if not fixed_by:
        return None
    return (
        f"No cost change flips this verdict: it is fixed by {fixed_by}, and only a different "
        "answer there would change it. The swings below are what each cost lever moves, "
        "not the verdict."
    )


def flip_sentences(data: dict[str, Any]) -> list[str]:
    """The whole "what would flip the verdict" list from the JSON form, lead first."""
    lead = fixed_sentence(data["recommendation"].get("fixed_by"))
    flips = [flip_sentence(f, name_constraint=lead is None) for f in data["sensitivity"]]
    return ([lead] if lead else []) + flips
