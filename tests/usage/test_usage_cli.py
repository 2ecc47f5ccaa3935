"""`advisor import-usage`: the summary, profiles written or updated, bad input refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from usage_logs import MODELS, reference, requests, write_csv

from advisor.cli import main
from advisor.core.profile.io import load_profile

ROWS = requests()
EXPECTED = reference(ROWS)
HEADER = "timestamp,model,input_tokens,output_tokens\n"

PROFILE = """\
# Our support bot. Finance asked for this in March.
schema_version = 1
name = "Support bot"
notes = "Keep this note."

[workload]
requests_per_day = 500   # a guess from the dashboard
input_tokens = 1200
output_tokens = 300      # a guess!
simple_task_share = 0.25

[api]
model = "claude-3.5-haiku"

[traffic]
variability = "bursty"   # we think
growth_phase = true

[data]
sovereignty = "residency"  # EU only

[team]
ml_expertise = "some"
"""


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps at 80 columns off a terminal: wide enough that lines stay whole."""
    monkeypatch.setenv("COLUMNS", "250")


def run(*args: str) -> int:
    return main(["import-usage", *args])


def test_prints_the_summary_and_writes_nothing_without_a_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    assert run(str(log)) == 0
    out, err = capsys.readouterr()
    assert err == ""  # no progress bar when stderr is not a terminal
    assert f"{EXPECTED['requests']:,} requests" in out
    assert f"{EXPECTED['requests_per_day']:,.1f}" in out
    for words in (
        "requests_per_day",
        "peak_to_average",
        "variability",
        "Hourly load",
        "Model mix",
        "API bill at catalog prices",
        "Definitions",
        "5 calendar days, 2024-03-04 to 2024-03-08 UTC",
        "midnight to midnight",
        "burst_to_average",
        "hourly_load (24 figures, mean 1.0)",
    ):
        assert words in out, words
    assert "gpt-4o-2024-08-06" in out and "gpt-4o (matched)" in out
    assert list(tmp_path.iterdir()) == [log]


def test_output_writes_a_new_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    target = tmp_path / "measured.toml"
    assert run(str(log), "--output", str(target)) == 0
    profile = load_profile(target)
    w = profile.workload
    assert w.requests_per_day == pytest.approx(EXPECTED["requests_per_day"], rel=0.01)
    assert w.input_tokens == round(EXPECTED["input_mean"])  # type: ignore[call-overload]
    assert w.output_tokens == round(EXPECTED["output_mean"])  # type: ignore[call-overload]
    assert w.output_tokens_measured is True
    assert profile.traffic.peak_to_average == pytest.approx(EXPECTED["peak_to_average"], rel=0.01)
    assert profile.api.model == "gpt-4o"
    assert profile.needs.multi_model is True
    assert "log.csv" in profile.notes
    assert f"Wrote {target}" in capsys.readouterr().out
    # The new profile decides like any other.
    assert main(["report", str(target), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["recommendation"]["verdict"] in ("api", "self_host", "hybrid")


def test_into_updates_workload_and_traffic_and_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS, "seconds")
    path = tmp_path / "support.toml"
    path.write_text(PROFILE)
    before = load_profile(path)
    assert run(str(log), "--into", str(path)) == 0
    after = load_profile(path)
    text = path.read_text()
    for comment in (
        "# Our support bot. Finance asked",
        "# a guess from the dashboard",
        "# EU only",
        "# we think",
    ):
        assert comment in text, comment
    assert after.workload.requests_per_day == pytest.approx(EXPECTED["requests_per_day"], 0.01)
    assert after.workload.output_tokens == round(EXPECTED["output_mean"])  # type: ignore[call-overload]
    assert after.workload.output_tokens_measured is True
    assert after.traffic.peak_to_average == pytest.approx(EXPECTED["peak_to_average"], rel=0.01)
    assert after.api.model == "gpt-4o" and after.needs.multi_model is True
    # Every other answer as it was.
    assert after.name == before.name and after.notes == before.notes
    assert after.workload.simple_task_share == 0.25
    assert after.traffic.growth_phase is True
    assert after.data == before.data and after.team == before.team
    assert after.latency == before.latency and after.self_host == before.self_host
    # Only the measured answers changed: no defaults written out.
    assert "[latency]" not in text and "[self_host]" not in text
    assert text.startswith(PROFILE.split("[workload]")[0])
    out = capsys.readouterr().out
    assert f"Updated {path}" in out and "(was 500.0)" in out


def test_into_and_output_leave_the_original_alone(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    original = tmp_path / "support.toml"
    original.write_text(PROFILE)
    copy = tmp_path / "support-measured.toml"
    assert run(str(log), "--into", str(original), "--output", str(copy)) == 0
    assert original.read_text() == PROFILE
    assert load_profile(copy).workload.output_tokens_measured is True
    assert "# EU only" in copy.read_text() or load_profile(copy).data.sovereignty == "residency"


def test_output_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS[:50])
    existing = tmp_path / "mine.toml"
    existing.write_text(PROFILE)
    assert run(str(log), "--output", str(existing)) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == PROFILE


def test_junk_under_one_percent_is_skipped_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    lines = log.read_text().splitlines(keepends=True)
    lines.insert(10, "2024-03-04T10:00:00Z,gpt-4o,lots,12\n")  # becomes line 11
    lines.insert(20, "garbage\n")  # line 21
    lines.insert(30, "not-a-time,gpt-4o,100,12\n")  # line 31
    log.write_text("".join(lines))
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "skipped 3 bad rows" in out
    assert "line 11: input tokens 'lots' is not a whole number" in out
    assert "line 21: 1 field where the header has 4" in out
    assert "line 31: timestamp 'not-a-time' is neither ISO 8601 nor Unix time" in out
    assert f"{EXPECTED['requests']:,} requests" in out  # the good rows all counted


def test_junk_over_one_percent_refuses_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [f"2024-03-04T10:{i % 60:02d}:00Z,gpt-4o,100,10\n" for i in range(98)]
    rows.insert(5, "oops,gpt-4o,1,1\n")  # line 7 (the header is line 1)
    rows.append(",,,\n")  # line 101
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "".join(rows))
    target = tmp_path / "new.toml"
    assert run(str(log), "--output", str(target)) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert f"advisor: {log}: refused: 2 of 100 rows (2.0%)" in err
    assert "line 7: timestamp 'oops'" in err and "line 101:" in err
    assert not target.exists()


