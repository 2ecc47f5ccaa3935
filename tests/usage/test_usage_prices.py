"""`advisor catalog import-litellm`: LiteLLM's prices into the user catalog, dated today."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.core.catalog.load import load_catalog
from advisor.usage.prices import SOURCE

TODAY = date(2026, 11, 26)  # conftest sets ADVISOR_TODAY

LITELLM = {
    "sample_spec": {
        "max_tokens": "LEGACY parameter.",
        "input_cost_per_token": 0,
        "output_cost_per_token": 0,
        "litellm_provider": "one of https://docs.litellm.ai/docs/providers",
        "mode": "one of: chat, embedding, completion, image_generation",
    },
    "gpt-4o": {
        "input_cost_per_token": 2.5e-06,
        "output_cost_per_token": 1e-05,
        "litellm_provider": "openai",
        "mode": "chat",
    },
    "azure/gpt-4o": {
        "input_cost_per_token": 2.75e-06,
        "output_cost_per_token": 1.1e-05,
        "litellm_provider": "azure",
        "mode": "chat",
    },
    "gpt-4.1-mini": {
        "input_cost_per_token": 4e-07,
        "output_cost_per_token": 1.6e-06,
        "litellm_provider": "openai",
        "mode": "chat",
    },
    "claude-3-5-sonnet-20241022": {
        "input_cost_per_token": 3.3e-06,
        "output_cost_per_token": 1.65e-05,
        "litellm_provider": "anthropic",
        "mode": "chat",
    },
    "claude-3-5-sonnet-latest": {
        "input_cost_per_token": 3.3e-06,
        "output_cost_per_token": 1.65e-05,
        "litellm_provider": "anthropic",
        "mode": "chat",
    },
    "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0": {
        "input_cost_per_token": 8e-07,
        "output_cost_per_token": 4e-06,
        "litellm_provider": "bedrock",
        "mode": "chat",
    },
    "groq/llama-3.3-70b-versatile": {
        "input_cost_per_token": 5.9e-07,
        "output_cost_per_token": 7.9e-07,
        "litellm_provider": "groq",
        "mode": "chat",
    },
    "text-completion-codestral/codestral-2405": {
        "input_cost_per_token": 0,
        "output_cost_per_token": 0,
        "litellm_provider": "text-completion-codestral",
        "mode": "completion",
    },
    "text-embedding-3-small": {
        "input_cost_per_token": 2e-08,
        "output_cost_per_token": 0,
        "litellm_provider": "openai",
        "mode": "embedding",
    },
    "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation"},
    "some-chat-without-output-price": {
        "input_cost_per_token": 1e-06,
        "litellm_provider": "openai",
        "mode": "chat",
    },
    "a-chat-with-a-text-price": {
        "input_cost_per_token": "cheap",
        "output_cost_per_token": 1e-06,
        "litellm_provider": "openai",
        "mode": "chat",
    },
}

USER_CATALOG = """\
# My own prices, negotiated in September.
[api_models."our-gateway"]
name = "Our gateway"
provider = "In-house"
input_per_mtok = 1.0
output_per_mtok = 2.0
source = "our contract"   # signed 2026-09-01
as_of = 2026-09-01

