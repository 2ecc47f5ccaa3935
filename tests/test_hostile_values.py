"""Values that are numbers but not answers: denormals, infinities, NaN. Bounds refuse them at
the source (exit 2, naming the field and line); whatever still fails while deciding is a
message naming the profile (core/decision/guard.py), never a traceback or "$inf/month"."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import cli
from advisor.core.errors import InputError

DENORMAL = "5e-324"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize(
    ("table", "key", "allowed"),
    [
        ("policy", "headroom", "at least 0.05"),
        ("self_host", "utilization", "at least 0.01"),
        ("self_host", "throughput_tokens_per_s", "at least 0.1"),
        ("workload", "days_per_month", "at least 1"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_denormal_is_out_of_range(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    table: str,
    key: str,
    allowed: str,
    fmt: str,
) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(f'name = "tiny"\n[{table}]\n{key} = {DENORMAL}\n')
    code, out, err = run(capsys, "report", str(path), "--format", fmt)
    assert code == 2 and out == ""
    assert f"{path}, line 3: {table}.{key}: 5e-324 is out of range" in err
    assert f"Allowed: {allowed}" in err


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400"])
def test_infinity_and_nan_are_refused_in_a_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    path = tmp_path / "inf.toml"
    path.write_text(f"[api]\ninput_price_per_mtok = {value}\n")
    code, _, err = run(capsys, "report", str(path))
    assert code == 2 and "api.input_price_per_mtok" in err and "line 2" in err


CATALOG_ENTRY = """[api_models.cheap]
name = "Cheap"
provider = "Somebody"
input_per_mtok = {price}
output_per_mtok = 1.0
source = "typed by hand"
as_of = 2026-11-01
"""


@pytest.mark.parametrize("price", ["1e400", "inf", "nan", "10001.0", "-1.0"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_catalog_price_must_be_finite_and_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], price: str, fmt: str
) -> None:
    catalog = tmp_path / f"catalog-{fmt}-{price}.toml"
    catalog.write_text(CATALOG_ENTRY.format(price=price))
    profile = tmp_path / "p.toml"
    profile.write_text('[api]\nmodel = "cheap"\n')
    code, out, err = run(capsys, "report", str(profile), "--catalog", str(catalog), "--format", fmt)
    assert code == 2 and out == "" and "inf/month" not in out
    assert str(catalog) in err and "api_models.cheap.input_per_mtok" in err and "line 4" in err


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("[gpus.a100-80gb]\nhourly_price = 1e400\n", "gpus.a100-80gb.hourly_price"),
        ("[gpus.a100-80gb]\nmemory_gb = inf\n", "gpus.a100-80gb.memory_gb"),
        ("[models.llama-3.3-70b]\nparameters_b = nan\n", "models.llama-3.3-70b.parameters_b"),
        ("[defaults]\nops_monthly_cost = 1e300\n", "defaults.ops_monthly_cost"),
    ],
)
def test_every_number_in_a_catalog_is_finite_and_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, field: str
) -> None:
    catalog = tmp_path / f"c-{field}.toml"
    catalog.write_text(entry)
    code, _, err = run(capsys, "report", "medium", "--catalog", str(catalog))
    assert code == 2 and field in err


def test_an_arithmetic_error_while_deciding_is_a_message_naming_the_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.core.decision import decide as deciding

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(deciding, "decide", broken)
    path = tmp_path / "p.toml"
    path.write_text('name = "x"\n')
    for fmt in ("text", "json"):
        code, out, err = run(capsys, "report", str(path), "--format", fmt)
        assert code == 2 and out == ""
        assert err.startswith(f"advisor: {path}: cannot be decided")
        assert "ZeroDivisionError" in err and "Allowed:" in err


def test_a_figure_that_is_not_a_number_is_never_reported(tmp_path: Path) -> None:
    from advisor.core.decision.decide import decide
    from advisor.core.decision.guard import check_figures
    from advisor.core.profile.model import Profile

    decision = decide(Profile())
    option = decision.options[0]
    for bad in (float("inf"), float("nan")):
        broken = decision._replace(options=(option._replace(monthly_cost=bad),))
        with pytest.raises(InputError, match=r"options\.0\.monthly_cost comes out as no number"):
            check_figures(broken, "p.toml")
    negative = decision._replace(options=(option._replace(monthly_cost=-1.0),))
    with pytest.raises(InputError, match="less than nothing"):
        check_figures(negative, "p.toml")
    assert check_figures(decision, "p.toml") is decision


def test_import_litellm_skips_names_that_are_not_model_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    price = {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "mode": "chat"}
    source = tmp_path / "prices.json"
    source.write_text(
        json.dumps(
            {
                "evil\x1b]0;owned\x07": {**price, "litellm_provider": "openai"},
                "m" * 100_000: {**price, "litellm_provider": "openai"},
                "spoofed": {**price, "litellm_provider": "open\x1b[2Jai"},
                "fine-model": {**price, "litellm_provider": "openai"},
            }
        )
    )
    target = tmp_path / "catalog.toml"
    code, out, err = run(capsys, "catalog", "import-litellm", str(source), "--into", str(target))
    assert code == 0, err
    assert "1 added" in out and "3 with a name holding control characters" in out
    written = target.read_text()
    assert "fine-model" in written and "evil" not in written and "spoofed" not in written
    assert len(written) < 2000
