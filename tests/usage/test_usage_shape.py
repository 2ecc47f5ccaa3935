"""A day or more of logs keeps its daily shape in the profile, and the deployment search sizes
autoscaling and the volume hybrid from it (issue: usage measured from real traffic, item 3)."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from tests.usage.usage_logs import MODELS, START, Request, requests, write_csv

from advisor.core.catalog.load import default_catalog
from advisor.core.decision.decide import decide
from advisor.core.profile.model import Profile
from advisor.usage.profile_update import apply_to_profile
from advisor.usage.summary import analyse

CATALOG = default_catalog()


def test_a_multi_day_log_writes_its_daily_shape_into_the_profile(tmp_path: Path) -> None:
    s = analyse([write_csv(tmp_path / "log.csv", requests())], CATALOG)
    assert s.hourly_load is not None
    profile = apply_to_profile(s, Profile())
    curve = profile.traffic.hourly_load
    assert curve is not None and len(curve) == 24
    assert sum(curve) / 24 == pytest.approx(1.0, abs=1e-3)
    assert curve[:6] == [0.0] * 6  # the empty night hours of the generated logs
    # A few hundred requests a day: the minute bursts are noise, not written.
    assert profile.traffic.burst_to_average is None


def busy_days(days: int = 2, per_minute_day: int = 40, per_minute_night: int = 8) -> list[Request]:
    """A busy service: 40 requests a minute by day, 8 at night, some minutes in bursts."""
    rng = random.Random(3)
    out = []
    for minute in range(days * 24 * 60):
        hour = (minute // 60) % 24
        n = per_minute_day if 8 <= hour < 20 else per_minute_night
        if rng.random() < 0.05:
            n *= 3
        for k in range(n):
            at = START + timedelta(minutes=minute, seconds=k * 60 / n)
            out.append(Request(at, MODELS[0], 1200, 300))
    return out


def test_a_busy_service_gets_its_sub_hour_bursts_for_sizing(tmp_path: Path) -> None:
    s = analyse([write_csv(tmp_path / "busy.csv", busy_days())], CATALOG)
    assert s.resolution == "hour"
    profile = apply_to_profile(s, Profile())
    assert profile.traffic.burst_to_average is not None
    assert profile.traffic.burst_to_average > 1.5


def test_the_measured_day_sizes_autoscaling_instead_of_the_two_level_default() -> None:
    flat = {"hourly_load": [1.0] * 24, "peak_to_average": 1.0}
    peaky = {"hourly_load": [0.2] * 12 + [1.8] * 12, "peak_to_average": 1.8}
    base = {
        "workload": {"requests_per_day": 2_000_000, "input_tokens": 1200, "output_tokens": 300},
        "self_host": {"scaling": "autoscale", "gpu": "h200", "precision": "fp8", "gpus": 1},
    }
    d_flat = decide(Profile.model_validate({**base, "traffic": flat}))
    d_peaky = decide(Profile.model_validate({**base, "traffic": peaky}))
    # Same tokens a day; the peaky day pays for more replicas at its peak and fewer at night.
    assert d_peaky.self_host.replicas > d_flat.self_host.replicas
    hours_flat = d_flat.self_host.replica_hours_per_day
    assert d_peaky.self_host.replica_hours_per_day == pytest.approx(hours_flat, rel=0.2)
    # And a burst within the hour adds replicas where fixed sizing pays for the peak.
    bursty = {**flat, "burst_to_average": 2.0}
    fixed = {**base, "self_host": {**base["self_host"], "scaling": "fixed"}}
    calm = decide(Profile.model_validate({**fixed, "traffic": flat}))
    gusty = decide(Profile.model_validate({**fixed, "traffic": bursty}))
    assert gusty.self_host.replicas > calm.self_host.replicas
