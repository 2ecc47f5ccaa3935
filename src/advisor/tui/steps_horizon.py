"""The questionnaire's horizon step: how long a commitment is weighed over, how fast volume
grows and how API prices move (DESIGN.md §6 "Horizon and uncertainty")."""

from __future__ import annotations

from advisor.tui.questions import Question, Step

Q = Question

HORIZON = Step(
    "Over the years",
    "A commitment is signed for years: volume grows and API prices fall meanwhile.",
    (
        Q(
            "horizon",
            "months",
            "Months to weigh it over",
            "A CFO signs a three-year commitment, not one month's bill.",
            "integer",
            "months",
        ),
        Q(
            "horizon",
            "volume_growth_per_year",
            "Volume growth a year",
            "For products in growth phase, volume can double in a year (100%).",
            "share",
            "% a year",
        ),
        Q(
            "horizon",
            "api_price_change_per_year",
            "API price change a year",
            "API costs have fallen faster than most people realise (-50%: halve).",
            "share",
            "% a year",
        ),
    ),
)
