"""The assumptions list: each input's true origin, and for catalog values their own source/date.

Origin "profile" means the profile set the value (pydantic's `model_fields_set`), even when it
equals the default; a catalog id carries the source and as-of date of its own catalog entry.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from advisor.core.catalog.load import default_catalog
from advisor.core.decision.assumptions import Assumption
from advisor.core.decision.decide import decide
from advisor.core.decision.model import Decision
from advisor.core.decision.serialize import to_dict
from advisor.core.profile.io import load_profile
from advisor.core.profile.model import Profile
from advisor.core.profile.store import bundled_profiles
from conftest import decision


def used(d: Decision) -> dict[str, Assumption]:
    return {a.name: a for a in d.assumptions}


def test_customer_service_values_set_in_the_file_are_from_the_profile() -> None:
    d = decide(load_profile(bundled_profiles()["customer-service"]))
    a = used(d)
    # 10,000 requests/day and 500 output tokens are also the model's defaults: still set.
    assert (a["workload.requests_per_day"].value, a["workload.requests_per_day"].origin) == (
        10_000,
        "profile",
    )
    assert (a["workload.output_tokens"].value, a["workload.output_tokens"].origin) == (
        500,
        "profile",
    )
    assert a["workload.input_tokens"].origin == "profile"
    assert a["workload.days_per_month"].origin == "default"  # not in the file
    assert a["traffic.variability"].origin == "default"


def test_customer_service_api_model_carries_its_price_entrys_source_and_date() -> None:
    d = decide(load_profile(bundled_profiles()["customer-service"]))
    entry = default_catalog().api_models["claude-3.5-sonnet"]
    model = used(d)["api.model"]
    assert model.origin == "profile"
    assert (model.source, model.as_of) == (entry.source, entry.as_of)
    assert model.as_of == date(2026, 11, 30) and "genai-prices" in (model.source or "")
    assert model.source != default_catalog().defaults.source
    json_model = next(x for x in to_dict(d)["assumptions"] if x["name"] == "api.model")
    assert json_model["as_of"] == "2026-11-30" and json_model["origin"] == "profile"


def test_a_value_equal_to_the_default_is_from_the_profile_when_the_file_sets_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[workload]\noutput_tokens = 500\n[latency]\np95_target_ms = 2000\n")
    a = used(decide(load_profile(path)))
    assert a["workload.output_tokens"].origin == "profile"
    assert a["latency.p95_target_ms"].origin == "profile"
    assert a["workload.requests_per_day"].origin == "default"
    path.write_text("[workload]\ninput_tokens = 800\n")
    assert used(decide(load_profile(path)))["workload.output_tokens"].origin == "default"


def test_an_answer_given_in_the_questionnaire_is_from_the_profile() -> None:
    p = Profile()
    p.workload.output_tokens = 500  # the TUI assigns answers (validate_assignment)
    assert used(decide(p))["workload.output_tokens"].origin == "profile"


def test_a_default_api_model_is_from_the_catalog_with_its_entrys_source() -> None:
    d = decision(workload={"requests_per_day": 100})
    cat = default_catalog()
    entry = cat.api_models[cat.defaults.api_model]
    model = used(d)["api.model"]
    assert model.origin == "catalog" and (model.source, model.as_of) == (entry.source, entry.as_of)


def test_open_model_and_gpu_chosen_in_the_profile_keep_their_catalog_entry_source() -> None:
    d = decision(self_host={"model": "llama-3.3-70b", "gpu": "h100-80gb", "gpu_hourly_price": 2.0})
    cat = default_catalog()
    a = used(d)
    gpu, model = cat.gpus["h100-80gb"], cat.models["llama-3.3-70b"]
    assert (a["self_host.gpu"].origin, a["self_host.gpu"].as_of) == ("profile", gpu.as_of)
    assert (a["self_host.model"].origin, a["self_host.model"].source) == ("profile", model.source)
    price = a["self_host.gpu_hourly_price"]
    assert (price.origin, price.source, price.as_of) == ("profile", None, None)  # your number


def test_the_text_report_lists_every_assumption_readably_at_80_columns() -> None:
    """One item each: the label, the value, and where it came from with the source and date;
    no line past 80 columns and no label folded mid-word (a five-column table did both)."""
    from advisor.report.text import render

    d = decide(load_profile(bundled_profiles()["customer-service"]))
    out = render(d, width=80)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    listed = out[out.index("\nAssumptions\n") :]
    flat = " ".join(listed.split())
    for a in d.assumptions:
        assert f"- {a.label}: {a.shown} (" in flat, a.label
    assert "- Requests per day: 10,000 (your answer)" in flat
    api = next(a for a in d.assumptions if a.name == "api.model")
    assert f"({api.source}, {api.as_of})" in flat or f"; {api.source}, {api.as_of})" in flat
