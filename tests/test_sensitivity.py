"""What would flip the verdict: flips are real, and impossible what-ifs are skipped."""

from __future__ import annotations

from advisor.core.decision.decide import decide
from advisor.core.profile.io import load_profile
from advisor.core.profile.store import bundled_profiles
from conftest import decision


def test_a_reported_flip_really_flips_the_verdict() -> None:
    """medium at 20,000 requests/day, weighed against Claude alone, sits near its break-even:
    moving volume flips it."""
    p = load_profile(bundled_profiles()["medium"])
    p.workload.requests_per_day = 20_000
    p.api.hosted_open = False
    d = decide(p)
    flip = next(f for f in d.sensitivity if f.assumption == "volume" and f.flips)
    assert isinstance(flip.flip_value, float) and flip.flip_to != d.recommendation.verdict
    p.workload.requests_per_day = (
        flip.flip_value * 1.001 if flip.flip_value > 20_000 else flip.flip_value * 0.999
    )
    assert decide(p).recommendation.verdict == flip.flip_to


def test_largest_swing_first() -> None:
    swings = [f.swing for f in decision(workload={"requests_per_day": 50_000}).sensitivity]
    assert swings == sorted(swings, reverse=True)
    assert len(swings) == 8  # seven levers, and the hosted open model's price


def test_what_ifs_past_the_context_window_are_skipped_not_fatal() -> None:
    d = decision(
        workload={"requests_per_day": 1000, "input_tokens": 100_000, "output_tokens": 30_000}
    )
    tokens = next(f for f in d.sensitivity if f.assumption == "output_tokens")
    assert not tokens.flips  # x1.26 output tokens would exceed the window: not evaluated


def test_peak_to_average_what_ifs_stay_within_the_profile_bound() -> None:
    from advisor.core.profile.model import PEAK_TO_AVERAGE_MAX

    d = decision(traffic={"variability": "unpredictable", "peak_to_average": 20.0})
    p2a = next(f for f in d.sensitivity if f.assumption == "peak_to_average")
    assert p2a.high == PEAK_TO_AVERAGE_MAX and p2a.low == 10.0
    assert p2a.flip_value is None or p2a.flip_value <= PEAK_TO_AVERAGE_MAX
