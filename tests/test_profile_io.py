"""The profile file format: round trips (hypothesis), migrations, atomic saves, comments."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.core.errors import InputError
from advisor.core.profile.io import load_profile, migrate, save_profile
from advisor.core.profile.model import PEAK_TO_AVERAGE_MAX, SCHEMA_VERSION, Profile

share = st.floats(min_value=0, max_value=1, allow_nan=False)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


profiles = st.builds(
    lambda name, notes, w, a, t, lat, data, team, needs, sh, pol: Profile.model_validate(
        {
            "name": name,
            "notes": notes,
            "workload": w,
            "api": a,
            "traffic": t,
            "latency": lat,
            "data": data,
            "team": team,
            "needs": needs,
            "self_host": sh,
            "policy": pol,
        }
    ),
    text,
    text,
    st.fixed_dictionaries(
        {
            "requests_per_day": st.floats(min_value=0.01, max_value=1e9, allow_nan=False),
            "input_tokens": st.integers(1, 2_000_000),
            "output_tokens": st.integers(0, 100_000),
            "output_tokens_measured": st.booleans(),
            "days_per_month": st.floats(min_value=1, max_value=31),
            "simple_task_share": share,
            "sensitive_share": share,
        }
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "model": st.sampled_from(["gpt-4o", "claude-3.5-sonnet"]),
            "input_price_per_mtok": st.floats(0, 100),
            "monthly_spend": st.floats(0, 1e7),
        },
    ),
    st.fixed_dictionaries(
        {
            "variability": st.sampled_from(["steady", "moderate", "bursty", "unpredictable"]),
            "growth_phase": st.booleans(),
        },
        optional={"peak_to_average": st.floats(1, PEAK_TO_AVERAGE_MAX)},
    ),
    st.fixed_dictionaries({"p95_target_ms": st.floats(1, 10_000), "critical_share": share}),
    st.fixed_dictionaries(
        {
            "sovereignty": st.sampled_from(["none", "residency", "on_prem"]),
            "api_compliance_ok": st.booleans(),
            "air_gapped": st.booleans(),
        }
    ),
    st.fixed_dictionaries({"ml_expertise": st.sampled_from(["none", "some", "strong"])}),
    st.fixed_dictionaries(
        {
            k: st.booleans()
            for k in ("frontier_capability", "fine_tuned_model", "rapid_iteration", "multi_model")
        }
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "gpus": st.sampled_from([1, 2, 4, 8]),
            "replicas": st.integers(1, 50),
            "gpu_hourly_price": st.floats(0.1, 20),
            "throughput_tokens_per_s": st.floats(1, 1e5),
            "utilization": st.floats(0.05, 1),
            "precision": st.sampled_from(["fp16", "fp8"]),
        },
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "friction_multiplier": st.floats(1, 3),
            "headroom": st.floats(0.1, 1),
            "weights": st.fixed_dictionaries({}, optional={"strong": st.floats(0, 10)}),
        },
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(profiles)
def test_save_then_load_gives_the_same_profile(tmp_path: Path, p: Profile) -> None:
    path = tmp_path / "p.toml"
    save_profile(p, path)
    assert load_profile(path) == p
    save_profile(p, path)  # re-saving over itself (the comment-keeping path) changes nothing
    assert load_profile(path) == p


def test_saved_file_is_readable_by_others_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    save_profile(Profile(name="x"), path)
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert [f.name for f in tmp_path.iterdir()] == ["p.toml"]


def test_resaving_a_hand_edited_profile_keeps_its_comments(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        "# Why we looked at this: finance asked in Q3.\n"
        'schema_version = 1\nname = "Support"\n\n'
        "[workload]\nrequests_per_day = 10000  # from the March dashboard\n"
        "input_tokens = 5600\noutput_tokens = 500\n\n"
        '[traffic]\n# Black Friday doubles it\nvariability = "moderate"\n'
    )
    p = load_profile(path)
    p.workload.requests_per_day = 20_000
    p.traffic.variability = "bursty"
    save_profile(p, path)
    saved = path.read_text()
    assert "# Why we looked at this: finance asked in Q3." in saved
    assert "# from the March dashboard" in saved
    assert "# Black Friday doubles it" in saved
    again = load_profile(path)
    assert again.workload.requests_per_day == 20_000 and again.traffic.variability == "bursty"


def test_a_newer_schema_version_is_refused_clearly() -> None:
    with pytest.raises(InputError) as caught:
        migrate({"schema_version": SCHEMA_VERSION + 1}, "future.toml")
    assert "newer advisor" in str(caught.value) and "future.toml" in str(caught.value)


def test_migrations_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor.core.profile import io as profile_io

    monkeypatch.setattr(profile_io, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(
        profile_io,
        "MIGRATIONS",
        {
            1: lambda d: {**d, "seen": [*d.get("seen", []), 1]},
            2: lambda d: {**d, "seen": [*d["seen"], 2]},
        },
    )
    assert profile_io.migrate({"schema_version": 1}, "old.toml") == {
        "schema_version": 3,
        "seen": [1, 2],
    }


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbfschema_version = 1\nname = "Windows"\n')
    assert load_profile(path).name == "Windows"


def test_requests_longer_than_the_context_window_name_the_workload(tmp_path: Path) -> None:
    from advisor.core.decision.load import load_and_decide

    path = tmp_path / "long.toml"
    path.write_text("[workload]\ninput_tokens = 500000\noutput_tokens = 100\n")
    with pytest.raises(InputError) as caught:
        load_and_decide(path)
    assert caught.value.field == "workload.input_tokens" and caught.value.line == 2
    assert "context window" in str(caught.value)


def test_peak_to_average_is_at_most_a_whole_day_in_one_hour(tmp_path: Path) -> None:
    from advisor.core.errors import InputErrors

    assert PEAK_TO_AVERAGE_MAX == 24
    path = tmp_path / "peak.toml"
    path.write_text("[traffic]\npeak_to_average = 24.0\n")
    assert load_profile(path).traffic.peak_to_average == 24
    path.write_text("[traffic]\npeak_to_average = 24.5\n")
    with pytest.raises(InputErrors) as caught:
        load_profile(path)
    (error,) = caught.value.errors
    assert error.field == "traffic.peak_to_average" and error.line == 2
    assert error.allowed is not None and error.allowed.startswith("at most 24")
    assert "a whole day's traffic in a single hour" in error.allowed
    p = Profile()
    with pytest.raises(ValueError):  # the questionnaire's path: assignment is validated too
        p.traffic.peak_to_average = 1000.0
    assert p.traffic.peak_to_average is None
