"""The decision memo in Markdown: what a facilitator pastes into a document."""

from __future__ import annotations

from advisor.core.decision.assumption_words import origin_words
from advisor.core.decision.deployment_words import candidate_rows, deployment_sentences
from advisor.core.decision.model import Decision
from advisor.core.decision.outlook_words import (
    horizon_lines,
    horizon_table,
    risk_lines,
    risk_table,
)
from advisor.core.decision.words import flip_sentences
from advisor.core.fmt import effect as fmt_effect
from advisor.core.fmt import money, money_fine, number, share
from advisor.core.marks import COST_LEGEND, option_mark


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    if not header:
        return []
    out = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return out + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def _outlook(decision: Decision) -> list[str]:
    h = decision.horizon
    months = h.months if h is not None else decision.inputs.horizon.months
    out = ["", f"## Over {months} months (cumulative cost)", ""]
    out += [*_table(*horizon_table(decision)), ""]
    out += [f"- {line}" for line in horizon_lines(decision)]
    out += ["", "## The odds (monthly cost)", ""]
    out += [*_table(*risk_table(decision)), ""]
    out += [f"- {line}" for line in risk_lines(decision)]
    return out


def render(decision: Decision) -> str:
    v, e, inp = decision.recommendation, decision.economics, decision.inputs
    out: list[str] = [f"# {decision.profile_name}: API, self-host or hybrid?", ""]
    out.append(
        f"*Decision memo by advisor {decision.advisor_version}, {decision.today.isoformat()}.*"
    )
    out.append("")
    if decision.notes.strip():
        out += ["## Context", "", decision.notes.strip(), ""]
    out += [
        "## Recommendation",
        "",
        f"**{v.mark} {v.headline}.** Confidence: {v.confidence} ({v.confidence_score:.2f}).",
        "",
        v.summary,
        "",
        v.fallback,
        "",
    ]
    if v.reasons:
        out += ["### Why", ""] + [f"- {r}" for r in v.reasons] + [""]
    if v.caveats:
        out += ["### Caveats", ""] + [f"- {c}" for c in v.caveats] + [""]
    out += [
        "## Cost comparison (per month)",
        "",
        f"Friction multiplier {number(inp.policy.friction_multiplier)} applies to self-hosted "
        "parts in the *with friction* column.",
        "",
        "| | Option | Monthly | With friction | Per request | Per 1K tokens | GPUs | Utilisation |",
        "|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for o in decision.options:
        name = f"**{o.label}**" if o.chosen else o.label
        util = share(o.utilization) if o.deployment else "-"
        mark = _cell(option_mark(o.chosen, o.applicable))
        out.append(
            f"| {mark} | {name} | {money(o.monthly_cost)} | {money(o.with_friction)} | "
            f"{money_fine(o.per_request)} | {money_fine(o.per_1k_tokens)} | {o.gpus} | {util} |"
        )
    out += ["", f"*{COST_LEGEND}*", "", "Where the figures come from:", ""]
    out += [f"- **{o.label}**: {_cell(o.note)}" for o in decision.options]
    out += ["", "## Deployment (what self-hosting would run)", ""]
    out += [" ".join(deployment_sentences(decision)), ""]
    out += [
        "| | Configuration | Sizing | Copies | Monthly | Why not |",
        "|---|---|---|---:|---:|---|",
    ]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in candidate_rows(decision)]
    be = e.break_even
    out += [
        "",
        "## Break-even",
        "",
    ]
    out += list(decision.break_even_lines)
    out += ["", f"Note: {be.note}."]
    out += _outlook(decision)
    out += ["", "## What would flip the verdict", ""]
    lines = flip_sentences(
        decision.sensitivity,
        decision.flip_lead,
        decision.choices,
        decision.growth.sentence if decision.growth else None,
    )
    out += [f"- {line.removesuffix('.')}." for line in lines]
    out += ["", "## Next steps", ""] + [f"1. {s}" for s in v.next_steps]
    out += [
        "",
        "## Rules",
        "",
        "| Rule | Fired | Effect | Explanation | Article section |",
        "|---|---|---|---|---|",
    ]
    for r in decision.rules:
        effect = fmt_effect(r.effect.kind, r.effect.toward, r.effect.weight)
        out.append(
            f"| `{r.id}` | {'yes' if r.fired else 'no'} | {effect} | "
            f"{_cell(r.explanation)} | {r.source} |"
        )
    if decision.warnings:
        out += ["", "## Warnings", ""] + [f"- {w}" for w in decision.warnings]
    out += [
        "",
        "## Assumptions",
        "",
        "| Input | Value | From | Source | As of |",
        "|---|---|---|---|---|",
    ]
    for a in decision.assumptions:
        out.append(
            f"| {_cell(a.label)} | {_cell(a.shown)} | {origin_words(a.origin)} | "
            f"{_cell(a.source or '')} | {a.as_of.isoformat() if a.as_of else ''} |"
        )
    out += [
        "",
        f"Per-token figures: API {money_fine(e.api.cost_per_1k_tokens)} per 1K tokens; "
        f"self-hosted {money_fine(e.self_host.cost_per_1k_tokens)} at "
        f"{share(e.self_host.utilization)} utilisation.",
        "",
    ]
    return "\n".join(out)
