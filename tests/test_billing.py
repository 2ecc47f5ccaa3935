"""The API as it is billed (DESIGN.md §6): prompt-cache reads, batch discounts and long-context
tiers, each checked against the formula written out here from the catalog's own figures."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.core.catalog.load import default_catalog
from conftest import decision

CATALOG = default_catalog()


def by_formula(
    model: str, tokens_in: float, tokens_out: float, cached: float, batch: float
) -> float:
    """One request's bill, from the catalog entry alone: the tier whose threshold the input
    passes prices every token; cached input at the cache price (the input price without one);
    the batch share of requests at the batch discount."""
    m = CATALOG.api_models[model]
    price_in, price_out, price_cached = m.input_per_mtok, m.output_per_mtok, m.cached_input_per_mtok
    for tier in sorted(m.tiers, key=lambda t: t.above_input_tokens):
        if tokens_in > tier.above_input_tokens:
            price_in, price_out = tier.input_per_mtok, tier.output_per_mtok
            price_cached = tier.cached_input_per_mtok
    if price_cached is None:
        price_cached = price_in
    read = tokens_in * cached
    standard = ((tokens_in - read) * price_in + read * price_cached + tokens_out * price_out) / 1e6
    return standard * (1 - batch * (m.batch_discount or 0.0))


def billed(model: str, tokens_in: int, tokens_out: int, cached: float, batch: float) -> Any:
    return decision(
        workload={"requests_per_day": 1000, "input_tokens": tokens_in, "output_tokens": tokens_out},
        api={"model": model, "cached_input_share": cached, "batch_share": batch},
    )


@pytest.mark.parametrize(
    ("model", "tokens_in", "tokens_out", "cached", "batch"),
    [
        ("claude-sonnet-4.6", 7_500, 500, 0.8, 0.0),
        ("claude-sonnet-4.6", 7_500, 500, 0.8, 0.5),
        ("claude-sonnet-4.6", 7_500, 500, 0.0, 1.0),
        ("gpt-4o", 1_200, 300, 0.5, 0.3),
        ("gpt-4o-mini", 3_000, 700, 0.9, 0.0),
        ("claude-haiku-5.5", 100_000, 1_000, 0.2, 0.5),  # at the threshold: the base price
        ("claude-haiku-5.5", 100_001, 1_000, 0.2, 0.5),  # above it: the tier, for every token
        ("gemini-1.5-pro", 129_000, 1_000, 0.0, 0.0),
        ("claude-3.5-sonnet", 5_600, 500, 0.5, 0.5),  # retired: its last terms
    ],
)
def test_a_request_costs_what_the_formula_says_to_the_cent(
    model: str, tokens_in: int, tokens_out: int, cached: float, batch: float
) -> None:
    d = billed(model, tokens_in, tokens_out, cached, batch)
    expected = by_formula(model, tokens_in, tokens_out, cached, batch)
    assert d.api.cost_per_request == pytest.approx(expected, rel=1e-12)
    assert d.api.monthly_cost == pytest.approx(expected * 1000 * 30, abs=0.005)  # to the cent


def test_the_tier_is_a_cliff_not_a_margin() -> None:
    below = billed("claude-haiku-5.5", 100_000, 1_000, 0.0, 0.0).api.cost_per_request
    above = billed("claude-haiku-5.5", 100_001, 1_000, 0.0, 0.0).api.cost_per_request
    tier = CATALOG.api_models["claude-haiku-5.5"].tiers[0]
    assert above == pytest.approx(
        (100_001 * tier.input_per_mtok + 1_000 * tier.output_per_mtok) / 1e6
    )
    assert above > below * 1.5  # every token repriced, not only those past the threshold


def test_heavy_with_6000_of_7500_tokens_cached_costs_41400_not_90000() -> None:
    """The issue's own figures: Sonnet, 100,000 requests a day, 6,000 of 7,500 input cached."""
    d = decision(
        workload={"requests_per_day": 100_000, "input_tokens": 7_500, "output_tokens": 500},
        api={"model": "claude-sonnet-4.6", "cached_input_share": 0.8},
    )
    assert d.api.monthly_cost == pytest.approx(41_400)
    note = d.option("api").note
    assert "6,000 cached x $0.30" in note and "1,500 x $3.00" in note


def test_half_the_requests_by_batch_at_half_price_take_a_quarter_off() -> None:
    d = decision(
        workload={"requests_per_day": 100_000, "input_tokens": 7_500, "output_tokens": 500},
        api={"model": "claude-sonnet-4.6", "batch_share": 0.5},
    )
    assert d.api.monthly_cost == pytest.approx(67_500)
    assert "50% by batch at 50% off" in d.option("api").note


def test_a_model_without_a_batch_api_gives_no_discount_and_says_so() -> None:
    entry = next(k for k, m in CATALOG.api_models.items() if m.batch_discount is None)
    plain = billed(entry, 2_000, 200, 0.0, 0.0)
    batched = billed(entry, 2_000, 200, 0.0, 0.5)
    assert batched.api.cost_per_request == plain.api.cost_per_request
    assert "no batch API, so no discount" in batched.option("api").note


def test_your_own_prices_keep_the_cache_price_in_proportion() -> None:
    d = decision(
        workload={"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 100},
        api={
            "model": "claude-sonnet-4.6",
            "input_price_per_mtok": 2.0,
            "output_price_per_mtok": 10.0,
            "cached_input_share": 0.5,
        },
    )
    # Sonnet's cache reads are a tenth of its input price: a tenth of $2.00 is $0.20.
    assert d.api.cost_per_request == pytest.approx((500 * 2.0 + 500 * 0.2 + 100 * 10.0) / 1e6)
    assert "your prices" in d.option("api").note
