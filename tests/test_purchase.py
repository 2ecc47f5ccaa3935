"""Rent, reserve or own (DESIGN.md §6 "Scaling, redundancy, purchase"): each way of buying GPU
time checked against its arithmetic written out here from the catalog's figures."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.core.catalog.load import default_catalog
from advisor.core.decision.deployment_words import deployment_sentences
from advisor.core.decision.serialize import to_dict
from advisor.core.errors import InputError
from conftest import decision

CATALOG = default_catalog()
H100 = CATALOG.gpus["h100-80gb"]
PINNED: dict[str, Any] = {
    "workload": {"requests_per_day": 100_000, "input_tokens": 2_000, "output_tokens": 400},
    "api": {"model": "claude-sonnet-4.6"},
    "self_host": {"gpu": "h100-80gb", "gpus": 2, "precision": "fp8", "scaling": "fixed"},
}


def with_purchase(purchase: str, **self_host: Any) -> Any:
    return decision(
        **{**PINNED, "self_host": {**PINNED["self_host"], "purchase": purchase, **self_host}}
    )


def test_owned_hardware_is_price_over_amortisation_plus_power_plus_overhead_to_the_cent() -> None:
    d = with_purchase("owned")
    s = d.self_host
    assert s.purchase == "owned" and s.sizing == "peak"
    hours = 24 * 30
    per_gpu = 33_750.0 / 36 + 1.275 * 1.3 * 0.10 * hours  # $/month: capital + power
    assert s.hardware_monthly == pytest.approx(s.gpus * per_gpu, abs=0.005)
    assert s.infra_monthly == pytest.approx(0.40 * s.gpus * per_gpu, abs=0.005)
    assert s.monthly_cost == pytest.approx(s.gpus * per_gpu * 1.4 + s.ops_monthly, abs=0.005)
    assert s.commitment_months == 36 and s.commitment_total == pytest.approx(s.gpus * 33_750.0)
    said = " ".join(deployment_sentences(d))
    assert f"Owned: {s.gpus} GPUs bought for ${s.gpus * 33_750:,.0f} up front" in said
    assert "over 36 months" in d.option("self_host").note


def test_owned_with_figures_of_ones_own() -> None:
    d = with_purchase(
        "owned",
        gpu_purchase_price=25_000.0,
        amortisation_months=48,
        power_kw_per_gpu=1.0,
        electricity_per_kwh=0.2,
        pue=1.5,
    )
    s = d.self_host
    per_gpu = 25_000.0 / 48 + 1.0 * 1.5 * 0.2 * 720
    assert s.hardware_monthly == pytest.approx(s.gpus * per_gpu, abs=0.005)


@pytest.mark.parametrize(
    ("purchase", "factor", "months"),
    [
        ("on_demand", 1.0, 0),
        ("reserved_1y", 1 - 0.40, 12),  # Lambda: no offer of its own, the 40% default
        ("reserved_3y", 1 - 0.46, 36),
        ("spot", 0.7 * 0.4 + 0.3, 0),  # 60% off for 70% of hours, on demand for 30%
    ],
)
def test_rented_ways_are_a_share_of_the_on_demand_price(
    purchase: str, factor: float, months: int
) -> None:
    s = with_purchase(purchase).self_host
    assert s.gpu_hourly_price == pytest.approx(H100.hourly_price * factor)
    gpu_hours = s.replica_hours_per_day * 30 * s.gpus_per_replica
    assert s.hardware_monthly == pytest.approx(gpu_hours * H100.hourly_price * factor)
    assert s.commitment_months == months
    assert s.commitment_total == pytest.approx(s.hardware_monthly * months)


def test_a_providers_own_discount_applies_to_its_gpus() -> None:
    """The L4's price is GCP's, and GCP's 1-year commitment is 28% off, not the 40% default."""
    d = decision(
        workload={"requests_per_day": 1_000, "input_tokens": 500, "output_tokens": 100},
        self_host={"model": "llama-3.1-8b", "gpu": "l4", "purchase": "reserved_1y"},
    )
    assert d.self_host.gpu_hourly_price == pytest.approx(CATALOG.gpus["l4"].hourly_price * 0.72)


def test_the_search_compares_ways_of_buying_and_says_what_a_commitment_locks_in() -> None:
    free = decision(**{**PINNED, "self_host": {"gpu": "h100-80gb", "gpus": 2, "precision": "fp8"}})
    ways = {
        p: with_purchase(p, scaling="fixed").self_host.monthly_cost
        for p in ("on_demand", "reserved_1y", "reserved_3y", "owned")
    }
    assert free.self_host.monthly_cost <= min(ways.values()) + 1e-6
    data = to_dict(free)["self_host"]
    assert data["purchase"] == free.self_host.purchase
    assert free.self_host.commitment_months > 0  # at this volume a commitment pays
    assert data["commitment_total"] > 0 and data["commitment_months"] > 0
    assert "months" in " ".join(deployment_sentences(free))


def test_reserved_or_owned_cannot_autoscale() -> None:
    with pytest.raises(InputError, match="cannot autoscale"):
        with_purchase("owned", scaling="autoscale")


def test_your_own_gpu_price_is_what_you_pay_unless_you_say_how_you_buy() -> None:
    d = decision(**{**PINNED, "self_host": {**PINNED["self_host"], "gpu_hourly_price": 2.0}})
    assert d.self_host.purchase == "on_demand" and d.self_host.gpu_hourly_price == 2.0


def test_an_air_gapped_site_owns_its_hardware() -> None:
    d = decision(workload={"requests_per_day": 2_000}, data={"air_gapped": True})
    assert d.self_host.purchase == "owned"


def test_what_flips_includes_the_way_of_buying() -> None:
    d = decision(**PINNED)
    assert any(c.lever == "purchase" for c in d.choices)


@pytest.mark.parametrize("peak_to_average", [1.0, 1.7, 4.0, 12.0, 15.0, 23.9])
def test_autoscaling_pays_for_the_busiest_hour_of_the_day_and_no_busier(
    peak_to_average: float,
) -> None:
    # Past 12x the mean no hour is all peak (the peak hours are fewer than one): autoscaling
    # once paid for a peak-to-average hour that never occurs (138 replicas at 15x, for 112).
    from advisor.core.costs.deployment import levels, two_level_day

    workload = {"requests_per_day": 2_000_000, "input_tokens": 1500, "output_tokens": 500}
    self_host = {"scaling": "autoscale", "gpu": "h200", "gpus": 1, "precision": "fp8"}
    d = decision(
        workload=workload, traffic={"peak_to_average": peak_to_average}, self_host=self_host
    )
    day = two_level_day(d.inputs.peak_to_average)
    assert dict(levels(d.inputs)) == {level: day.count(level) for level in set(day)}
    # The same day given hour by hour (as import-usage writes it) is sized the same.
    measured = decision(
        workload=workload,
        traffic={"peak_to_average": peak_to_average, "hourly_load": list(day)},
        self_host=self_host,
    )
    assert d.self_host.replicas == measured.self_host.replicas
    assert d.self_host.replica_hours_per_day == pytest.approx(
        measured.self_host.replica_hours_per_day
    )
