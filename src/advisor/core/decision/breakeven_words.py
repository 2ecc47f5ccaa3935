"""The break-even in sentences, against the closed model and against the same open model
hosted (where it may be used): what the text and Markdown reports and the TUI's chart say."""

from __future__ import annotations

from advisor.core.costs.breakeven import SEARCH_MULTIPLE
from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.fmt import money, number

NOT_FOUND = f"none within {SEARCH_MULTIPLE:,.0f}x today's volume"


def hosted_line(inp: Inputs, e: Economics) -> str | None:
    """Self-hosting against the same model hosted, where that may be used, in one sentence."""
    hosted = e.hosted if e.hosted is not None and e.hosted.excluded is None else None
    if hosted is None:
        return None
    be = e.break_even
    wins = hosted.cost.monthly_cost > be.self_host_compared
    found = be.hosted_requests_per_day
    volume = f"at {found:,} requests/day" if found else NOT_FOUND
    return (
        f"Against the same model hosted by {hosted.provider} "
        f"({money(hosted.cost.monthly_cost)}/month): self-hosting "
        f"{'wins' if wins else 'does not win'} today; break-even {volume}."
    )


def break_even_lines(inp: Inputs, e: Economics) -> tuple[str, ...]:
    """Against the closed model (the article's question), then against the open model hosted."""
    be, friction = e.break_even, inp.policy.friction_multiplier
    wins = "wins" if be.self_host_wins else "does not win"
    lines = [
        f"Self-hosting wins when the API bill exceeds {number(friction)} x the self-hosted "
        "cost: on "
        f"{inp.api.name}, today {money(be.api_monthly)} against "
        f"{money(be.self_host_compared)}, so self-hosting {wins}."
    ]
    if be.requests_per_day:
        lines.append(
            f"Break-even volume against {inp.api.name}: {be.requests_per_day:,} requests/day "
            f"(API bill {money(be.api_monthly_at_break_even)}/month); today "
            f"{inp.requests_per_day:,.0f}."
        )
    else:
        lines.append(f"Break-even volume against {inp.api.name}: {NOT_FOUND}.")
    hosted = hosted_line(inp, e)
    return (*lines, hosted) if hosted else tuple(lines)
