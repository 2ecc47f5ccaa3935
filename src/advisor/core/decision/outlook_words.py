"""The horizon and the odds in words and table rows, for every face (text, Markdown, TUI)."""

from __future__ import annotations

import math

from advisor.core.decision.model import Decision
from advisor.core.fmt import money, number, share
from advisor.core.marks import LABELS


def checkpoints(months: int) -> list[int]:
    """The months a table shows: the end of each year, and the last month."""
    marks = [m for m in range(11, months, 12)]
    if not marks or marks[-1] != months - 1:
        marks.append(months - 1)
    return marks


def month_words(m: int | None, months: int) -> str:
    return f"month {m + 1}" if m is not None else f"not within {months} months"


def horizon_table(decision: Decision) -> tuple[list[str], list[list[str]]]:
    """(header, rows): each option's cumulative cost at the end of each year."""
    h = decision.horizon
    if h is None:
        return [], []
    marks = checkpoints(h.months)
    header = ["Option", *(f"to month {m + 1}" for m in marks)]
    rows = [
        [LABELS[k], *(money(h.cumulative[k][m]) for m in marks)]
        for k in LABELS
        if k in h.cumulative
    ]
    return header, rows


def horizon_lines(decision: Decision) -> list[str]:
    h, d = decision.horizon, decision
    if h is None:
        return ["The horizon is still being worked out."]
    first, last = h.monthly[0], h.monthly[-1]
    lines = [
        f"Over {h.months} months, volume {h.growth:+.0%} a year "
        f"({first.requests_per_day:,.0f} to {last.requests_per_day:,.0f} requests/day) and API "
        f"prices {h.api_change:+.0%} a year; self-hosting is re-sized each month on today's "
        f"configuration and pays a one-off migration of {money(h.migration_cost)}.",
        f"Self-hosting's cumulative cost falls below the API's in "
        f"{month_words(h.break_even_month, h.months)}.",
    ]
    if "hosted_open" in h.cumulative:
        lines.append(
            "Against the same open model hosted: "
            f"{month_words(h.break_even_month_hosted, h.months)}."
        )
    s = d.self_host
    if s.commitment_months:
        lines.append(
            f"Today's deployment is {s.purchase.replace('_', ' ')}: "
            f"{s.commitment_months} months, {money(s.commitment_total)} committed."
        )
    if h.commitment:
        lines.append(h.commitment[0].upper() + h.commitment[1:] + ".")
    if d.growth is not None:
        lines.append(d.growth.sentence[0].upper() + d.growth.sentence[1:] + ".")
    return lines


def risk_table(decision: Decision) -> tuple[list[str], list[list[str]]]:
    """(header, rows): each option's P10, P50, P90 a month and its odds of being cheapest."""
    r = decision.risk
    if r is None:
        return [], []
    header = ["Option", "P10", "P50", "P90", "Cheapest"]
    rows = [
        [LABELS[k], *(money(x) for x in r.quantiles[k]), share(r.p_cheapest.get(k, 0.0))]
        for k in LABELS
        if k in r.quantiles
    ]
    return header, rows


def _figure(x: float) -> str:
    """3 significant figures in words: 70,000; 9,380; 1.56; 0.85."""
    if x == 0:
        return "0"
    digits = max(0, 2 - math.floor(math.log10(abs(x))))
    return number(round(x, digits))


def risk_lines(decision: Decision) -> list[str]:
    r = decision.risk
    if r is None:
        return ["The odds are still being worked out."]
    spans = "; ".join(
        f"{x.key.replace('_', ' ')} {_figure(x.low)} to {_figure(x.high)}"
        f"{' ' + x.unit if x.unit else ''} ({x.why})"
        for x in r.ranges
    )
    return [
        f"{r.draws:,} draws (seed {r.seed}) over: {spans}.",
        "Cheapest: the share of draws in which the option costs least with friction; each "
        "option keeps today's configuration, re-sized for each draw.",
        f"Confidence {decision.recommendation.confidence} "
        f"({decision.recommendation.confidence_score:.2f}): "
        f"{decision.recommendation.confidence_basis}.",
    ]
