"""Numbers and values in words, the one formatter of every face (TUI, text, Markdown, memo)
and of the core's own sentences: money as $7,290, shares as 30%, counts grouped as
2,000,000, yes/no for true/false. Never exponent notation, never a raw True."""

from __future__ import annotations

import math
from datetime import date

VERDICT_WORDS = {"api": "Stay on the API", "self_host": "Self-host", "hybrid": "Go hybrid"}
VERDICT_MARKS = {"api": "[API]", "self_host": "[SELF-HOST]", "hybrid": "[HYBRID]"}
VERDICT_NOUNS = {"api": "the API", "self_host": "self-hosting", "hybrid": "a hybrid"}


def verdict_noun(verdict: str | None) -> str:
    """'the API', 'self-hosting', 'a hybrid': a verdict inside a sentence."""
    return VERDICT_NOUNS.get(verdict or "", verdict or "none")


def effect(kind: str, toward: str | None, weight: float) -> str:
    """A rule's effect in words, the same in every face: 'toward the API, weight 2.94',
    'requires self-hosting', 'warning', 'note'."""
    if kind == "hard":
        return f"requires {verdict_noun(toward)}" if toward else "requires"
    if kind == "weight":
        text = f"toward {verdict_noun(toward)}" if toward else "weighs"
        return text + (f", weight {number(weight)}" if weight else "")
    return {"info": "note"}.get(kind, kind)


def money(x: float | None) -> str:
    """$7,290; -$120; n/a for None; $0 for -0.4."""
    if x is None or not math.isfinite(x):
        return "n/a"
    rounded = round(x)
    return f"-${-rounded:,.0f}" if rounded < 0 else f"${rounded:,.0f}"


def money_fine(x: float | None, digits: int = 4) -> str:
    """$0.0243 (per request, per 1K tokens, per GPU-hour)."""
    if x is None or not math.isfinite(x):
        return "n/a"
    return f"${x:,.{digits}f}"


def price(x: float | None) -> str:
    """A price per million tokens, to the cent and never rounded away: $3.00, $0.40, $0.135,
    $0.075, $0.0188."""
    if x is None or not math.isfinite(x):
        return "n/a"
    for digits in (2, 3, 4):
        if abs(round(x, digits) - x) < 1e-9 or digits == 4:
            return f"${x:,.{digits}f}"
    raise AssertionError("unreachable")


def share(x: float | None) -> str:
    """0.3 -> 30%; 0.005 -> 0.5%; None -> n/a."""
    if x is None or not math.isfinite(x):
        return "n/a"
    percent = 100 * x
    if percent != 0 and abs(percent) < 1:
        return f"{percent:.1f}%"
    return f"{percent:.0f}%"


def number(x: float) -> str:
    """A figure in words: 2,000,000; 1,234; 2.43; 0.075 (never 2e+06)."""
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    if x == 0:
        return "0"
    digits = max(2, 2 - math.floor(math.log10(abs(x))) + 1)
    return f"{x:.{digits}f}".rstrip("0").rstrip(".")


def tokens(x: float) -> str:
    """12.4 M, 3.10 B, 940."""
    if x >= 1e9:
        return f"{x / 1e9:,.2f} B"
    if x >= 1e6:
        return f"{x / 1e6:,.1f} M"
    return f"{x:,.0f}"


def value(x: object) -> str:
    """Any answer as a person reads it: yes/no, grouped numbers, text as is."""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int | float):
        return number(float(x))
    if x is None:
        return "-"
    if isinstance(x, list | tuple):
        return ", ".join(value(item) for item in x)
    return str(x)


def dated(as_of: date, today: date, stale_after_days: int | None) -> str:
    """An as-of date, marked stale (with its age) when older than the catalog's limit."""
    age = (today - as_of).days
    stale = stale_after_days is not None and age > stale_after_days
    return f"{as_of.isoformat()} (stale: {age} days old)" if stale else as_of.isoformat()


def plural(n: int, word: str, words: str | None = None) -> str:
    """1 replica, 2 replicas."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
