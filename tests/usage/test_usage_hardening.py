"""Hostile or broken input to `advisor import-usage`: a clear message or a bad row, never a
traceback; nothing from the logs printed raw. (`import-litellm`: test_usage_prices.py.)"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from usage_logs import reference, requests, write_csv, write_jsonl

from advisor.cli import main

ROWS = requests()
EXPECTED = reference(ROWS)
HEADER = "timestamp,model,input_tokens,output_tokens\n"


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")


def insert(log: Path, at: int, line: str) -> None:
    """`line` becomes line `at` of the file (1-based)."""
    lines = log.read_text().splitlines(keepends=True)
    lines.insert(at - 1, line)
    log.write_text("".join(lines))


def run(*args: str) -> int:
    return main(["import-usage", *args])


# -- (a) a CSV field over csv's 128 KiB limit --------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        '2024-03-04T10:00:00Z,"' + "m" * 200_000 + '",100,10\n',  # quoted
        "2024-03-04T10:00:00Z," + "m" * 200_000 + ",100,10\n",  # unquoted
    ],
    ids=["quoted", "unquoted"],
)
def test_a_field_over_128_kib_is_a_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    insert(log, 12, line)
    assert run(str(log)) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert "skipped 1 bad row" in out and "line 12:" in out
    assert f"{EXPECTED['requests']:,} requests" in out


def test_a_long_field_in_a_column_not_read_is_a_bad_row_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "timestamp,model,input_tokens,output_tokens,note\n"
        + "".join(f"2024-03-04T10:{i % 60:02d}:00Z,gpt-4o,100,10,ok\n" for i in range(200))
        + '2024-03-04T11:00:00Z,gpt-4o,100,10,"'
        + "n" * 150_000
        + '"\n'
    )
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "line 202: a field longer than 131,072 characters" in out


def test_a_header_field_over_128_kib_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.csv"
    log.write_text('"' + "h" * 200_000 + '",model\n1,2\n')
    assert run(str(log)) == 2
    err = capsys.readouterr().err
    assert "has a field longer than 131,072 characters" in err and "Traceback" not in err


def test_a_model_name_of_thousands_of_characters_is_a_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    insert(log, 30, "2024-03-04T10:00:00Z," + "x" * 5_000 + ",100,10\n")
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "line 30: model name of 5,000 characters is not a name" in out
    assert "x" * 600 not in out


# -- (b) JSON nested thousands deep ----------------------------------------------------------


def deep(levels: int = 5_000) -> str:
    return '{"timestamp": ' + "[" * levels + "]" * levels + "}\n"


@pytest.mark.parametrize("at", [1, 40])
def test_json_nested_5000_deep_is_a_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at: int
) -> None:
    log = write_jsonl(tmp_path / "log.jsonl", ROWS)
    insert(log, at, deep())
    assert run(str(log)) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert f"line {at}: JSON nested too deep to read" in out
    assert f"{EXPECTED['requests']:,} requests" in out


def test_a_file_of_only_deep_json_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(deep() * 3)
    assert run(str(log)) == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "Traceback" not in err


def test_a_json_number_of_5000_digits_is_a_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_jsonl(tmp_path / "log.jsonl", ROWS)
    insert(
        log,
        7,
        '{"timestamp": 1709546400, "model": "gpt-4o", "input_tokens": '
        + "9" * 5000
        + ', "output_tokens": 1}\n',
    )
    assert run(str(log)) == 0
    assert "line 7: not a JSON object (a number too long to read)" in capsys.readouterr().out


# -- (d) a timestamp of 401 digits -------------------------------------------------------------


def test_a_401_digit_timestamp_in_csv_is_one_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS, "seconds")
    insert(log, 9, "1" + "0" * 400 + ",gpt-4o,100,10\n")
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "skipped 1 bad row" in out and "line 9: timestamp '1000" in out
    assert "is outside 2000-2099" in out


def test_a_401_digit_timestamp_in_json_is_one_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_jsonl(tmp_path / "log.jsonl", ROWS, mixed=False)
    huge = "1" + "0" * 400

    def line(stamp: str, tokens: str) -> str:
        return (
            f'{{"timestamp": {stamp}, "model": "gpt-4o", "input_tokens": {tokens}, '
            '"output_tokens": 1}\n'
        )

    insert(log, 9, line(huge, "1"))
    insert(log, 20, line("1709546400", huge))
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "skipped 2 bad rows" in out
    assert "line 9: timestamp 1000" in out and "is outside 2000-2099" in out
    assert "line 20: input tokens 1000" in out
    assert "0" * 100 not in out  # the value is shown clipped


# -- (e) terminal escapes from the logs ------------------------------------------------------

ESCAPES = ("\x1b]0;owned\x07", "\x1b[2J", "\x9b31m", "\u202e")


def test_escape_sequences_in_model_names_are_shown_not_obeyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [f"evil{e}model" for e in ESCAPES] + ["[bold red]markup[/]"]
    rows = [r._replace(model=names[i % len(names)]) for i, r in enumerate(ROWS)]
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "".join(f'{r.at:%Y-%m-%dT%H:%M:%SZ},"{r.model}",1,1\n' for r in rows))
    assert run(str(log)) == 0
    out, err = capsys.readouterr()
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in out and raw not in err
    assert r"evil\x1b]0;owned\x07model" in out and r"evil\x1b[2Jmodel" in out
    assert r"evil\u202emodel" in out
    assert "[bold red]markup[/]" in out  # shown as written, not read as Rich markup
    # JSON: escaped too.
    assert run(str(log), "--json") == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\x9b" not in text
    assert {m["name"] for m in json.loads(text)["models"]} == set(names)


def test_escape_sequences_in_a_header_or_a_bad_row_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.csv"
    log.write_text("when\x1b[2J,what\x07\n2024-01-01,x\n")
    assert run(str(log)) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and r"when\x1b[2J" in err
    log = write_csv(tmp_path / "good.csv", ROWS)
    insert(log, 5, "\x1b]0;owned\x07,gpt-4o,1,1\n")
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and r"timestamp '\x1b]0;owned\x07'" in out


def test_escape_sequences_in_a_file_name_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "log\x1b[2J.csv", ROWS[:100])
    assert run(str(log)) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and r"log\x1b[2J.csv" in out
    assert run(str(tmp_path / "missing\x1b[2J.csv")) == 2
    assert "\x1b" not in capsys.readouterr().err


# -- gzip --------------------------------------------------------------------------------------


def test_gzip_logs_are_read_and_broken_ones_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = write_csv(tmp_path / "log.csv", ROWS)
    packed = tmp_path / "log.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert run(str(packed), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["requests"] == EXPECTED["requests"]
    assert data["requests_per_day"] == pytest.approx(EXPECTED["requests_per_day"])
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(packed.read_bytes()[: len(packed.read_bytes()) // 2])
    assert run(str(broken)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"advisor: {broken}: cannot be read") and "Traceback" not in err
