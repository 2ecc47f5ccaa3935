"""The bundled API prices come from genai-prices, by a script that reproduces them, and agree
with genai-prices' own price calculation (an independent code path: `calc_price`)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, time
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from genai_prices import Usage
from genai_prices.data import providers as PROVIDERS

from advisor.core.catalog.load import bundled_raw, construct, validate_catalog
from advisor.core.paths import BUNDLED
from advisor.prices.data import package_data
from advisor.prices.entries import build
from advisor.prices.toml_out import as_table, render

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_FILE = BUNDLED / "api_models.toml"
TEXT = BUNDLED_FILE.read_text(encoding="utf-8")
ENTRIES: dict[str, dict[str, Any]] = tomllib.loads(TEXT)["api_models"]
AS_OF: date = next(iter(ENTRIES.values()))["as_of"]
BY_ID = {p.id: p for p in PROVIDERS}


def bundled_version() -> str:
    found = re.search(r"pydantic/genai-prices (\S+) data", TEXT.splitlines()[0])
    assert found, TEXT.splitlines()[0]
    return found.group(1)


def test_the_pin_the_package_and_the_bundled_file_name_one_version() -> None:
    """pyproject pins genai-prices to the version the bundled file was made from, so a clean
    install regenerates it exactly; a bump of one without the others fails here, by name."""
    pinned = re.search(r'"genai-prices==([^"]+)"', (ROOT / "pyproject.toml").read_text())
    assert pinned, "pyproject.toml must pin genai-prices (the bundled file is made from it)"
    installed = version("genai-prices")
    assert installed == pinned.group(1), (
        f"genai-prices {installed} is installed but pyproject pins {pinned.group(1)}: "
        "reinstall (make test does) before checking the bundled prices"
    )
    assert bundled_version() == installed, (
        f"api_models.toml was made from genai-prices {bundled_version()}, {installed} is "
        f"pinned: run python scripts/build_api_catalog.py --as-of {AS_OF} (or today)"
    )


def test_the_script_reproduces_the_bundled_file(tmp_path: Path) -> None:
    out = tmp_path / "api_models.toml"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_api_catalog.py"),
            "--as-of",
            AS_OF.isoformat(),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "23 closed + 47 hosted entries" in done.stderr
    assert out.read_text(encoding="utf-8") == TEXT


def test_another_day_gives_entries_the_catalog_accepts() -> None:
    """Before the data's batch prices start (2026-10-14), the hand-kept 50% is used, marked so;
    whatever the day, the entries load as a catalog, and every history ends at the price in
    force."""
    data = package_data()
    day = date(2026, 3, 1)
    built = build(data.providers, day)
    text = render(built, day, data.source)
    raw = tomllib.loads(text)
    merged = {**bundled_raw(), "api_models": raw["api_models"]}
    catalog = validate_catalog(merged, "generated")
    assert len(catalog.api_models) == len(built.entries) > 60
    assert "batch_discount = 0.5  # hand-kept" in text
    for model_id, entry in catalog.api_models.items():
        assert entry.as_of == day
        assert entry.price_on(day) == (
            entry.input_per_mtok,
            entry.output_per_mtok,
            entry.cached_input_per_mtok,
        ), model_id
    tables = {e.id: as_table(e, day, data.source) for e in built.entries}
    validate_catalog({**bundled_raw(), "api_models": tables}, "as tables")


def _ref(entry: dict[str, Any]) -> tuple[Any, Any]:
    found = re.match(r"genai-prices (\S+?)/(.+?)(;|$)", entry["notes"])
    assert found, entry["notes"]
    provider = BY_ID[found.group(1)]
    model = next(m for m in provider.models if m.id == found.group(2))
    return provider, model


def _per_mtok(total: Decimal, tokens: int) -> Decimal:
    return total * 1_000_000 / tokens


def _close(ours: float, theirs: Decimal) -> bool:
    return abs(Decimal(str(ours)) - theirs) <= Decimal("1e-9")


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@pytest.mark.parametrize("model_id", sorted(ENTRIES))
def test_every_bundled_price_is_what_calc_price_charges(model_id: str) -> None:
    entry = ENTRIES[model_id]
    provider, model = _ref(entry)
    at, n = _noon(entry["as_of"]), 1000
    plain = model.calc_price(
        Usage(input_tokens=n, output_tokens=n), provider, genai_request_timestamp=at
    )
    assert _close(entry["input_per_mtok"], _per_mtok(plain.input_price, n))
    assert _close(entry["output_per_mtok"], _per_mtok(plain.output_price, n))
    if "cached_input_per_mtok" in entry:
        cached = model.calc_price(
            Usage(input_tokens=n, cache_read_tokens=n), provider, genai_request_timestamp=at
        )
        assert _close(entry["cached_input_per_mtok"], _per_mtok(cached.input_price, n))
    for tier in entry.get("tiers", []):
        k = tier["above_input_tokens"] + 1
        above = model.calc_price(
            Usage(input_tokens=k, output_tokens=k), provider, genai_request_timestamp=at
        )
        assert _close(tier["input_per_mtok"], _per_mtok(above.input_price, k))
        assert _close(tier["output_per_mtok"], _per_mtok(above.output_price, k))
    block = TEXT.split(f'[api_models."{model_id}"]')[1].split("\n[api_models")[0]
    if "batch_discount" in entry and "hand-kept" not in block:
        batch = model.calc_price(
            Usage(input_tokens=n, output_tokens=n),
            provider,
            genai_request_timestamp=at,
            price_context={"processing": "batch"},
        )
        expected = entry["input_per_mtok"] * (1 - entry["batch_discount"])
        assert _close(expected, _per_mtok(batch.input_price, n))


HISTORIES = sorted(i for i, e in ENTRIES.items() if e.get("history"))


def test_price_changes_are_in_the_bundled_file() -> None:
    assert {"openrouter-llama-3.3-70b", "novita-llama-3.3-70b"} <= set(HISTORIES)


@pytest.mark.parametrize("model_id", HISTORIES)
def test_the_price_on_each_day_is_what_calc_price_charged_that_day(model_id: str) -> None:
    """ApiModel.price_on(day), from the bundled history, against genai-prices' calculation for
    a request on that day: at each change, the day before it, and the as-of day."""
    raw = ENTRIES[model_id]
    provider, model = _ref(raw)
    entry = construct({**bundled_raw(), "api_models": {model_id: raw}}).api_models[model_id]
    days = {raw["as_of"]}
    for change in raw["history"][1:]:
        days |= {change["since"], date.fromordinal(change["since"].toordinal() - 1)}
    n = 1_000_000
    for day in sorted(days):
        charged = model.calc_price(
            Usage(input_tokens=n, output_tokens=n), provider, genai_request_timestamp=_noon(day)
        )
        price_in, price_out, _ = entry.price_on(day)
        assert _close(price_in, _per_mtok(charged.input_price, n)), day
        assert _close(price_out, _per_mtok(charged.output_price, n)), day


def test_retirements_carry_their_dates_and_sources() -> None:
    sonnet_35, sonnet_4 = ENTRIES["claude-3.5-sonnet"], ENTRIES["claude-sonnet-4"]
    assert sonnet_35["retired"] == date(2025, 10, 22)
    assert sonnet_4["retired"] == date(2026, 6, 15)
    assert sonnet_35["successor"] == sonnet_4["successor"] == "claude-sonnet-4.6"
    for line in TEXT.splitlines():
        if line.startswith(("retired = 2025-10-22", "retired = 2026-06-15")):
            assert "figures.md" in line and "Anthropic" in line
    assert "retired" not in ENTRIES["claude-sonnet-4.6"]
