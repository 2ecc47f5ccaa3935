"""The break-even search is bounded (a grid and bisection, never a walk one request at a time)
and finds the smallest winning volume: checked against brute force over every volume below."""

from __future__ import annotations

import time
from typing import Any

import pytest

from advisor.core.catalog.load import default_catalog
from advisor.core.costs.breakeven import volume, wins_at
from advisor.core.costs.inputs import resolve
from conftest import decision, profile

CASES: list[dict[str, Any]] = [
    {  # small model, expensive API: breaks even at modest volume
        "workload": {"requests_per_day": 40, "input_tokens": 2000, "output_tokens": 800},
        "api": {"model": "claude-opus-4.5"},
        "self_host": {"model": "llama-3.1-8b", "ops_monthly_cost": 1500},
    },
    {  # ops steps every 2 GPUs make the cost climb in bigger stairs
        "workload": {"requests_per_day": 25, "input_tokens": 3000, "output_tokens": 1000},
        "api": {"model": "claude-opus-4.5"},
        "self_host": {"model": "llama-3.1-8b", "gpu": "a10g", "ops_monthly_cost": 800},
        "policy": {"gpus_per_ops_step": 2},
    },
    {  # a cheap API never loses within range
        "workload": {"requests_per_day": 30, "input_tokens": 1000, "output_tokens": 200},
        "api": {"model": "gemini-1.5-flash"},
    },
    {  # a given utilisation target sizes replicas instead of peak/headroom
        "workload": {"requests_per_day": 20, "input_tokens": 2000, "output_tokens": 800},
        "api": {"model": "claude-opus-4.5"},
        "self_host": {"model": "llama-3.1-8b", "utilization": 0.5, "ops_monthly_cost": 1000},
    },
]


@pytest.mark.parametrize("case", CASES, ids=["small", "ops-steps", "never", "utilization"])
def test_the_break_even_volume_is_the_smallest_that_wins(case: dict[str, Any]) -> None:
    inp = resolve(profile(**case), default_catalog())
    found = volume(inp)
    top = int(1000 * inp.requests_per_day)
    if found is None:
        step = max(1, top // 400)
        assert not any(wins_at(inp, float(v)) for v in range(1, top + 1, step))
        return
    assert wins_at(inp, float(found))
    assert not any(wins_at(inp, float(v)) for v in range(1, found)), "a smaller volume wins"


def test_break_even_exists_in_the_first_case() -> None:
    inp = resolve(profile(**CASES[0]), default_catalog())
    found = volume(inp)
    assert found is not None and 40 < found < 40_000


def test_fixed_replicas_are_ignored_by_the_search_with_a_note() -> None:
    case = {**CASES[0], "self_host": {**CASES[0]["self_host"], "replicas": 7}}
    d = decision(**case)
    free = decision(**CASES[0])
    assert d.economics.break_even.requests_per_day == free.economics.break_even.requests_per_day
    assert "fixed replicas ignored" in d.economics.break_even.note


@pytest.mark.parametrize("requests", [1e8, 1e10])
def test_huge_volumes_are_searched_in_bounded_work(requests: float) -> None:
    """10 billion requests a day used to walk the steps for minutes (issue 14)."""
    started = time.process_time()
    d = decision(workload={"requests_per_day": requests, "input_tokens": 4500})
    spent = time.process_time() - started
    assert d.break_even.requests_per_day is not None
    assert spent < 30  # a guard against a hang, far above what it takes (a benchmark times it)
