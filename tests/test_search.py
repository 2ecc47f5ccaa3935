"""The deployment search's list of candidates (DESIGN.md §6): the chosen configuration and the
next four by cost, each with the reason, in words, it lost or was excluded; with GPU type,
count and precision pinned, the others it would have tried, so the list says what the pin
costs."""

from __future__ import annotations

from typing import Any

from advisor.core.decision.model import Decision
from conftest import decision

LONG: dict[str, Any] = {
    "workload": {"requests_per_day": 2_000, "input_tokens": 8_000, "output_tokens": 500},
    "api": {"model": "claude-sonnet-4.6"},
}
KV_STARVED = {"model": "llama-3.3-70b", "gpu": "a100-80gb", "gpus": 2, "precision": "fp16"}


def configs(d: Decision) -> list[tuple[str, int, str, str]]:
    return [(c.gpu, c.gpus_per_replica, c.precision, c.sizing) for c in d.choice.candidates]


def test_the_chosen_one_then_the_next_four_each_with_its_reason() -> None:
    d = decision(**LONG)
    listed = d.choice.candidates
    assert len(listed) == 5 and listed[0].chosen and not any(c.chosen for c in listed[1:])
    assert listed[0].reason == "chosen: the cheapest that qualifies"
    assert len(set(configs(d))) == 5
    for c in listed[1:]:
        assert c.reason.startswith("excluded: ") or "more" in c.reason, c.reason
        if c.qualifies:
            assert c.monthly_cost >= listed[0].monthly_cost


def test_a_pinned_configuration_is_listed_with_the_ones_it_keeps_you_from() -> None:
    d = decision(**LONG, self_host=KV_STARVED)
    listed = d.choice.candidates
    chosen = listed[0]
    assert chosen.chosen and (chosen.gpu, chosen.gpus_per_replica) == ("a100-80gb", 2)
    assert not chosen.qualifies and "KV-starved" in chosen.reason
    assert len(listed) == 5 and len(set(configs(d))) == 5
    cheaper = [c for c in listed[1:] if c.qualifies and c.monthly_cost < chosen.monthly_cost]
    assert cheaper, "a cheaper configuration that qualifies is listed"
    assert all("cheaper, but the chosen one is pinned" in c.reason for c in cheaper)
    # The warning names the cheapest that qualifies, and the list holds it too.
    free = decision(**LONG, self_host={"model": "llama-3.3-70b"}).choice.candidates[0]
    named = f"{free.gpus_per_replica} x {free.gpu} at {free.precision}"
    assert any(named in w and "does not qualify" in w for w in d.warnings)
    assert (free.gpu, free.gpus_per_replica, free.precision) in {
        (c.gpu, c.gpus_per_replica, c.precision) for c in cheaper
    }
