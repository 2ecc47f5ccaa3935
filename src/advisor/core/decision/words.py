"""The decision's sentences that several faces show: the headline, the fallback reminder,
and "what would flip the verdict"."""

from __future__ import annotations

from advisor.core.costs.purchase import WORDS as PURCHASE_WORDS
from advisor.core.decision.choices import ChoiceFlip
from advisor.core.decision.sensitivity import Flip
from advisor.core.fmt import VERDICT_WORDS, money, number, verdict_noun

PATTERN_WORDS = {
    "complexity": "simple tasks on a small self-hosted model, the rest on the API",
    "volume": "the baseline self-hosted, peaks on the API",
    "sensitivity": "sensitive requests self-hosted, the rest on the API",
    "latency": "latency-critical requests on a local model, the rest on the API",
}
API_FALLBACK = "Keep an API fallback whatever runs in production."


def hosted_words(model: str, provider: str) -> str:
    """'a hosted Llama 3.3 70B Instruct (Groq)'."""
    return f"a hosted {model} ({provider})"


def headline(
    verdict: str,
    pattern: str | None,
    hosted: str | None = None,
    conditions: tuple[str, ...] = (),
) -> str:
    """'Go hybrid by complexity (simple tasks on a small self-hosted model, ...)'; with
    `hosted` (the API route is the same open model, hosted), says that one runs it for less;
    with `conditions`, says what must hold: 'Stay on the API, if a provider serves it ...'."""
    text = _headline(verdict, pattern, hosted)
    return text + "".join(f", if {c}" for c in conditions)


def _headline(verdict: str, pattern: str | None, hosted: str | None) -> str:
    if verdict == "api" and hosted:
        return f"Use {hosted}: it does what self-hosting would, for less"
    text = VERDICT_WORDS[verdict]
    if pattern == "volume":  # the self-hosted group's own way: the same stack, peaks outside
        return f"{text}, peaks on the API ({PATTERN_WORDS[pattern]})"
    if pattern:
        text += f" by {pattern} ({PATTERN_WORDS[pattern]})"
    return text


def short_headline(verdict: str, pattern: str | None, hosted: str | None = None) -> str:
    """'Go hybrid by complexity': for one-line places (the live bar, a title)."""
    if verdict == "api" and hosted:
        return "Use the open model, hosted"
    text = VERDICT_WORDS[verdict]
    if pattern == "volume":
        return f"{text}, peaks on the API"
    return f"{text} by {pattern}" if pattern else text


def fallback(api_fallback: bool, reason: str | None = None) -> str:
    """The fallback reminder every face shows under the verdict."""
    if api_fallback:
        return API_FALLBACK
    return (
        f"No API fallback ({reason}): keep a spare replica on site (N+1, priced in) as the "
        "fallback instead."
    )


def flip_sentence(f: Flip, name_constraint: bool = True) -> str:
    """What flips the verdict, or not, and (unless a lead sentence already says it) the
    hard-constraint answer that holds it."""
    head = f"{f.label} ({number(f.baseline)} {f.unit})"
    if f.flips and f.flip_value is not None:
        return f"{head}: at {number(f.flip_value)} the verdict becomes {verdict_noun(f.flip_to)}"
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


def choice_sentence(c: ChoiceFlip) -> str:
    """'GPU type (h200, as searched): on a100-80gb the verdict becomes api (...)'."""
    how = "as you pinned it" if c.pinned else "as searched"
    current = PURCHASE_WORDS.get(c.current, c.current) if c.lever == "purchase" else c.current
    head = f"{c.label} ({current}, {how})"
    if c.flips and c.alternative is not None:
        on = {
            "gpu": f"on {c.alternative}",
            "precision": f"at {c.alternative}",
            "gpus_per_replica": f"with {c.alternative} GPUs per replica",
            "scaling": "autoscaled" if c.alternative == "autoscale" else "fixed for the peak",
            "purchase": f"bought {PURCHASE_WORDS.get(c.alternative, c.alternative)}",
        }[c.lever]
        return f"{head}: {on} the verdict becomes {verdict_noun(c.flip_to)} ({c.deployment})"
    return f"{head}: no other value flips the verdict"


def flip_sentences(
    flips: tuple[Flip, ...],
    lead: str | None,
    choices: tuple[ChoiceFlip, ...] = (),
    growth: str | None = None,
) -> list[str]:
    """The whole "what would flip the verdict" list, lead first, the deployment levers and
    growth (which moves the horizon's answer, not the month's) last."""
    sentences = [flip_sentence(f, name_constraint=lead is None) for f in flips]
    if lead is None:
        sentences += [choice_sentence(c) for c in choices]
    if growth:
        sentences.append(growth)
    return ([lead] if lead else []) + sentences
