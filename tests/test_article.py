"""The article's worked numbers, reproduced by the cost model (reference/article.txt)."""

from __future__ import annotations

import pytest

from conftest import decision, profile

# The article's world: Claude 3.5 Sonnet, and no open model hosted by another provider to
# compare with (that comparator came later: tests/test_hosted_open.py).
SONNET = {"model": "claude-3.5-sonnet", "hosted_open": False}
ARTICLE_SELF_HOST = {
    "model": "llama-3.3-70b",
    "gpu": "a100-80gb",
    "gpus": 2,
    "replicas": 1,
    "gpu_hourly_price": 2.43,
    "throughput_tokens_per_s": 75,
}


def customer_service(**self_host: float) -> dict[str, object]:
    return {
        "workload": {"requests_per_day": 10_000, "input_tokens": 5_600, "output_tokens": 500},
        "api": SONNET,
        "self_host": {**ARTICLE_SELF_HOST, **self_host},
    }


def test_customer_service_request_costs_0_0243_and_7290_a_month() -> None:
    api = decision(**customer_service()).economics.api
    assert api.cost_per_request == pytest.approx(0.0243)
    assert api.monthly_cost == pytest.approx(7_290)


@pytest.mark.parametrize(
    ("name", "requests", "tokens_in", "tokens_out", "monthly"),
    [
        ("light 1,000/day x 5K tokens", 1_000, 4_500, 500, 630),
        ("medium 10,000/day x 6K tokens = the article's $7,200", 10_000, 5_500, 500, 7_200),
        ("heavy 100,000/day x 8K tokens", 100_000, 7_500, 500, 90_000),
    ],
)
def test_usage_scenarios_light_medium_heavy(
    name: str, requests: int, tokens_in: int, tokens_out: int, monthly: float
) -> None:
    d = decision(
        workload={
            "requests_per_day": requests,
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
        },
        api=SONNET,
    )
    assert d.economics.api.monthly_cost == pytest.approx(monthly), name


def test_self_hosted_70b_on_2xa100_is_3499_plus_1400_plus_4000_about_8900() -> None:
    s = decision(**customer_service()).economics.self_host
    assert s.gpus == 2 and s.replicas == 1
    assert s.hardware_monthly == pytest.approx(3_499.2)
    assert s.infra_monthly == pytest.approx(1_399.68)
    assert s.ops_monthly == pytest.approx(4_000)
    assert s.monthly_cost == pytest.approx(8_898.88)
    assert round(s.monthly_cost, -2) == 8_900


@pytest.mark.parametrize(
    ("tokens_per_s", "capacity_m", "cost_per_1k"),
    [(50, 129.6, 0.0687), (100, 259.2, 0.0343)],
)
def test_50_to_100_tokens_per_s_is_130_to_260_m_tokens_and_3_to_7_cents_per_1k(
    tokens_per_s: float, capacity_m: float, cost_per_1k: float
) -> None:
    s = decision(**customer_service(throughput_tokens_per_s=tokens_per_s)).economics.self_host
    assert s.capacity_tokens_per_month == pytest.approx(capacity_m * 1e6)
    assert s.cost_per_1k_tokens_full_load == pytest.approx(cost_per_1k, abs=5e-5)


def test_self_hosted_70b_costs_2_to_20x_more_per_token_than_sonnet() -> None:
    cheap = decision(**customer_service(throughput_tokens_per_s=100)).economics.self_host
    dear = decision(**customer_service(throughput_tokens_per_s=50)).economics.self_host
    sonnet_in, sonnet_out = 3.0 / 1000, 15.0 / 1000  # $ per 1K tokens
    assert cheap.cost_per_1k_tokens_full_load / sonnet_out == pytest.approx(2.29, abs=0.01)
    assert dear.cost_per_1k_tokens_full_load / sonnet_in == pytest.approx(22.9, abs=0.1)


def test_at_30_percent_utilisation_the_cost_per_token_triples() -> None:
    full = decision(**customer_service()).economics.self_host
    d = decision(**customer_service(utilization=0.30))
    trap = d.economics.self_host
    assert trap.utilization == 0.30
    assert trap.cost_per_1k_tokens / full.cost_per_1k_tokens_full_load == pytest.approx(1 / 0.3)
    assert d.rule("utilization-trap").fired


def test_the_articles_own_deployment_cannot_serve_its_load_and_says_so() -> None:
    d = decision(**customer_service())
    s = d.economics.self_host
    load = 10_000 * 6_100 * 30
    assert s.load_tokens_per_month == pytest.approx(load)
    assert s.shortfall is not None
    assert s.shortfall.tokens_per_month == pytest.approx(load - 194.4e6)
    api_per_token = 7_290 / load
    assert s.shortfall.api_cost == pytest.approx(s.shortfall.tokens_per_month * api_per_token)
    assert any("shortfall" in w for w in d.warnings)


def test_friction_1_5_self_hosting_wins_only_above_1_5x_its_cost() -> None:
    d = decision(**customer_service())
    be = d.economics.break_even
    assert be.self_host_compared == pytest.approx(
        1.5 * d.economics.self_host.monthly_cost + d.economics.self_host.shortfall.api_cost
    )
    assert be.self_host_wins is False
    assert d.recommendation.verdict == "api"


def test_70b_fp16_on_2xa100_leaves_almost_nothing_for_kv_cache_warning() -> None:
    d = decision(**customer_service())
    fit = d.economics.self_host.memory
    assert fit.weights_gb == pytest.approx(141.2)
    assert fit.usable_gb == pytest.approx(144.0)
    assert fit.room_gb == pytest.approx(2.8)
    assert fit.sequences == 1
    assert any("2.8 GB left for the KV cache" in w and "4 x a100-80gb" in w for w in d.warnings)


def test_under_5000_a_month_do_not_self_host() -> None:
    d = decision(
        workload={"requests_per_day": 1_000, "input_tokens": 4_500, "output_tokens": 500},
        api=SONNET,
        team={"ml_expertise": "strong"},
    )
    assert d.rule("spend-under-5k").fired
    assert d.recommendation.verdict == "api"


def test_the_self_hosted_rows_note_shows_how_its_friction_figure_is_made() -> None:
    """$19,864 is not 1.5 x $8,899: the note says the API overflow is added."""
    row = decision(**customer_service()).option("self_host")
    assert round(row.with_friction) == 19_864
    assert "with friction: $8,899 x 1.5 + $6,516 on the API = $19,864" in row.note


def test_a_catalog_price_older_than_the_limit_is_marked_stale_where_it_is_shown() -> None:
    from datetime import date

    from advisor.core.decision.decide import decide
    from advisor.core.fmt import dated

    d = decision(**customer_service())
    assert d.stale_after_days == 90
    assert dated(date(2026, 2, 1), date(2026, 3, 1), 90) == "2026-02-01"
    assert dated(date(2026, 2, 1), date(2026, 12, 1), 90) == "2026-02-01 (stale: 303 days old)"
    later = decide(profile(**customer_service()), today=date(2027, 3, 15))
    assert "as of 2026-11-30 (stale: 105 days old)" in later.option("api").note