[api_models."gpt-4.1-mini"]
name = "GPT-4.1 mini"
provider = "OpenAI"
input_per_mtok = 0.5
output_per_mtok = 2.0
source = "old note"
as_of = 2025-01-01
"""


@pytest.fixture
def prices(tmp_path: Path) -> Path:
    path = tmp_path / "model_prices_and_context_window.json"
    path.write_text(json.dumps(LITELLM, indent=4))
    return path


def run(prices: Path, target: Path) -> int:
    return main(["catalog", "import-litellm", str(prices), "--into", str(target)])


def test_creates_a_user_catalog_that_loads(
    tmp_path: Path, prices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "config" / "advisor" / "catalog.toml"
    assert run(prices, target) == 0
    out = capsys.readouterr().out
    assert f"Created {target}: 10 added, 0 updated, 5 skipped" in out
    assert "3 not chat or completion" in out and "2 without both prices" in out
    catalog = load_catalog(target)  # validated
    api = catalog.api_models
    # Ids: lower case, no provider prefix unless it would collide.
    assert {
        "gpt-4o",
        "azure/gpt-4o",
        "gpt-4.1-mini",
        "claude-3-5-sonnet-20241022",
        "llama-3.3-70b-versatile",
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "codestral-2405",
    } <= set(api)
    assert api["azure/gpt-4o"].input_per_mtok == 2.75
    assert api["gpt-4.1-mini"].input_per_mtok == 0.4 and api["gpt-4.1-mini"].output_per_mtok == 1.6
    # The bundled gpt-4o entry gets today's price, keeping its name.
    assert api["gpt-4o"].name == "GPT-4o" and api["gpt-4o"].as_of == TODAY
    # claude-3.5-sonnet: Anthropic's own dated spellings agree, so it is refreshed too.
    sonnet = api["claude-3.5-sonnet"]
    assert (sonnet.input_per_mtok, sonnet.output_per_mtok) == (3.3, 16.5)
    assert sonnet.source == SOURCE and sonnet.as_of == TODAY
    assert "Bundled prices refreshed: claude-3.5-sonnet, gpt-4o, groq-llama-3.3-70b." in out
    # groq/llama-3.3-70b-versatile is Groq's own: the bundled Groq entry is refreshed.
    assert api["groq-llama-3.3-70b"].as_of == TODAY
    # A reseller's price (Bedrock) does not refresh Anthropic's claude-3.5-haiku.
    assert api["claude-3.5-haiku"].source != SOURCE
    for model_id in ("gpt-4o", "azure/gpt-4o", "llama-3.3-70b-versatile"):
        assert api[model_id].source == SOURCE and api[model_id].as_of == TODAY
    assert "text-embedding-3-small" not in api and "dall-e-3" not in api


def test_merges_into_an_existing_catalog_keeping_it(
    tmp_path: Path, prices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "catalog.toml"
    target.write_text(USER_CATALOG)
    assert run(prices, target) == 0
    out = capsys.readouterr().out
    assert f"Updated {target}: 9 added, 1 updated, 5 skipped" in out
    text = target.read_text()
    assert "# My own prices, negotiated in September." in text
    assert "# signed 2026-09-01" in text
    data = tomllib.loads(text)
    assert data["api_models"]["our-gateway"]["input_per_mtok"] == 1.0
    assert data["api_models"]["gpt-4.1-mini"]["input_per_mtok"] == 0.4  # updated
    assert data["api_models"]["gpt-4.1-mini"]["source"] == SOURCE
    load_catalog(target)
    # Again: nothing new, everything updated.
    assert run(prices, target) == 0
    assert f"Updated {target}: 0 added, 10 updated" in capsys.readouterr().out


def test_imported_prices_are_not_stale(
    tmp_path: Path,
    prices: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "catalog.toml"
    assert run(prices, target) == 0
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["catalog", "--catalog", str(target)]) == 0
    rows = {
        line.split("│")[1].strip(): line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("│")
    }
    assert "stale" not in rows["gpt-4o"] and "2026-11-26" in rows["gpt-4o"]
    assert "stale" not in rows["azure/gpt-4o"]
    assert "stale" not in rows["claude-3.5-haiku"]  # bundled from genai-prices, 2026-11-30


def test_provider_keeps_only_those_providers(
    tmp_path: Path, prices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "catalog.toml"
    args = ["catalog", "import-litellm", str(prices), "--into", str(target)]
    assert main([*args, "--provider", "anthropic", "--provider", "Groq"]) == 0
    out = capsys.readouterr().out
    assert "5 from other providers" in out
    imported = tomllib.loads(target.read_text())["api_models"]
    assert set(imported) == {
        "claude-3-5-sonnet-20241022",
        "claude-3-5-sonnet-latest",
        "claude-3.5-sonnet",
        "llama-3.3-70b-versatile",
        "groq-llama-3.3-70b",
    }


def test_the_default_target_is_the_user_catalog(
    tmp_path: Path, prices: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert main(["catalog", "import-litellm", str(prices)]) == 0
    assert (tmp_path / "xdg" / "advisor" / "catalog.toml").is_file()
    explicit = tmp_path / "explicit.toml"
    monkeypatch.setenv("ADVISOR_CATALOG", str(explicit))
    assert main(["catalog", "import-litellm", str(prices)]) == 0
    assert explicit.is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{broken", "is not valid JSON"),
        ("[1, 2]", "is not LiteLLM's price list"),
        ('{"x": {"mode": "embedding"}}', "has no chat or completion model"),
    ],
)
def test_bad_price_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source = tmp_path / "prices.json"
    source.write_text(content)
    target = tmp_path / "catalog.toml"
    assert run(source, target) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not target.exists()


def test_a_broken_user_catalog_is_not_overwritten(
    tmp_path: Path, prices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "catalog.toml"
    broken = '[api_models."x"]\nname = "X"\n'  # no prices, no source: does not load
    target.write_text(broken)
    assert run(prices, target) == 2
    assert str(target) in capsys.readouterr().err
    assert target.read_text() == broken


def test_a_missing_price_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path / "nope.json", tmp_path / "catalog.toml") == 2
    assert "no such file" in capsys.readouterr().err


def test_catalog_alone_still_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog"]) == 0
    assert "API models" in capsys.readouterr().out


# -- hostile price files: a message, never a traceback; no price written as inf -----------------


def litellm(tmp_path: Path, text: str) -> tuple[int, Path]:
    source = tmp_path / "prices.json"
    source.write_text(text)
    target = tmp_path / "catalog.toml"
    return main(["catalog", "import-litellm", str(source), "--into", str(target)]), target


GOOD = {
    "gpt-4o": {
        "input_cost_per_token": 2.5e-06,
        "output_cost_per_token": 1e-05,
        "litellm_provider": "openai",
        "mode": "chat",
    }
}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": ' + "[" * 5_000 + "]" * 5_000 + "}", "JSON nested too deep"),
        ('{"a": {"input_cost_per_token": ' + "1" * 5_000 + "}}", "a number too long to read"),
    ],
    ids=["deep", "digits"],
)
def test_litellm_deep_json_and_long_numbers_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    code, target = litellm(tmp_path, text)
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize(
    "price", [1e308, 1e300, 0.011, 10**400], ids=["1e308", "1e300", "0.011", "401-digits"]
)
def test_litellm_absurd_prices_are_skipped_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], price: float
) -> None:
    """$0.011 a token is $11,000 per M tokens: above the $10,000 a profile accepts."""
    absurd = {"input_cost_per_token": price, "output_cost_per_token": 1e-05}
    data = {**GOOD, "absurd": {**absurd, "litellm_provider": "openai", "mode": "chat"}}
    text = (
        json.dumps(data)
        if isinstance(price, float)
        else json.dumps(data).replace(json.dumps(price), "1" + "0" * 400)
    )
    code, target = litellm(tmp_path, text)
    out = capsys.readouterr().out
    assert code == 0
    assert "1 with a price not finite or above $10,000 per M tokens" in out
    written = target.read_text()
    assert "absurd" not in written and "inf" not in written


def test_litellm_only_absurd_prices_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = {**GOOD["gpt-4o"], "input_cost_per_token": 1e308}
    code, target = litellm(tmp_path, json.dumps({"gpt-4o": spec}))
    assert code == 2 and "has no chat or completion model" in capsys.readouterr().err
    assert not target.exists()
