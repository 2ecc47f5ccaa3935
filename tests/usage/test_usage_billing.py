"""Usage logs say what was cached and what was paid: the measured cache share from OpenAI and
Anthropic logs, each request priced at the price in force on its day (computed here
independently, request by request), and the bill computed against what was paid."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cache_logs import cached_requests, cached_share, write_anthropic, write_responses_api
from usage_logs import (
    Request,
    write_csv,
    write_litellm_csv,
    write_litellm_jsonl,
    write_openai,
)

from advisor.cli import main
from advisor.core.catalog.load import default_catalog, load_catalog
from advisor.core.errors import InputError
from advisor.usage import accumulator
from advisor.usage.summary import UsageSummary, analyse
from advisor.usage.summary_json import summary_json

CATALOG = default_catalog()
GPT = "gpt-4o-2024-08-06"  # the catalog's gpt-4o: $2.50 in, $10 out, $1.25 cached, batch 50%
SONNET = "claude-sonnet-4-6"  # claude-sonnet-4.6: $3 in, $15 out, $0.30 cached, batch 50%
PRICE = {GPT: (2.5, 10.0, 1.25), SONNET: (3.0, 15.0, 0.3)}


def cost(r: Request, prices: tuple[float, float, float], batch: bool = False) -> float:
    """One request as billed, by hand: cache reads at the cached price, writes as input."""
    price_in, price_out, price_cached = prices
    uncached = r.input_tokens - r.cached_tokens
    total = (
        uncached * price_in + r.cached_tokens * price_cached + r.output_tokens * price_out
    ) / 1e6
    return total / 2 if batch else total


WRITE = {
    "openai": lambda p, rows: write_openai(p, rows, batch=False, details=True),
    "openai-batch": lambda p, rows: write_openai(p, rows, batch=True, details=True),
    "responses": write_responses_api,
    "anthropic": write_anthropic,
    "anthropic-plain": lambda p, rows: write_anthropic(p, rows, nested=False),
    "litellm-jsonl": write_litellm_jsonl,
    "litellm-csv": write_litellm_csv,
}
# Claude directly and through LiteLLM (whose metadata says the cache writes); GPT-4o elsewhere.
MODEL_OF = {k: SONNET if k.startswith(("anthropic", "litellm-jsonl")) else GPT for k in WRITE}


@pytest.mark.parametrize("kind", sorted(WRITE))
def test_the_cached_share_is_measured_within_one_percent(tmp_path: Path, kind: str) -> None:
    rows = cached_requests(MODEL_OF[kind])
    truth = cached_share(rows)
    assert 0.4 < truth < 0.8  # a support bot: most of the input is the cached system prompt
    s = analyse([WRITE[kind](tmp_path / "log", rows)], CATALOG)
    assert s.files[0].bad == 0
    measured = s.cached_input_share
    assert measured is not None and abs(measured - truth) <= 0.01 * truth
    assert s.profile_values()["api"]["cached_input_share"] == pytest.approx(truth, abs=1e-4)
    # Anthropic's input_tokens leave the cache out: the input is the three added up.
    assert s.inputs.total == sum(r.input_tokens for r in rows)
    assert s.cached_tokens == sum(r.cached_tokens for r in rows)
    assert s.written_tokens == sum(r.cache_write_tokens for r in rows)
    assert (s.written_tokens > 0) == (MODEL_OF[kind] == SONNET)  # OpenAI reports no writes


@pytest.mark.parametrize("kind", sorted(WRITE))
def test_cached_tokens_are_billed_at_the_cached_price(tmp_path: Path, kind: str) -> None:
    rows = cached_requests(MODEL_OF[kind])
    prices = PRICE[MODEL_OF[kind]]

    def batched(i: int) -> bool:  # Batch API lines, as the writers make them
        if kind == "openai-batch":
            return i % 3 == 2
        return kind == "anthropic" and i % 7 == 6

    expected = sum(cost(r, prices, batched(i)) for i, r in enumerate(rows))
    s = analyse([WRITE[kind](tmp_path / "log", rows)], CATALOG)
    assert s.bill == pytest.approx(expected, rel=1e-9)
    at_list_price = sum(
        cost(r._replace(cached_tokens=0), prices, batched(i)) for i, r in enumerate(rows)
    )
    saved = sum(r.cached_tokens * (prices[0] - prices[2]) for r in rows) / 1e6
    assert s.bill < at_list_price and saved > 0


@pytest.mark.parametrize("kind", ["openai", "anthropic-plain", "litellm-jsonl", "litellm-csv"])
def test_clean_cached_logs_take_the_fast_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    rows = cached_requests(MODEL_OF[kind])
    log = WRITE[kind](tmp_path / "log", rows)

    def no_rows(*args: object, **kwargs: object) -> None:
        raise AssertionError("a clean log went row by row")

    monkeypatch.setattr(accumulator.Accumulator, "add_row", no_rows)
    s = analyse([log], CATALOG)
    assert s.cached_input_share == pytest.approx(cached_share(rows), rel=1e-9)


def test_logs_that_do_not_say_measure_no_cache_share(tmp_path: Path) -> None:
    rows = cached_requests(GPT)
    s = analyse([write_openai(tmp_path / "log", rows, details=False)], CATALOG)
    assert s.cached_input_share is None
    assert "cached_input_share" not in s.profile_values()["api"]


def test_a_generic_csv_with_cache_and_cost_columns(tmp_path: Path) -> None:
    rows = cached_requests(GPT, days=2)
    log = tmp_path / "log.csv"
    lines = ["timestamp,model,input_tokens,output_tokens,cached_input_tokens,cost"]
    for r in rows:
        stamp = r.at.strftime("%Y-%m-%dT%H:%M:%SZ")
        paid = cost(r, PRICE[GPT])
        lines.append(
            f"{stamp},{r.model},{r.input_tokens},{r.output_tokens},{r.cached_tokens},{paid}"
        )
    log.write_text("\n".join(lines) + "\n")
    s = analyse([log], CATALOG)
    assert s.cached_input_share == pytest.approx(cached_share(rows), rel=1e-9)
    assert s.reconciliation is not None and not s.reconciliation.flagged
    assert s.reconciliation.paid == pytest.approx(s.bill, rel=1e-6)


def test_more_cache_than_input_is_a_bad_row(tmp_path: Path) -> None:
    rows = cached_requests(GPT, days=2)
    log = write_openai(tmp_path / "log", rows, batch=False, details=True)
    lines = log.read_text().splitlines()
    bad = json.loads(lines[5])
    bad["usage"]["prompt_tokens_details"]["cached_tokens"] = bad["usage"]["prompt_tokens"] + 1
    lines[5] = json.dumps(bad)
    log.write_text("\n".join(lines) + "\n")
    s = analyse([log], CATALOG)
    assert s.files[0].bad == 1
    assert "cache reads and writes" in s.files[0].examples[0][1]


def test_the_import_writes_the_measured_share_and_the_report_prices_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = cached_requests(SONNET)
    log = write_anthropic(tmp_path / "messages.jsonl", rows)
    profile = tmp_path / "measured.toml"
    assert main(["import-usage", str(log), "--output", str(profile)]) == 0
    out = capsys.readouterr().out
    assert "Prompt cache:" in out and "cached_input_share" in out
    written = tomllib.loads(profile.read_text())["api"]
    assert written["model"] == "claude-sonnet-4.6"
    assert written["cached_input_share"] == pytest.approx(cached_share(rows), abs=1e-4)
    assert written["batch_share"] == pytest.approx(
        sum(i % 7 == 6 for i in range(len(rows))) / len(rows), abs=1e-4
    )
    assert main(["report", str(profile), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    measured = tomllib.loads(profile.read_text())["workload"]
    n_in, n_out = measured["input_tokens"], measured["output_tokens"]
    share, batch = written["cached_input_share"], written["batch_share"]
    standard = (n_in * (1 - share) * 3.0 + n_in * share * 0.3 + n_out * 15.0) / 1e6
    assert report["api"]["cost_per_request"] == pytest.approx(standard * (1 - batch * 0.5))


# -- each request at the price in force on its day ------------------------------------------

ACME = """
[api_models."acme-chat"]
name = "Acme Chat"
provider = "Acme"
input_per_mtok = 4.0
output_per_mtok = 8.0
cached_input_per_mtok = 0.4
source = "test"
as_of = 2026-01-10
[[api_models."acme-chat".history]]
since = 2025-12-01
input_per_mtok = 1.0
output_per_mtok = 2.0
cached_input_per_mtok = 0.1
[[api_models."acme-chat".history]]
since = 2026-01-04
input_per_mtok = 4.0
output_per_mtok = 8.0
cached_input_per_mtok = 0.4
"""
ACME_START = datetime(2026, 1, 2, tzinfo=UTC)
CHANGE = date(2026, 1, 4)


def acme_price(day: date) -> tuple[float, float, float]:
    return (1.0, 2.0, 0.1) if day < CHANGE else (4.0, 8.0, 0.4)


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(ACME)
    return path


def test_each_request_is_priced_at_the_price_of_its_day(tmp_path: Path, acme: Path) -> None:
    rows = cached_requests("acme-chat", days=4, start=ACME_START)
    expected = sum(cost(r, acme_price(r.at.date())) for r in rows)
    before = sum(cost(r, acme_price(r.at.date())) for r in rows if r.at.date() < CHANGE)
    assert 0 < before < expected  # both sides of the change are in the window
    s = analyse(
        [write_openai(tmp_path / "log", rows, batch=False, details=True)], load_catalog(acme)
    )
    assert s.bill == pytest.approx(expected, rel=1e-9)
    assert s.price_changes == {"acme-chat": [CHANGE]}
    at_today = sum(cost(r, acme_price(CHANGE)) for r in rows)
    assert s.bill < 0.9 * at_today


def test_a_price_change_in_the_bundled_data_is_followed(tmp_path: Path) -> None:
    """Novita's Llama 3.3 70B went from $0.39/$0.39 to $0.135/$0.40 on 2026-10-18
    (genai-prices data)."""
    start = datetime(2026, 10, 16, tzinfo=UTC)
    rows = [
        Request(start + timedelta(hours=h), "novita-llama-3.3-70b", 3000 + 7 * h, 400 + h)
        for h in range(4 * 24)
    ]

    def novita(day: date) -> tuple[float, float, float]:
        return (0.39, 0.39, 0.39) if day < date(2026, 10, 18) else (0.135, 0.40, 0.135)

    expected = sum(cost(r, novita(r.at.date())) for r in rows)
    s = analyse([write_csv(tmp_path / "log.csv", rows)], CATALOG)
    assert s.bill == pytest.approx(expected, rel=1e-9)
    assert s.price_changes == {"novita-llama-3.3-70b": [date(2026, 10, 18)]}


# -- computed against paid ---------------------------------------------------------------


def reconciled(
    tmp_path: Path, rows: list[Request], paid: object, catalog: object = CATALOG
) -> UsageSummary:
    log = write_litellm_jsonl(tmp_path / "spend.jsonl", rows, spend=paid)  # type: ignore[arg-type]
    return analyse([log], catalog)  # type: ignore[arg-type]


def test_a_bill_within_five_percent_is_not_flagged(tmp_path: Path) -> None:
    rows = cached_requests(GPT)
    s = reconciled(tmp_path, rows, lambda r: cost(r, PRICE[GPT]) * 1.03)
    r = s.reconciliation
    assert r is not None and not r.flagged and r.explanations == []
    assert r.share == pytest.approx(0.03 / 1.03, rel=1e-6)
    assert "within the 5%" in r.described()
    assert not any("reconcil" in w for w in s.warnings)


def test_cache_writes_explain_what_anthropic_charged_above_the_computed_bill(
    tmp_path: Path,
) -> None:
    """Anthropic bills a 5-minute cache write at 1.25x the input price: $3.75 on Sonnet 4.6."""
    rows = [
        r._replace(cached_tokens=0, cache_write_tokens=r.input_tokens - 100) if i % 3 == 0 else r
        for i, r in enumerate(cached_requests(SONNET))
    ]

    def charged(r: Request) -> float:
        return cost(r, PRICE[SONNET]) + r.cache_write_tokens * 0.75 / 1e6

    s = reconciled(tmp_path, rows, charged)
    r = s.reconciliation
    assert r is not None and r.flagged, r and r.share
    premium = sum(x.cache_write_tokens for x in rows) * 0.75 / 1e6
    assert r.gap == pytest.approx(premium, rel=1e-6)
    (writes,) = r.explanations
    assert writes.known and "cache-write tokens" in writes.reason and "1.25x" in writes.reason
    assert writes.amount == pytest.approx(premium, rel=1e-6)
    assert abs(r.unexplained) < 1e-6 * r.paid
    assert "Not explained" not in r.described()
    assert any("differ by" in w for w in s.warnings)


def test_a_model_missing_from_the_catalog_explains_its_spend(tmp_path: Path) -> None:
    rows = cached_requests(GPT)
    rows += [r._replace(model="my-finetune-v7") for r in cached_requests(GPT, seed=3)[:300]]

    def paid(r: Request) -> float:
        return 0.02 if r.model == "my-finetune-v7" else cost(r, PRICE[GPT])

    s = reconciled(tmp_path, rows, paid)
    r = s.reconciliation
    assert r is not None and r.flagged
    (lost,) = r.explanations
    assert lost.known and "my-finetune-v7" in lost.reason and "300 requests" in lost.reason
    assert lost.amount == pytest.approx(300 * 0.02, rel=1e-6)
    assert abs(r.unexplained) < 1e-6 * r.paid


def test_paying_less_than_computed_fits_the_batch_discount(tmp_path: Path) -> None:
    rows = cached_requests(GPT)
    s = reconciled(tmp_path, rows, lambda r: cost(r, PRICE[GPT]) * 0.7)
    r = s.reconciliation
    assert r is not None and r.flagged
    (batch,) = r.explanations
    assert not batch.known and "fits about 60% of the requests sent through a batch API" in (
        batch.reason
    )
    assert batch.amount == pytest.approx(r.gap, rel=1e-6)


def test_a_price_change_the_payer_did_not_follow_is_named(tmp_path: Path, acme: Path) -> None:
    rows = cached_requests("acme-chat", days=4, start=ACME_START)
    s = reconciled(
        tmp_path, rows, lambda r: cost(r, acme_price(ACME_START.date())), load_catalog(acme)
    )
    r = s.reconciliation
    assert r is not None and r.flagged
    (change,) = r.explanations
    assert "price changed inside the window (acme-chat on 2026-01-04)" in change.reason
    assert "first day" in change.reason
    assert abs(r.unexplained) < 1e-6 * r.paid


def test_what_nothing_in_the_logs_explains_is_said(tmp_path: Path) -> None:
    rows = cached_requests(GPT)
    s = reconciled(tmp_path, rows, lambda r: cost(r, PRICE[GPT]) * 1.2)
    r = s.reconciliation
    assert r is not None and r.flagged and r.explanations == []
    assert "Not explained by the logs: +$" in r.described()
    assert "negotiated discounts or credits" in r.described()


def test_a_partial_record_of_what_was_paid_is_not_reconciled(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "timestamp,model,input_tokens,output_tokens,cost\n"
        "2026-01-02T10:00:00Z,gpt-4o,1000,100,0.0035\n"
        "2026-01-02T11:00:00Z,gpt-4o,1000,100,\n"
    )
    s = analyse([log], CATALOG)
    assert s.reconciliation is None
    assert any("Only 1 of the 2 requests record what was paid" in w for w in s.warnings)


def test_litellm_cache_hits_cost_nothing_and_are_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = cached_requests(GPT)
    rows = [r._replace(proxy_hit=i % 10 == 0) for i, r in enumerate(rows)]

    def paid(r: Request) -> float:
        return 0.0 if r.proxy_hit else cost(r, PRICE[GPT])

    s = reconciled(tmp_path, rows, paid)
    assert s.bill == pytest.approx(sum(paid(r) for r in rows), rel=1e-9)
    assert s.proxy_hits == sum(r.proxy_hit for r in rows)
    assert s.reconciliation is not None and not s.reconciliation.flagged
    assert any("answered from LiteLLM's own cache" in w for w in s.warnings)
    data = summary_json(s)
    assert data["reconciliation"]["over_tolerance"] is False  # type: ignore[index]


def test_the_reconciliation_is_printed_and_in_the_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    rows = cached_requests(GPT)
    log = write_litellm_jsonl(
        tmp_path / "spend.jsonl", rows, spend=lambda r: cost(r, PRICE[GPT]) * 1.2
    )
    assert main(["import-usage", str(log)]) == 0
    out = capsys.readouterr().out
    assert "Computed against paid" in out and "over 5%" in out
    assert main(["import-usage", str(log), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rec = data["reconciliation"]
    assert rec["over_tolerance"] is True and rec["gap_share"] == pytest.approx(0.2 / 1.2, rel=1e-6)
    assert data["cache"]["cached_input_share"] == pytest.approx(cached_share(rows), rel=1e-9)


def test_anthropic_messages_by_name_and_without_a_time(tmp_path: Path) -> None:
    rows = cached_requests(SONNET, days=1)
    log = write_anthropic(tmp_path / "messages.jsonl", rows, nested=False)
    s = analyse([log], CATALOG, "anthropic")
    assert s.files[0].format == "anthropic" and s.requests == len(rows)
    lines = log.read_text().splitlines()
    untimed = json.loads(lines[3])
    del untimed["created_at"]
    lines[3] = json.dumps(untimed)
    log.write_text("\n".join(lines) + "\n")
    s = analyse([log], CATALOG)
    assert s.files[0].bad == 1 and "no time" in s.files[0].examples[0][1]
    openai = write_openai(tmp_path / "openai.jsonl", rows, details=True)
    with pytest.raises(InputError, match="is not an Anthropic message log"):
        analyse([openai], CATALOG, "anthropic")