def test_jsonl_junk_is_named_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = [
        json.dumps(
            {
                "timestamp": 1714521600 + i * 60,
                "model": MODELS[0],
                "input_tokens": 100,
                "output_tokens": 10,
            }
        )
        for i in range(300)
    ]
    good.insert(5, '{"timestamp": 1714521600, "model": "x"}')  # line 6: no input_tokens
    good.insert(9, "{broken json")  # line 10
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(good) + "\n\n")
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "line 6: no input_tokens" in out and "line 10: not a JSON object" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("\n\n  \n", "is empty"),
        (HEADER, "has no requests"),
        ("when,what\n2024-01-01,x\n", "is in no format advisor reads"),
        ('[{"timestamp": 1}]\n', "is a JSON array"),
        ('{"hello": "world"}\n', "is in no format advisor reads"),
        ("{not json\n", "not valid JSON"),
        ("\x00\x01binary", "is a binary file"),
    ],
)
def test_bad_files_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    log = tmp_path / "log.txt"
    log.write_text(content)
    assert run(str(log)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"advisor: {log}") and message in err, err
    assert "Traceback" not in err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(tmp_path / "nope.csv")) == 2
    assert "nope.csv: no such file." in capsys.readouterr().err


def test_a_format_that_does_not_fit_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS[:10])
    assert run(str(log), "--format", "openai") == 2
    assert "is not JSON Lines" in capsys.readouterr().err
    assert run(str(log), "--format", "litellm") == 2
    assert "lacks starttime, prompt_tokens, completion_tokens" in capsys.readouterr().err


def test_a_broken_into_profile_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS[:10])
    broken = tmp_path / "broken.toml"
    broken.write_text("[workload]\nrequests_per_day = 'many'\n")
    assert run(str(log), "--into", str(broken)) == 2
    assert "requests_per_day" in capsys.readouterr().err


def test_report_still_imports_nothing_new() -> None:
    code = (
        "import io, sys, contextlib\nfrom advisor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['report', 'medium', '--format', 'json']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('advisor.usage')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"ADVISOR_TODAY": "2026-11-26", "PATH": ""},
    )
    assert done.stdout.strip() == "[]"
