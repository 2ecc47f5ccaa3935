"""The outlook: a decision's horizon (month by month) and odds (seeded draws), added to the
Decision after the fact, so the TUI can show the figures first and the outlook when it is
ready. The recommendation's confidence then takes the odds into account, and says so."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.horizon import Horizon, project
from advisor.core.costs.uncertainty import Risk, simulate
from advisor.core.decision.growth import GrowthFlip, growth_flip
from advisor.core.decision.model import Decision, Recommendation
from advisor.core.decision.verdict import agreement, scored
from advisor.core.fmt import share

GROUP = {"api": "api", "self_host": "self_hosted", "hybrid": "hybrid"}
GROUP_WORDS = {"api": "an API route", "self_hosted": "self-hosting", "hybrid": "a hybrid"}


FROM_MARGIN = (
    "half from the cost margin over the cheapest option of another kind, half from how much "
    "of the rules' weight agrees (before the odds are worked out)"
)


def _with_odds(d: Decision, risk: Risk) -> Recommendation:
    r = d.recommendation
    group = GROUP[r.verdict]
    p = risk.p_group.get(group, 0.0)
    hard = r.decided_by not in ("weights", "cost")
    agree = agreement(d.rules, r.verdict, hard)
    score, label = scored(0.5 * p + 0.5 * agree, bool(r.conflicts))
    basis = (
        f"half from the odds: {GROUP_WORDS[group]} is cheapest (friction included) in "
        f"{share(p)} of {risk.draws:,} draws over the uncertain inputs; half from the rules: "
        + ("a hard constraint decides" if hard else f"{share(agree)} of their weight agrees")
    )
    return r._replace(confidence=label, confidence_score=score, confidence_basis=basis)


class Outlook(NamedTuple):
    """What the outlook adds to a decision (what a process that worked it out sends)."""

    horizon: Horizon
    risk: Risk
    growth: GrowthFlip
    recommendation: Recommendation  # its confidence from the odds

    @classmethod
    def of(cls, full: Decision) -> Outlook:
        assert full.horizon is not None and full.risk is not None and full.growth is not None
        return cls(full.horizon, full.risk, full.growth, full.recommendation)

    def added_to(self, d: Decision) -> Decision:
        return d._replace(
            horizon=self.horizon,
            risk=self.risk,
            growth=self.growth,
            recommendation=self.recommendation,
        )


def with_outlook(d: Decision, risk: Risk | None = None) -> Decision:
    """The decision with its horizon, odds and growth flip, and the confidence from the odds
    (`risk`: the odds, when they were worked out elsewhere)."""
    h = project(d.inputs, d.economics)
    risk = risk if risk is not None else simulate(d.inputs, d.economics)
    growth = growth_flip(d.inputs, d.economics, h.break_even_month)
    return Outlook(h, risk, growth, _with_odds(d, risk)).added_to(d)
