"""Texts from files are shown, never obeyed: a terminal escape in a profile's name or notes or
in a catalog's model name reaches no terminal raw (text, Markdown, catalog, messages), Rich
markup in a name is text, and a 10 MB value makes a message of a few hundred characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import cli
from advisor.core.text import clip, printable, printable_strings, quoted

ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e")  # ESC, BEL, CSI (C1), right-to-left override
HOSTILE_NAME = "Evil \\u001b]0;OWNED\\u0007 [/bold] [link=http://x]y\\u009b2J \\u202eabc"
CATALOG = """[api_models.evil]
name = "\\u001b[31mEvil\\u001b[0m \\u001b]0;OWNED2\\u0007"
provider = "Somebody \\u001b[2J"
input_per_mtok = 3.0
output_per_mtok = 15.0
source = "typed \\u001b[5m by hand"
as_of = 2026-11-01
"""


def hostile_files(tmp_path: Path) -> tuple[Path, Path]:
    profile = tmp_path / "evil.toml"
    profile.write_text(
        f'name = "{HOSTILE_NAME}"\n'
        'notes = """first line\nsecond \\u001b[2J line"""\n'
        '[api]\nmodel = "evil"\n'
    )
    catalog = tmp_path / "evil-catalog.toml"
    catalog.write_text(CATALOG)
    return profile, catalog


def assert_shown_not_obeyed(text: str) -> None:
    for char in ESCAPES:
        assert char not in text, repr(char)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_reports_escape_what_came_from_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    profile, catalog = hostile_files(tmp_path)
    code = cli.main(["report", str(profile), "--catalog", str(catalog), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_shown_not_obeyed(out + err)
    assert "[/bold] [link=http://x]y" in out  # markup in a name is text, not markup
    if fmt != "json":
        assert "\\x1b]0;OWNED" in out
    if fmt == "markdown":
        assert "first line\nsecond \\x1b[2J line" in out  # the notes keep their lines


def test_the_catalog_listing_escapes_a_user_catalogs_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, catalog = hostile_files(tmp_path)
    assert cli.main(["catalog", "--catalog", str(catalog)]) == 0
    out = capsys.readouterr().out
    assert_shown_not_obeyed(out)
    assert "typed \\x1b[5m by hand" in out  # its source, listed under the API table


def test_an_error_message_escapes_and_cuts_what_it_quotes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.toml"
    path.write_text('[api]\nmodel = "' + "m" * 400_000 + '\\u001b[2J"\n')
    assert cli.main(["report", str(path)]) == 2
    err = capsys.readouterr().err
    assert "api.model" in err and "line 2" in err and "unknown API model id 'mmm" in err
    assert "…" in err and len(err) < 1500
    assert_shown_not_obeyed(err)


@pytest.mark.parametrize(
    "text",
    [
        '[workload]\nrequests_per_day = "' + "x" * 100_000 + '"\n',
        '[traffic]\nvariability = "\\u001b[2J' + "y" * 100_000 + '"\n',
        "[workload]\n" + "k" * 100_000 + "\u202e = 1\n",
        "[workload]\nrequests_per_day = [" + ", ".join(["[[1]]"] * 10_000) + "]\n",
        "schema_version = '" + "9" * 100_000 + "'\n",
    ],
    ids=["wrong type", "not a choice", "unknown key", "a deep long list", "schema version"],
)
def test_every_message_quoting_a_value_is_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "long.toml"
    path.write_text(text)
    assert cli.main(["report", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err) < 1500, len(err)
    assert_shown_not_obeyed(err)


def test_the_helpers() -> None:
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("a\nb", keep="\n") == "a\nb"
    assert printable("Zoë 名前") == "Zoë 名前"
    assert clip("x" * 100, 10) == "x" * 9 + "…"
    assert quoted("gpt-9") == "'gpt-9'"
    assert len(quoted("m" * 10_000)) == 80 and quoted("m" * 10_000).endswith("…'")
    assert quoted(10**5000).startswith("<")  # too many digits to convert
    assert len(quoted([[[[[[1]]]]]] * 1000)) <= 80
    nested = ("ok", ["a\x1b"], {"k\x07": ("n\x1b",)})
    assert printable_strings(nested) == ("ok", ["a\\x1b"], {"k\\x07": ("n\\x1b",)})
    same = ("ok", ["fine"])
    assert printable_strings(same) is same
