"""Real production traffic: Azure's public LLM inference traces of 2023 (CC BY 4.0; see
data/azure_llm_2023/README.md), each an hour of one service.

Every figure is checked against an independent computation written here from the raw rows:
the timestamps parsed by hand, per-minute counts in plain lists, percentiles by `statistics`
over the whole minutes only (advisor also weighs in the two partial minutes at the ends).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import statistics
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest

from advisor.cli import main
from advisor.core.catalog.load import default_catalog
from advisor.usage.summary import analyse, variability_of

DATA = Path(__file__).parent / "data" / "azure_llm_2023"
CONV = DATA / "AzureLLMInferenceTrace_conv.csv.gz"
CODE = DATA / "AzureLLMInferenceTrace_code.csv.gz"
CATALOG = default_catalog()


class Trace(NamedTuple):
    stamps: list[float]  # Unix seconds
    inputs: list[int]
    outputs: list[int]


def read_trace(path: Path) -> Trace:
    with gzip.open(path, "rb") as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
    stamps = []
    for row in rows:
        day, clock = row["TIMESTAMP"].split(" ")
        year, month, date = (int(x) for x in day.split("-"))
        hour, minute, second = clock.split(":")
        midnight = datetime(year, month, date, tzinfo=UTC).timestamp()
        stamps.append(midnight + int(hour) * 3600 + int(minute) * 60 + float(second))
    return Trace(
        stamps, [int(r["ContextTokens"]) for r in rows], [int(r["GeneratedTokens"]) for r in rows]
    )


def q(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


class Expected(NamedTuple):
    requests: int
    requests_per_day: float
    input_mean: float
    output_mean: float
    peak_to_average: float  # p95 of whole minutes ÷ the mean minute over the span
    burst_to_average: float  # p99 of whole minutes ÷ their hour's mean minute


def expected(trace: Trace) -> Expected:
    n = len(trace.stamps)
    first, last = min(trace.stamps), max(trace.stamps)
    span = last - first
    per_minute = Counter(math.floor(t / 60) for t in trace.stamps)
    per_hour = Counter(math.floor(t / 3600) for t in trace.stamps)
    whole = range(math.floor(first / 60) + 1, math.floor(last / 60))  # minutes wholly inside
    counts = [per_minute[m] for m in whole]
    ratios = []
    for m in whole:
        hour = m // 60
        covered = min(last, (hour + 1) * 3600) - max(first, hour * 3600)
        ratios.append(per_minute[m] / (per_hour[hour] / (covered / 60)))
    return Expected(
        n,
        n / span * 86400,
        statistics.fmean(trace.inputs),
        statistics.fmean(trace.outputs),
        q(counts, 95) / (n / (span / 60)),
        q(ratios, 99),
    )


@pytest.fixture(scope="module", params=[CONV, CODE], ids=["conv", "code"])
def trace(request: pytest.FixtureRequest) -> tuple[Path, Expected]:
    path = request.param
    return path, expected(read_trace(path))


def test_the_fixtures_are_the_whole_traces() -> None:
    """The figures the issue quotes for the conversation service: 19,366 requests, 18:15 to
    19:14 UTC, about 478,000 a day; per-minute p95 over mean about 1.4."""
    conv = expected(read_trace(CONV))
    assert conv.requests == 19_366
    assert conv.requests_per_day == pytest.approx(478_000, rel=0.002)
    assert conv.peak_to_average == pytest.approx(1.4, abs=0.05)
    assert expected(read_trace(CODE)).requests == 8_819


def test_a_trace_gives_its_rate_tokens_and_bursts(trace: tuple[Path, Expected]) -> None:
    path, want = trace
    s = analyse([path], CATALOG)  # gzip and the Azure columns, both detected
    assert [(f.format, f.bad) for f in s.files] == [("azure", 0)]
    assert s.requests == want.requests
    assert s.window.kind == "span" and s.window.seconds < 3600
    assert s.requests_per_day == pytest.approx(want.requests_per_day, rel=1e-9)
    assert s.inputs.mean == pytest.approx(want.input_mean, rel=1e-12)
    assert s.outputs.mean == pytest.approx(want.output_mean, rel=1e-12)
    assert s.resolution == "minute"
    assert s.peak_to_average == pytest.approx(want.peak_to_average, rel=0.01)
    assert s.variability == variability_of(want.peak_to_average)
    assert s.burst_to_average == pytest.approx(want.burst_to_average, rel=0.01)
    assert s.hourly_load is None and s.hour_of_day is None  # under a day: no daily shape
    # No model column: the model is unknown, not invented, and nothing is priced.
    assert [u.name for u in s.models] == ["(no model)"]
    assert s.api_model is None and s.bill == 0 and "api" not in s.profile_values()
    assert any("less than a day" in w and "weekly shape" in w for w in s.warnings)


def test_the_conversation_service_is_steady_inside_its_hour() -> None:
    s = analyse([CONV], CATALOG)
    assert s.variability == "steady" and 1.35 < s.peak_to_average < 1.5
    assert s.profile_values()["workload"]["requests_per_day"] == pytest.approx(477_828, rel=1e-5)


def test_the_format_can_be_named(tmp_path: Path) -> None:
    plain = tmp_path / "conv.csv"
    plain.write_bytes(gzip.decompress(CONV.read_bytes()))
    by_name = analyse([plain], CATALOG, "azure")
    detected = analyse([CONV], CATALOG)
    assert by_name.requests_per_day == detected.requests_per_day
    assert by_name.peak_to_average == detected.peak_to_average


def test_the_bill_is_projected_from_the_window(tmp_path: Path) -> None:
    """The trace as the generic CSV with a model: the month's bill is the window's bill ÷ the
    window (58 minutes), not ÷ a calendar day."""
    raw = read_trace(CONV)
    log = tmp_path / "conv-gpt-4o.csv"
    with log.open("w") as out:
        out.write("timestamp,model,input_tokens,output_tokens\n")
        for at, n_in, n_out in zip(raw.stamps, raw.inputs, raw.outputs, strict=True):
            out.write(f"{at:.6f},gpt-4o,{n_in},{n_out}\n")
    s = analyse([log], CATALOG)
    price = CATALOG.api_models["gpt-4o"]
    bill = (sum(raw.inputs) * price.input_per_mtok + sum(raw.outputs) * price.output_per_mtok) / 1e6
    span_days = (max(raw.stamps) - min(raw.stamps)) / 86400
    assert s.bill == pytest.approx(bill)
    assert s.monthly_bill == pytest.approx(bill / span_days * 30)
    assert s.requests_per_day == pytest.approx(expected(raw).requests_per_day, rel=1e-6)


def test_cli_json_and_the_minute_chart(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    want = expected(read_trace(CONV))
    assert main(["import-usage", str(CONV), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["requests"] == want.requests
    assert data["requests_per_day"] == pytest.approx(want.requests_per_day, rel=1e-9)
    assert data["window"]["kind"] == "span"
    assert data["peak_resolution"] == "minute"
    assert data["peak_to_average"] == pytest.approx(want.peak_to_average, rel=0.01)
    assert data["burst_to_average"] == pytest.approx(want.burst_to_average, rel=0.01)
    assert data["hourly_load"] is None
    assert {"window", "peak_to_average", "burst_to_average", "hourly_load"} <= set(
        data["definitions"]
    )
    assert main(["import-usage", str(CONV)]) == 0
    out = capsys.readouterr().out
    assert "Requests per minute (UTC)" in out and "Hourly load" not in out
    chart = next(line for line in out.splitlines()[1:] if "▁" in line or "█" in line)
    assert len(chart.strip()) == 60  # one column a minute, 18:15 to 19:14 inclusive
    assert "18:15" in out and "19:14" in out
    assert "58 min 22 s, 2023-11-16 18:15:46 to 19:14:08 UTC" in out
    assert "peak_to_average is per minute" in out


def test_a_log_that_is_not_a_trace_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.csv"
    log.write_text("timestamp,model,input_tokens,output_tokens\n2024-05-01T10:00:00Z,x,1,1\n")
    assert main(["import-usage", str(log), "--format", "azure"]) == 2
    err = capsys.readouterr().err
    assert "is not an Azure trace: its header lacks contexttokens, generatedtokens" in err
