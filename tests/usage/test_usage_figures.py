"""The defined figures, from logs with known answers, in every format advisor reads."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from usage_logs import (
    FORMAT_OF,
    MODELS,
    START,
    WRITERS,
    Request,
    batch_bill,
    hourly,
    reference,
    requests,
    write_csv,
    write_jsonl,
    write_openai,
)

from advisor.core.catalog.load import default_catalog
from advisor.usage import accumulator, reader
from advisor.usage.definitions import variability_of
from advisor.usage.histogram import bucket, percentile
from advisor.usage.models import match_model
from advisor.usage.summary import UsageSummary, analyse

CATALOG = default_catalog()
ROWS = requests()
EXPECTED = reference(ROWS)


def close(value: float, expected: object) -> bool:
    assert isinstance(expected, float | int)
    return value == pytest.approx(expected, rel=0.01)


def check_figures(s: UsageSummary, expected: dict[str, object]) -> None:
    """A multi-day log whose first and last requests leave only empty night hours of its
    calendar days uncovered keeps the calendar-day figures (of the first usage issue)."""
    assert s.requests == expected["requests"]
    assert s.days == expected["days"]
    assert s.window.kind == "calendar days" and s.window.days == expected["days"]
    assert s.resolution == "hour"
    assert close(s.requests_per_day, expected["requests_per_day"])
    assert close(s.inputs.mean, expected["input_mean"])
    assert close(s.inputs.p50, expected["input_p50"])
    assert close(s.inputs.p95, expected["input_p95"])
    assert close(s.outputs.mean, expected["output_mean"])
    assert close(s.outputs.p50, expected["output_p50"])
    assert close(s.outputs.p95, expected["output_p95"])
    assert close(s.p95_per_period, expected["p95_hourly"])
    assert close(s.peak_to_average, expected["peak_to_average"])
    assert s.variability == variability_of(float(expected["peak_to_average"]))  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_every_format_gives_the_defined_figures(tmp_path: Path, kind: str) -> None:
    log = WRITERS[kind](tmp_path / f"log.{kind}", ROWS)
    s = analyse([log], CATALOG)
    assert [f.format for f in s.files] == [FORMAT_OF[kind]]
    assert s.files[0].bad == 0
    check_figures(s, EXPECTED)
    # The mix: 60/30/10; exactly 10% is not "above 10%", but two models are.
    shares = {u.name: u.share for u in s.models}
    assert shares == pytest.approx(EXPECTED["shares"])
    assert s.multi_model is True
    assert s.api_model == "gpt-4o"  # gpt-4o-2024-08-06, the most used, matched
    bill = batch_bill(ROWS) if kind == "openai" else float(EXPECTED["bill"])  # type: ignore[arg-type]
    assert close(s.bill, bill)
    assert close(s.monthly_bill, bill / 5 * 30)
    assert s.batch_requests == (len(ROWS) // 3 if kind == "openai" else 0)  # every third line
    if kind.startswith("litellm"):
        assert s.logged_spend == pytest.approx(EXPECTED["bill"], rel=1e-4)


@pytest.mark.parametrize(
    "kind",
    [k for k in sorted(WRITERS) if k not in ("jsonl", "openai")] + ["jsonl-zoned", "openai-plain"],
)
def test_clean_logs_take_the_fast_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """A clean log is counted in columns, never row by row (that is what makes it fast)."""
    writers = {
        **WRITERS,
        "jsonl-zoned": lambda p, rows: write_jsonl(p, rows, mixed=False),
        "openai-plain": lambda p, rows: write_openai(p, rows, batch=False),
    }
    log = writers[kind](tmp_path / "log", ROWS)

    def no_rows(*args: object) -> None:
        raise AssertionError("a clean log went row by row")

    monkeypatch.setattr(accumulator.Accumulator, "add_row", no_rows)
    check_figures(analyse([log], CATALOG), EXPECTED)


def test_the_workload_is_what_it_says() -> None:
    """The reference itself, by hand: 5 days; 1,500 requests a day except the burst day."""
    per_day = 9 * 20 + 9 * 5  # office hours 20 an hour, early and late hours 5
    assert EXPECTED["requests"] == 5 * per_day + (120 - 20)
    assert EXPECTED["days"] == 5
    assert EXPECTED["requests_per_day"] == (5 * per_day + 100) / 5


@pytest.mark.parametrize("explicit", ["csv", "jsonl", "litellm", "openai"])
def test_an_explicit_format_reads_the_same(tmp_path: Path, explicit: str) -> None:
    kind = {"csv": "csv-seconds", "jsonl": "jsonl", "litellm": "litellm-csv", "openai": "openai"}
    log = WRITERS[kind[explicit]](tmp_path / "log", ROWS)
    check_figures(analyse([log], CATALOG, explicit), EXPECTED)


def test_unsorted_logs_and_several_files(tmp_path: Path) -> None:
    shuffled = list(ROWS)
    random.Random(3).shuffle(shuffled)
    half = len(shuffled) // 2
    a = write_csv(tmp_path / "a.csv", shuffled[:half], "ms")
    b = WRITERS["openai"](tmp_path / "b.jsonl", shuffled[half:])
    s = analyse([a, b], CATALOG)
    check_figures(s, EXPECTED)
    assert [f.requests for f in s.files] == [half, len(ROWS) - half]


def test_small_chunks_give_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunk boundaries (and CSV fields quoted over two lines) change nothing."""
    monkeypatch.setattr(reader, "CHUNK_CHARS", 2000)
    for kind in ("csv-offset", "litellm-csv", "jsonl"):
        log = WRITERS[kind](tmp_path / f"log.{kind}", ROWS)
        check_figures(analyse([log], CATALOG), EXPECTED)


