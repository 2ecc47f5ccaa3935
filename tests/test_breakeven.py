"""The break-even search walks the step costs: checked against brute force."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.core.catalog.load import default_catalog
from advisor.core.costs.breakeven import search
from advisor.core.costs.deployment import deploy
from advisor.core.costs.inputs import Inputs, resolve
from conftest import profile

CASES: list[dict[str, Any]] = [
    {  # small model, cheap GPU, expensive API: breaks even at modest volume
        "workload": {"requests_per_day": 40, "input_tokens": 2000, "output_tokens": 800},
        "api": {"model": "claude-opus-4.5"},
        "self_host": {
            "model": "llama-3.1-8b",
            "gpu": "l4",
            "precision": "fp8",
            "ops_monthly_cost": 1500,
        },
    },
    {  # ops steps every 2 GPUs make the cost climb in bigger stairs
        "workload": {"requests_per_day": 25, "input_tokens": 3000, "output_tokens": 1000},
        "api": {"model": "claude-opus-4.5"},
        "self_host": {
            "model": "llama-3.1-8b",
            "gpu": "a10g",
            "precision": "fp16",
            "ops_monthly_cost": 800,
        },
        "policy": {"gpus_per_ops_step": 2},
    },
    {  # a cheap API never loses within range
        "workload": {"requests_per_day": 30, "input_tokens": 1000, "output_tokens": 200},
        "api": {"model": "gemini-1.5-flash"},
    },
    {  # a given utilisation target sizes replicas instead of peak/headroom
        "workload": {"requests_per_day": 20, "input_tokens": 2000, "output_tokens": 800},
        "api": {"model": "claude-opus-4.5"},
        "self_host": {
            "model": "llama-3.1-8b",
            "gpu": "l4",
            "precision": "fp8",
            "utilization": 0.5,
            "ops_monthly_cost": 1000,
        },
    },
]


def brute_force(inp: Inputs) -> int | None:
    """Every whole requests/day up to 1000x today, priced from scratch."""
    main = inp.main._replace(replicas=None)
    friction = inp.policy.friction_multiplier
    per_request = inp.input_tokens * inp.api_in_price + inp.output_tokens * inp.api_out_price
    for r in range(1, int(1000 * inp.requests_per_day) + 1):
        what_if = inp._replace(requests_per_day=float(r), main=main)
        api = r * inp.days * per_request / 1e6
        if api > friction * deploy(main, what_if).monthly_cost:
            return r
    return None


@pytest.mark.parametrize("case", CASES, ids=["l4", "ops-steps", "never", "utilization"])
def test_search_matches_brute_force(case: dict[str, Any]) -> None:
    inp = resolve(profile(**case), default_catalog())
    assert search(inp, deploy(inp.main, inp)) == brute_force(inp)


def test_break_even_exists_in_the_first_case() -> None:
    inp = resolve(profile(**CASES[0]), default_catalog())
    found = search(inp, deploy(inp.main, inp))
    assert found is not None and 40 < found < 40_000


def test_fixed_replicas_are_ignored_by_the_search_with_a_note() -> None:
    case = {**CASES[0], "self_host": {**CASES[0]["self_host"], "replicas": 7}}
    from conftest import decision

    d = decision(**case)
    free = decision(**CASES[0])
    assert d.economics.break_even.requests_per_day == free.economics.break_even.requests_per_day
    assert "fixed replicas ignored" in d.economics.break_even.note
