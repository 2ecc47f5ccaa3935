"""The decision's sentences that several faces show: the headline, the fallback reminder,
and "what would flip the verdict"."""

from __future__ import annotations

from advisor.core.decision.sensitivity import Flip
from advisor.core.fmt import VERDICT_WORDS, money, number

PATTERN_WORDS = {
    "complexity": "simple tasks on a small self-hosted model, the rest on the API",
    "volume": "baseline load self-hosted, peaks on the API",
    "sensitivity": "sensitive requests self-hosted, the rest on the API",
    "latency": "latency-critical requests on a local model, the rest on the API",
}
API_FALLBACK = "Keep an API fallback whatever runs in production."
LOCAL_FALLBACK = "Air-gapped: keep a second local deployment as the fallback."


def headline(verdict: str, pattern: str | None) -> str:
    """'Go hybrid by complexity (simple tasks on a small self-hosted model, ...)'."""
    text = VERDICT_WORDS[verdict]
    if pattern:
        text += f" by {pattern} ({PATTERN_WORDS[pattern]})"
    return text


def short_headline(verdict: str, pattern: str | None) -> str:
    """'Go hybrid by complexity': for one-line places (the live bar, a title)."""
    text = VERDICT_WORDS[verdict]
    return f"{text} by {pattern}" if pattern else text


def fallback(api_fallback: bool) -> str:
    return API_FALLBACK if api_fallback else LOCAL_FALLBACK


def flip_sentence(f: Flip, name_constraint: bool = True) -> str:
    """What flips the verdict, or not, and (unless a lead sentence already says it) the
    hard-constraint answer that holds it."""
    head = f"{f.label} ({number(f.baseline)} {f.unit})"
    if f.flips and f.flip_value is not None:
        return f"{head}: at {number(f.flip_value)} the verdict becomes {f.flip_to}"
    text = (
        f"{head}: no flip between {number(f.low)} and {number(f.high)} "
        f"(swing {money(f.swing)}/month)"
    )
    if name_constraint and f.fixed_by:
        text += f"; fixed by {f.fixed_by}"
    return text


def fixed_lead(fixed_by: str | None) -> str | None:
    """The lead of "what would flip the verdict" when a hard constraint decides it."""
    if not fixed_by:
        return None
    return (
        f"No cost change flips this verdict: it is fixed by {fixed_by}, and only a different "
        "answer there would change it. The swings below are what each cost lever moves, "
        "not the verdict."
    )


def flip_sentences(flips: tuple[Flip, ...], lead: str | None) -> list[str]:
    """The whole "what would flip the verdict" list, lead first."""
    sentences = [flip_sentence(f, name_constraint=lead is None) for f in flips]
    return ([lead] if lead else []) + sentences
