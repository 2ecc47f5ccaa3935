"""Where no request may go to an API (air-gapped, or every request's data on premises), no
option that sends requests to one applies: not the API for peaks, not a split by complexity,
sensitivity or latency, not the open model hosted; each says why, and no face offers them."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.report.markdown import render as markdown
from advisor.report.text import render as text
from conftest import decision

BUSY: dict[str, Any] = {
    "workload": {
        "requests_per_day": 300_000,
        "input_tokens": 2000,
        "output_tokens": 300,
        "simple_task_share": 0.4,
    },
    "traffic": {"variability": "bursty"},
    "team": {"ml_expertise": "strong"},
}
SENDS_TO_AN_API = ("hosted_open", "volume", "complexity", "sensitivity", "latency")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"air_gapped": True}, "air-gapped: no API can be reached"),
        ({"sovereignty": "on_prem"}, "every request's data must stay on your own servers"),
    ],
    ids=["air-gapped", "on premises"],
)
def test_no_option_that_sends_requests_to_an_api_applies(data: dict[str, Any], why: str) -> None:
    d = decision(**BUSY, data=data)
    options = {o.id: o for o in d.options}
    for key in SENDS_TO_AN_API:
        assert not options[key].applicable, key
    for key in ("volume", "complexity", "sensitivity", "latency"):
        assert why in options[key].note, key
    assert d.recommendation.verdict == "self_host" and d.recommendation.api_fallback is False
    for face in (text(d, 80), markdown(d)):
        assert "peaks on the API" not in face
        assert "keep an api fallback" not in face.lower()


def test_with_an_api_allowed_the_same_answers_keep_their_hybrids() -> None:
    d = decision(**BUSY)
    options = {o.id: o for o in d.options}
    assert options["volume"].applicable and options["complexity"].applicable
