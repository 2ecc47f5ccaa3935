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


def flip_sentence(f: dict[str, Any]) -> str:
    """One sensitivity entry (the JSON form) as a sentence: what flips the verdict, or not."""
    head = f"{f['label']} ({number(f['baseline'])} {f['unit']})"
    if f["flips"] and f["flip_value"] is not None:
        return f"{head}: at {number(f['flip_value'])} the verdict becomes {f['flip_to']}"
    return (
        f"{head}: no flip between {number(f['low'])} and {number(f['high'])} "
        f"(swing {money(f['swing'])}/month)"
    )