def test_windows_line_ends_and_a_byte_order_mark(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    log.write_bytes(b"\xef\xbb\xbf" + log.read_bytes().replace(b"\n", b"\r\n"))
    check_figures(analyse([log], CATALOG), EXPECTED)


def test_spaces_and_odd_numbers_are_read_row_by_row(tmp_path: Path) -> None:
    """Untidy but valid rows (spaces, 12.0, quoted names, blank lines) are not bad rows."""
    log = tmp_path / "log.csv"
    log.write_text(
        "timestamp, model, input_tokens, output_tokens\n"
        " 2024-05-01T10:00:00Z , gpt-4o , 100 , 10.0\n"
        "\n"
        '2024-05-01T11:00:00Z,"gpt-4o",300,30\n'
    )
    s = analyse([log], CATALOG)
    assert s.requests == 2 and s.files[0].bad == 0
    assert s.inputs.mean == 200 and s.outputs.mean == 20
    assert [u.name for u in s.models] == ["gpt-4o"]


def test_zones_decide_the_utc_calendar_day(tmp_path: Path) -> None:
    """01:00 at +02:00 on 1 May is 23:00 UTC on 30 April: two calendar days, not one; the
    requests span 21 hours, and that is the window."""
    log = tmp_path / "log.csv"
    log.write_text(
        "timestamp,model,input_tokens,output_tokens\n"
        "2024-05-01T01:00:00+02:00,gpt-4o,100,10\n"
        "2024-05-01T10:00:00,gpt-4o,300,30\n"
        "2024-05-01T20:00:00Z,gpt-4o,200,20\n"
    )
    s = analyse([log], CATALOG)
    assert s.days == 2 and s.window.kind == "span" and s.window.hours == 21
    assert s.requests_per_day == pytest.approx(3 / 21 * 24)
    assert f"{s.first:%Y-%m-%d %H:%M}" == "2024-04-30 23:00"
    assert s.hour_of_day is None  # under a day: no daily shape


def test_milliseconds_above_1e11(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "timestamp,model,input_tokens,output_tokens\n"
        "1714521600000,gpt-4o,100,10\n"  # 2024-05-01 00:00 UTC, in ms
        "1714608000,gpt-4o,100,10\n"  # 2024-05-02 00:00 UTC, in seconds
        "1714694399.5,gpt-4o,100,10\n"  # 2024-05-02 23:59:59.5 UTC
    )
    s = analyse([log], CATALOG)
    assert s.days == 2
    assert f"{s.first:%Y-%m-%d %H:%M}" == "2024-05-01 00:00"


def test_by_hand_every_hour_counts_empty_ones_too(tmp_path: Path) -> None:
    """Three days; 2 requests (at :00 and :30) in every even hour, none in the odd ones: mean 1
    an hour, p95 2. The last request, at 22:30 on day 3, leaves 90 minutes of the calendar
    days uncovered, where 1.2 requests are expected at the rates of hours 22 and 23 inside
    the span (1.7% of 72, under 2%): the window is the three calendar days."""
    rows = hourly({h: 2 for h in range(0, 72, 2)}, days=3)
    s = analyse([write_csv(tmp_path / "log.csv", rows)], CATALOG)
    assert s.requests == 72 and s.days == 3
    assert s.window.kind == "calendar days" and s.window.hours == 72
    assert s.window.quiet_share == pytest.approx(1.2 / 72)
    assert s.requests_per_day == 24
    assert s.resolution == "hour"
    assert s.mean_per_period == 1.0 and s.p95_per_period == 2.0
    assert s.peak_to_average == 2.0 and s.variability == "moderate"


@pytest.mark.parametrize(
    ("busy_hours", "ratio", "variability"),
    [
        (48, 1.0, "steady"),  # every hour of both days busy
        (24, 2.0, "moderate"),
        (12, 4.0, "bursty"),
        (6, 8.0, "unpredictable"),
    ],
)
def test_variability_classes(
    tmp_path: Path, busy_hours: int, ratio: float, variability: str
) -> None:
    """Two days (48 hours), `busy_hours` of them with 10 requests, the rest empty."""
    step = 48 // busy_hours
    rows = hourly({h: 10 for h in range(47, -1, -step)}, days=2)
    s = analyse([write_csv(tmp_path / "log.csv", rows, "seconds")], CATALOG)
    assert s.window.kind == "calendar days" and s.window.hours == 48
    assert s.peak_to_average == pytest.approx(ratio)
    assert s.variability == variability


def test_thresholds() -> None:
    assert [variability_of(x) for x in (1.0, 1.49, 1.5, 2.99, 3.0, 5.99, 6.0, 50)] == [
        "steady",
        "steady",
        "moderate",
        "moderate",
        "bursty",
        "bursty",
        "unpredictable",
        "unpredictable",
    ]


def test_sparse_traffic_is_flagged(tmp_path: Path) -> None:
    """Requests in 2 hours of 5 days: p95 of hourly counts is 0, below the mean; said so."""
    rows = [Request(START, MODELS[0], 10, 10)] * 3 + [
        Request(START.replace(day=8, hour=12), MODELS[0], 10, 10)
    ]
    s = analyse([write_csv(tmp_path / "log.csv", rows)], CATALOG)
    assert s.peak_to_average == 0.0
    assert any("Only 1.7% of the hours have any request" in w for w in s.warnings)
    values = s.profile_values()
    assert values["traffic"]["peak_to_average"] == 1.0  # the profile's floor


def test_flat_traffic_is_not_called_sparse(tmp_path: Path) -> None:
    """A request every 90 s for two days and a bit: the partial last hour puts the p95 of
    hourly counts a hair under their mean; every hour is busy, so nothing is said of sparse
    hours (it was)."""
    rows = [Request(START + timedelta(seconds=90 * i), MODELS[0], 10, 10) for i in range(2_000)]
    s = analyse([write_csv(tmp_path / "log.csv", rows)], CATALOG)
    assert s.peak_to_average == pytest.approx(1.0, abs=1e-3)
    assert not any("have any request" in w for w in s.warnings), s.warnings


def test_one_model_is_not_multi_model(tmp_path: Path) -> None:
    rows = [r._replace(model="claude-3-5-haiku-20241022") for r in ROWS]
    s = analyse([write_csv(tmp_path / "log.csv", rows)], CATALOG)
    assert s.multi_model is False
    assert s.api_model == "claude-3.5-haiku"
    assert "needs" not in s.profile_values()


def test_an_unknown_model_is_said_and_not_priced(tmp_path: Path) -> None:
    rows = [r._replace(model="my-finetune-v7") for r in ROWS[:100]]
    s = analyse([write_csv(tmp_path / "log.csv", rows)], CATALOG)
    assert s.api_model is None and s.bill == 0 and s.unpriced_requests == 100
    assert any("my-finetune-v7" in w and "not in the catalog" in w for w in s.warnings)
    assert "api" not in s.profile_values()


@pytest.mark.parametrize(
    ("logged", "catalog_id"),
    [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("openai/gpt-4o", "gpt-4o"),
        ("GPT-4o", "gpt-4o"),
        ("anthropic/claude-3-5-sonnet-20241022", "claude-3.5-sonnet"),
        ("claude-3-5-sonnet-latest", "claude-3.5-sonnet"),
        ("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3.5-sonnet"),
        ("vertex_ai/claude-3-5-sonnet@20240620", "claude-3.5-sonnet"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4.5"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("gemini/gemini-1.5-pro-002", "gemini-1.5-pro"),
        ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together-llama-3.3-70b"),
        ("groq/llama-3.1-8b-instant", "groq-llama-3.1-8b"),
        ("accounts/fireworks/models/llama-v3p1-8b-instruct", "fireworks-llama-3.1-8b"),
        ("llama-3.3-70b", None),  # three hosts sell it: ambiguous
        ("claude-sonnet-4-5-20250929", None),  # not in the catalog (4.5 is not 4)
        ("sonnet", None),  # a family name is no evidence
    ],
)
def test_provider_spellings_match_catalog_ids(logged: str, catalog_id: str | None) -> None:
    assert match_model(logged, CATALOG.api_models).catalog_id == catalog_id


def test_ambiguous_names_say_so() -> None:
    assert match_model("llama-3.3-70b", CATALOG.api_models).how.startswith("ambiguous:")


def test_percentile_is_numpy_linear() -> None:
    histogram = {1: 1, 2: 1, 3: 1, 4: 1}
    assert percentile(histogram, 0.5) == 2.5
    assert percentile(histogram, 0.95) == pytest.approx(3.85)
    assert percentile({7: 3}, 0.95) == 7


def test_wide_histograms_fold_within_a_tenth_of_a_percent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays flat: past the limit, token counts fold into buckets 1/1024 wide."""
    monkeypatch.setattr(accumulator, "HISTOGRAM_LIMIT", 50)
    rng = random.Random(5)
    rows = [
        Request(START.replace(hour=h % 24), MODELS[0], rng.randint(1, 900_000), 7)
        for h in range(3000)
    ]
    expected = reference(rows)
    s = analyse([write_csv(tmp_path / "log.csv", rows)], CATALOG)
    assert s.approximate
    assert s.inputs.mean == pytest.approx(expected["input_mean"], rel=1e-12)  # exact
    assert s.inputs.p50 == pytest.approx(expected["input_p50"], rel=0.001)
    assert s.inputs.p95 == pytest.approx(expected["input_p95"], rel=0.001)


def test_bucket_is_idempotent_and_close() -> None:
    for value in (0, 5, 1023, 1024, 5000, 123_456, 9_999_999):
        b = bucket(value)
        assert bucket(b) == b
        assert abs(b - value) <= value / 1024
