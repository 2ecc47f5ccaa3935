"""The bundled catalog: dated, sourced, internally consistent, physically possible."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.core.catalog.load import default_catalog, load_catalog
from advisor.core.errors import InputErrors
from conftest import decision

CATALOG = default_catalog()


def test_the_articles_six_api_models_keep_their_prices_from_the_maintained_source() -> None:
    """The article's February 2026 prices are still the list prices in genai-prices' data; the
    entries now come from that data (api_models.toml), dated the day it was read."""
    expected = {
        "gpt-4o": (2.50, 10.00),
        "claude-3.5-sonnet": (3.00, 15.00),
        "claude-3.5-haiku": (0.80, 4.00),
        "gpt-4o-mini": (0.15, 0.60),
        "gemini-1.5-pro": (1.25, 5.00),
        "gemini-1.5-flash": (0.075, 0.30),
    }
    for model_id, (price_in, price_out) in expected.items():
        m = CATALOG.api_models[model_id]
        assert (m.input_per_mtok, m.output_per_mtok) == (price_in, price_out)
        assert m.as_of.isoformat() == "2026-11-30" and "genai-prices" in m.source


def test_defaults_point_at_real_entries() -> None:
    d = CATALOG.defaults
    assert d.api_model in CATALOG.api_models
    assert {d.self_host_model, d.small_model} <= set(CATALOG.models)
    assert d.gpu in CATALOG.gpus
    assert {d.precision, *d.precisions} <= set(CATALOG.precisions)
    assert set(d.peak_to_average) == {"steady", "moderate", "bursty", "unpredictable"}


@pytest.mark.parametrize(
    "preset", CATALOG.presets, ids=lambda p: f"{p.model}-{p.gpus}x{p.gpu}-{p.precision}"
)
def test_presets_are_sourced_measurements(preset) -> None:  # type: ignore[no-untyped-def]
    assert preset.precision in CATALOG.precisions
    assert CATALOG.gpus[preset.gpu].runs(preset.precision)
    assert preset.engine and preset.lengths and preset.concurrency and preset.fit
    assert preset.source and preset.source_url.startswith("https://") and preset.as_of


COMBINATIONS = [
    (model, gpu, gpus, precision)
    for model in sorted(CATALOG.models)
    for gpu in sorted(CATALOG.gpus)
    for gpus in (1, 2, 4, 8)
    for precision in sorted(CATALOG.precisions)
    if CATALOG.gpus[gpu].runs(precision)
]


def test_no_throughput_in_the_catalog_or_estimated_from_it_passes_a_physical_bound() -> None:
    """Every preset, and the estimate for every combination without one, within the compute
    bound (prefill and decode) and the memory bound (context reads) of its GPUs."""
    from advisor.core.costs.memory import fit
    from advisor.core.costs.throughput import batched, bounds

    for model_id, gpu_id, gpus, precision in COMBINATIONS:
        model, gpu = CATALOG.models[model_id], CATALOG.gpus[gpu_id]
        spec = CATALOG.precisions[precision]
        memory = fit(model, spec, gpu, gpus, 2_000, 0.9)
        thr = batched(
            CATALOG, model_id, model, gpu_id, gpu, gpus, precision, spec, memory, 1_500, 500
        )
        b = bounds(model, spec, gpu, gpus, precision)
        what = (model_id, gpu_id, gpus, precision, thr.mode)
        assert thr.prefill is not None and thr.decode is not None and thr.context_rate
        assert 0 < thr.prefill <= b.compute * (1 + 1e-9), what
        assert 0 < thr.decode <= b.compute * (1 + 1e-9), what
        assert 0 < thr.context_rate <= b.kv_read * (1 + 1e-9), what
        # and the whole: what it serves never above what the GPUs can compute
        assert thr.tokens_per_s(1_500, 500) <= b.compute * (1 + 1e-9), what


def test_fp8_runs_only_where_the_gpu_has_it() -> None:
    assert not CATALOG.gpus["a100-80gb"].runs("fp8")
    assert CATALOG.gpus["h100-80gb"].runs("fp8") and CATALOG.gpus["l4"].runs("fp8")
    assert all(CATALOG.gpus[g].runs("fp16") for g in CATALOG.gpus)


def test_one_preset_per_key() -> None:
    keys = [(p.model, p.gpu, p.gpus, p.precision) for p in CATALOG.presets]
    assert len(keys) == len(set(keys))


def test_kv_cache_per_token_matches_figures() -> None:
    kib = {"llama-3.1-8b": 128, "llama-3.3-70b": 320, "llama-2-13b": 800}
    for model_id, expected in kib.items():
        m = CATALOG.models[model_id]
        assert 2 * m.layers * m.kv_heads * m.head_dim * 2 / 1024 == expected


def test_a_user_catalog_overrides_and_adds_entries(tmp_path: Path) -> None:
    user = tmp_path / "catalog.toml"
    user.write_text(
        '[api_models."claude-3.5-sonnet"]\nname = "Sonnet (negotiated)"\nprovider = "Anthropic"\n'
        'input_per_mtok = 2.0\noutput_per_mtok = 10.0\nsource = "our contract"\n'
        "as_of = 2026-11-01\n\n"
        '[api_models."in-house-proxy"]\nname = "Proxy"\nprovider = "us"\ninput_per_mtok = 1.0\n'
        'output_per_mtok = 1.0\nsource = "internal"\nas_of = 2026-11-01\n'
    )
    catalog = load_catalog(user)
    assert catalog.api_models["claude-3.5-sonnet"].input_per_mtok == 2.0
    assert "in-house-proxy" in catalog.api_models and "gpt-4o" in catalog.api_models


def test_a_broken_user_catalog_names_its_file_and_line(tmp_path: Path) -> None:
    user = tmp_path / "catalog.toml"
    user.write_text('[gpus."a100-80gb"]\nmemory_gb = "lots"\n')
    with pytest.raises(InputErrors) as caught:
        load_catalog(user)
    assert any(e.file == str(user) and e.line == 2 for e in caught.value.errors)


def test_stale_prices_are_flagged_with_their_date(monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"workload": {"requests_per_day": 100}, "api": {"model": "claude-sonnet-4.6"}}
    monkeypatch.setenv("ADVISOR_TODAY", "2027-03-15")
    assert any(
        "API price of claude-sonnet-4.6 is as of 2026-11-30, 105 days old" in w
        for w in decision(**base).warnings
    )
    monkeypatch.setenv("ADVISOR_TODAY", "2026-12-01")
    assert not any("claude-sonnet-4.6 is as of" in w for w in decision(**base).warnings)


def test_the_bundled_catalog_passes_every_check_it_skips_at_start_up() -> None:
    from advisor.core.catalog.load import bundled_raw, construct, validate_catalog

    raw = bundled_raw()
    assert validate_catalog(raw, "bundled catalog") == construct(raw)


def test_a_misspelt_key_in_a_user_catalog_is_named_with_a_suggestion(tmp_path: Path) -> None:
    user = tmp_path / "catalog.toml"
    user.write_text('[gpus."l4"]\nname = "L4"\nmemory_gb = 24.0\nbandwith_tb_s = 0.3\n')
    with pytest.raises(InputErrors) as caught:
        load_catalog(user)
    message = str(caught.value)
    assert "gpus.l4.bandwith_tb_s" in message and "bandwidth_tb_s" in message
    assert "line 4" in message


def test_advisor_catalog_fits_80_columns_and_shows_the_bills_terms(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line fits the terminal; each API row carries its cache price and batch discount;
    a retired model names its successor; GPU offers put the price first."""
    from advisor.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    gpt = next(line for line in lines if line.startswith("│ gpt-4o "))
    cells = [c.strip() for c in gpt.split("│")[1:-1]]
    assert cells == ["gpt-4o", "$2.50", "$1.25", "$10.00", "-50%", "2026-11-30"]
    flash = next(line for line in lines if line.startswith("│ gemini-1.5-flash "))
    assert "$0.01875" in flash  # a price's every digit, never rounded away
    joined = " ".join(out.split())
    assert "claude-3.5-sonnet since 2025-10-22 (successor: claude-sonnet-4.6)" in joined
    assert "$1.29 Lambda" in out


def test_the_bundled_catalog_module_is_the_toml_files_parsed() -> None:
    """bundled_data.py (what the program reads) is generated from the TOML files (what people
    edit): the file is the generator's output, and its data is the files' data."""
    from advisor.core.catalog import bundled_build, bundled_data

    target = Path(bundled_data.__file__)
    assert target.read_text() == bundled_build.render(), "run scripts/build_bundled_catalog.py"
    assert bundled_data.raw() == bundled_build.parsed()
    first = bundled_data.raw()
    first["api_models"].clear()  # a caller's change reaches no other caller
    assert bundled_data.raw()["api_models"]
