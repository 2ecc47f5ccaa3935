"""Traffic as production services send it: Azure's public LLM inference traces of 2023 (an
hour of one service each) give the format; the traces here are generated in that format (a
steady service like the conversation trace, a bursty one like the code trace), because the
public files are not shipped with advisor. `scripts/check_trace.py PATH` runs the same
comparison on a real trace.

Every figure is checked against an independent computation (tests/usage/traces.py): the
timestamps parsed by hand, per-minute counts in plain lists, percentiles by `statistics` over
the whole minutes only (advisor also weighs in the two partial minutes at the ends).
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.usage.traces import Figures, generated, independent, read_trace, write_trace

from advisor.cli import main
from advisor.core.catalog.load import default_catalog
from advisor.usage.definitions import variability_of
from advisor.usage.summary import analyse

CATALOG = default_catalog()
SECONDS = 58 * 60 + 22  # the conversation trace's window: 18:15:46 to 19:14:08


@pytest.fixture(scope="module")
def traces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("azure")
    made = {
        "conv": generated(1, rate=19_366 / SECONDS, seconds=SECONDS),
        "code": generated(2, rate=1.6, seconds=SECONDS - 100, bursts=3.0),
    }
    paths = {}
    for name, trace in made.items():
        paths[name] = folder / f"AzureLLMInferenceTrace_{name}.csv.gz"
        write_trace(paths[name], trace)
    return paths


@pytest.fixture(scope="module", params=["conv", "code"])
def trace(request: pytest.FixtureRequest, traces: dict[str, Path]) -> tuple[Path, Figures]:
    path = traces[request.param]
    return path, independent(read_trace(path))


def test_the_generated_traces_are_like_the_public_ones(traces: dict[str, Path]) -> None:
    """The conversation service of the issue: about 19,400 requests in 58 minutes, about
    478,000 a day, steady inside its hour; the code one bursts within the hour."""
    conv = independent(read_trace(traces["conv"]))
    assert conv.requests == pytest.approx(19_366, rel=0.03)
    assert conv.requests_per_day == pytest.approx(478_000, rel=0.03)
    assert conv.peak_to_average < 1.5
    code = independent(read_trace(traces["code"]))
    assert code.burst_to_average > 2.5


def test_a_trace_gives_its_rate_tokens_and_bursts(trace: tuple[Path, Figures]) -> None:
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


def test_the_conversation_service_is_steady_inside_its_hour(traces: dict[str, Path]) -> None:
    s = analyse([traces["conv"]], CATALOG)
    want = independent(read_trace(traces["conv"]))
    assert s.variability == "steady" and 1.0 < s.peak_to_average < 1.5
    rate = s.profile_values()["workload"]["requests_per_day"]
    assert rate == pytest.approx(want.requests_per_day, rel=1e-5)


def test_the_format_can_be_named(tmp_path: Path, traces: dict[str, Path]) -> None:
    plain = tmp_path / "conv.csv"
    plain.write_bytes(gzip.decompress(traces["conv"].read_bytes()))
    by_name = analyse([plain], CATALOG, "azure")
    detected = analyse([traces["conv"]], CATALOG)
    assert by_name.requests_per_day == detected.requests_per_day
    assert by_name.peak_to_average == detected.peak_to_average


def test_the_bill_is_projected_from_the_window(tmp_path: Path, traces: dict[str, Path]) -> None:
    """The trace as the generic CSV with a model: the month's bill is the window's bill ÷ the
    window (58 minutes), not ÷ a calendar day."""
    raw = read_trace(traces["conv"])
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
    assert s.requests_per_day == pytest.approx(independent(raw).requests_per_day, rel=1e-6)


def test_cli_json_and_the_minute_chart(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, traces: dict[str, Path]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    conv = traces["conv"]
    raw = read_trace(conv)
    want = independent(raw)
    assert main(["import-usage", str(conv), "--json"]) == 0
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
    assert main(["import-usage", str(conv)]) == 0
    out = capsys.readouterr().out
    assert "Requests per minute (UTC)" in out and "Hourly load" not in out
    chart = next(line for line in out.splitlines()[1:] if "▁" in line or "█" in line)
    assert len(chart.strip()) == 60  # one column a minute, 18:15 to 19:14 inclusive
    assert "18:15" in out and "19:14" in out
    first, last = min(raw.stamps), max(raw.stamps)
    span = int(last) - int(first)
    since = datetime.fromtimestamp(first, UTC).strftime("%Y-%m-%d %H:%M:%S")
    until = datetime.fromtimestamp(last, UTC).strftime("%H:%M:%S")
    assert f"{span // 60} min {span % 60} s, {since} to {until} UTC" in out
    assert "peak_to_average is per minute" in out


def test_a_log_that_is_not_a_trace_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.csv"
    log.write_text("timestamp,model,input_tokens,output_tokens\n2024-05-01T10:00:00Z,x,1,1\n")
    assert main(["import-usage", str(log), "--format", "azure"]) == 2
    err = capsys.readouterr().err
    assert "is not an Azure trace: its header lacks contexttokens, generatedtokens" in err
