"""What a name can lead to: a FIFO, a device, a socket, a symlink loop, gigabytes, a name too
long, TOML nested a thousand deep. Each is refused at once with exit 2 and one line naming the
file; nothing blocks and nothing is read past the limit (core/files/read.py)."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from advisor import cli
from advisor.core.errors import InputError
from advisor.core.files.read import PROFILE_LIMIT, read_capped


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], path: Path | str, *fragments: str) -> str:
    code, out, err = report(capsys, str(path), "--format", "json")
    assert code == 2, err
    assert out == "" and "Traceback" not in err
    assert err.startswith("advisor: ") and err.count("\n") == 1
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def test_a_fifo_is_refused_without_waiting_for_a_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(refused(capsys, fifo, "FIFO")))
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert done


def test_a_symlink_to_dev_zero_is_refused_as_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    refused(capsys, link, "zero.toml", "a device")


def test_a_socket_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.toml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        refused(capsys, path, "socket")


def test_a_symlink_loop_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    refused(capsys, tmp_path / "a.toml", "loop")


def test_a_file_over_the_limit_is_refused_saying_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"# padding\n" * (PROFILE_LIMIT // 10 + 1))
    refused(capsys, path, "big.toml", "too big", "at most 512 KiB")


def test_a_file_whose_size_lies_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    # /proc files say they are empty; only what the limit allows is ever read.
    with pytest.raises(InputError) as caught:
        read_capped(Path("/proc/self/maps"), limit=16)
    assert "more than 16 bytes" in str(caught.value)
    assert read_capped(Path("/proc/self/stat"), limit=1 << 16)


@pytest.mark.parametrize("name", ["x" * 295 + ".toml", "x" * 300], ids=["file", "example"])
def test_a_name_too_long_is_a_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    err = refused(capsys, name, "too long", "(300 characters)")
    assert len(err) < 400  # the name is shown shortened


def test_a_name_holding_a_nul_is_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    refused(capsys, "bad\x00name.toml", "not a usable file name")


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 1000 + "]" * 1000,
        "a = " + "{b = " * 1000 + "1" + "}" * 1000,
        "[" + ".".join(["a"] * 1000) + "]",
        "x = " + "[" * 200 + "]" * 200,
    ],
    ids=["arrays", "inline tables", "dotted tables", "200 deep"],
)
def test_toml_nested_deep_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(text + "\n")
    refused(capsys, path, "deep.toml")


def test_a_number_of_thousands_of_digits_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "digits.toml"
    path.write_text("[workload]\nrequests_per_day = " + "9" * 5000 + "\n")
    refused(capsys, path, "number too long")


def test_a_user_catalog_that_is_a_fifo_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "catalog.toml"
    os.mkfifo(fifo)
    code, _, err = report(capsys, "medium", "--catalog", str(fifo))
    assert code == 2 and "FIFO" in err and "catalog" in err


def test_import_litellm_refuses_a_fifo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "prices.json"
    os.mkfifo(fifo)
    code = cli.main(["catalog", "import-litellm", str(fifo), "--into", str(tmp_path / "c.toml")])
    err = capsys.readouterr().err
    assert code == 2 and "FIFO" in err and "Traceback" not in err


def names(count: int) -> list[str]:
    """`count` short, distinct TOML bare keys."""
    import itertools
    import string

    alphabet = string.ascii_letters + string.digits
    found: list[str] = []
    for size in itertools.count(1):
        for letters in itertools.product(alphabet, repeat=size):
            found.append("".join(letters))
            if len(found) == count:
                return found
    return found


def test_a_profile_of_thousands_of_tables_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tables.toml"
    path.write_text("".join(f"[{name}]\n" for name in names(50_000)))
    refused(capsys, path, "50,000 tables", "at most 1,000")
    path.write_text("".join(f"{name}.a = 1\n" for name in names(5_000)))
    refused(capsys, path, "5,000 tables")


def test_a_profile_of_thousands_of_keys_is_refused_before_validating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "keys.toml"
    path.write_text("".join(f"{name} = 1\n" for name in names(60_000)))
    refused(capsys, path, "more than 2,000 keys and values")


def test_a_catalog_of_many_broken_entries_stops_at_ten_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "broken-catalog.toml"
    catalog.write_text("".join(f"[api_models.{name}]\n" for name in names(15_000)))
    code, _, err = report(capsys, "medium", "--catalog", str(catalog))
    assert code == 2 and "is required" in err and "and more problems after these" in err
    assert len(err.splitlines()) == 11
    catalog = tmp_path / "inline-catalog.toml"
    catalog.write_text("presets = [" + "{}, " * 100_000 + "]\n")
    code, _, err = report(capsys, "medium", "--catalog", str(catalog))
    assert code == 2 and "tables: too many for a catalog file" in err


WORST = {  # the costliest TOML per byte that each limit still lets tomllib parse
    "dotted": lambda n: "".join(f"{k}.a.b = 1\n" for k in names(n)),
    "inline": lambda n: "".join(f"{k} = {{}}\n" for k in names(n)),
    "arrays": lambda n: "a = [" + "[], " * (n * 2) + "]\n",
    "keys": lambda n: "".join(f"{k} = 1\n" for k in names(n)),
}


@pytest.mark.parametrize("kind", sorted(WORST))
def test_the_costliest_files_under_the_limits_take_under_200_mb(tmp_path: Path, kind: str) -> None:
    import subprocess
    import sys

    from advisor.core.catalog.load import CATALOG_LIMIT

    profile = tmp_path / "p.toml"
    text = WORST[kind](200_000)
    profile.write_text(text[: PROFILE_LIMIT - 100].rsplit("\n", 1)[0] + "\n")
    catalog = tmp_path / "c.toml"
    text = WORST[kind](600_000)
    catalog.write_text(text[: CATALOG_LIMIT - 100].rsplit("\n", 1)[0] + "\n")
    # The child's own peak (VmHWM of its memory after exec: getrusage would count the pages
    # of the forked test process too).
    peak = (
        "import atexit, sys\n"
        "from advisor.cli import main\n"
        "atexit.register(lambda: print('peak', open('/proc/self/status').read()"
        ".split('VmHWM:')[1].split()[0], file=sys.stderr))\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for args in (["report", str(profile)], ["report", "medium", "--catalog", str(catalog)]):
        done = subprocess.run(
            [sys.executable, "-c", peak, *args], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        kilobytes = int(done.stderr.rsplit("peak ", 1)[1])
        assert kilobytes < 200 * 1024, f"{kilobytes / 1024:.0f} MB for {args}"
