"""Saving a file (core/files/atomic.py): permissions kept or from the umask, a symlink's target
written, killed saves' temp files cleaned up, a byte-order mark never costing the comments,
and nothing but a regular file ever replaced."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor import cli
from advisor.core.files.atomic import STALE_AFTER_S, atomic_write_text, remove_stale_temps
from advisor.core.profile.io import load_profile, save_profile
from advisor.core.profile.model import Profile


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_a_private_profile_stays_private(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    save_profile(Profile(name="x"), path)
    os.chmod(path, 0o600)
    save_profile(Profile(name="y"), path)
    assert mode_of(path) == 0o600 and load_profile(path).name == "y"
    os.chmod(path, 0o640)
    save_profile(Profile(name="z"), path)
    assert mode_of(path) == 0o640


@pytest.mark.usefixtures("umask")
def test_a_new_file_gets_what_the_umask_allows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(Profile(name="x"), tmp_path / "new.toml")
    assert mode_of(tmp_path / "new.toml") == 0o640
    report = tmp_path / "memo.md"
    assert cli.main(["report", "medium", "--format", "markdown", "-o", str(report)]) == 0
    assert mode_of(report) == 0o640
    os.chmod(report, 0o600)
    assert cli.main(["report", "medium", "--format", "markdown", "-o", str(report)]) == 0
    assert mode_of(report) == 0o600


def test_saving_a_symlinked_profile_writes_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "team.toml"
    target.write_text('# the team\'s profile\nname = "team"\n')
    os.chmod(target, 0o600)
    mine = tmp_path / "mine"
    mine.mkdir()
    link = mine / "team.toml"
    link.symlink_to(target)
    save_profile(Profile(name="renamed"), link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert load_profile(target).name == "renamed"
    assert "# the team's profile" in target.read_text()
    assert mode_of(target) == 0o600
    assert sorted(p.name for p in mine.iterdir()) == ["team.toml"]
    assert sorted(p.name for p in shared.iterdir()) == ["team.toml"]


def test_a_link_to_a_device_or_a_folder_is_never_replaced(tmp_path: Path) -> None:
    link = tmp_path / "null.toml"
    link.symlink_to("/dev/null")
    with pytest.raises(OSError, match="not a regular file"):
        save_profile(Profile(), link)
    assert link.is_symlink()
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(OSError, match="folder"):
        save_profile(Profile(), tmp_path / "folder.toml")


def leftover(folder: Path, name: str, age: float) -> Path:
    path = folder / f".{name}.ab_cd123.tmp"
    path.write_text("half a profile")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_killed_saves_leftovers_are_cleaned_up_and_nothing_else(tmp_path: Path) -> None:
    old = leftover(tmp_path, "p.toml", STALE_AFTER_S + 60)
    fresh = tmp_path / ".p.toml.zz_zz999.tmp"
    fresh.write_text("a save in progress")
    other = leftover(tmp_path, "other.toml", 3600)
    unlike = tmp_path / ".p.toml.ab_cd123.tmp.keep"
    unlike.write_text("not ours")
    os.utime(unlike, (0, 0))
    link = tmp_path / ".p.toml.linkto12.tmp"
    link.symlink_to(other)
    save_profile(Profile(name="x"), tmp_path / "p.toml")
    assert not old.exists()
    assert fresh.exists() and other.exists() and unlike.exists() and link.is_symlink()


def test_a_locked_temp_file_is_a_save_in_progress_and_is_kept(tmp_path: Path) -> None:
    import fcntl

    busy = leftover(tmp_path, "p.toml", 3600)
    with open(busy, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        assert remove_stale_temps(tmp_path, "p.toml") == 0
    assert remove_stale_temps(tmp_path, "p.toml") == 1


SAVER = """
import sys
from pathlib import Path
from advisor.core.profile.model import Profile
from advisor.core.profile.io import save_profile
path = Path(sys.argv[1])
i = 0
print("ready", flush=True)
while True:
    i += 1
    save_profile(Profile(name=f"save {i}", notes="x" * 20_000), path)
"""


def test_saves_killed_at_any_moment_leave_a_whole_file_and_no_leftovers_after_the_next(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.toml"
    save_profile(Profile(name="first"), path)
    for i in range(12):
        saver = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert saver.stdout is not None and saver.stdout.readline() == "ready\n"
        time.sleep(0.02 + 0.013 * i)
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        assert load_profile(path).name.startswith(("first", "save"))  # never half a file
    for temp in tmp_path.glob(".p.toml.*.tmp"):  # as if the kills were a while ago
        os.utime(temp, (0, 0))
    save_profile(Profile(name="last"), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml"]


def test_a_byte_order_mark_costs_no_comment_and_is_not_written_back(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(
        '\ufeff# Why we looked at this\nschema_version = 1\nname = "Windows"\n\n'
        "[workload]\nrequests_per_day = 500  # from the dashboard\n".encode()
    )
    profile = load_profile(path)
    profile.workload.requests_per_day = 600
    save_profile(profile, path)
    saved = path.read_bytes()
    assert not saved.startswith(b"\xef\xbb\xbf")
    assert b"# Why we looked at this" in saved and b"# from the dashboard" in saved
    assert load_profile(path).workload.requests_per_day == 600


def test_atomic_write_keeps_an_explicit_mode(tmp_path: Path) -> None:
    path = tmp_path / "key"
    atomic_write_text(path, "secret", mode=0o600)
    assert mode_of(path) == 0o600


def test_whole_numbers_are_written_as_integers_and_empty_tables_not_at_all(
    tmp_path: Path,
) -> None:
    import re
    import tomllib

    profile = Profile(name="x")
    profile.workload.requests_per_day = 30_000.0
    profile.latency.p95_target_ms = 250.5
    path = tmp_path / "p.toml"
    save_profile(profile, path)
    text = path.read_text()
    assert "requests_per_day = 30000\n" in text and "p95_target_ms = 250.5\n" in text
    assert not re.search(r"= -?\d+\.0\n", text)
    assert "[api]" not in text and "[self_host]" not in text and "[policy" not in text
    assert load_profile(path) == profile
    for value in tomllib.loads(text).values():
        assert value != {}


def test_a_table_of_commented_keys_stays_and_no_empty_one_is_added(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "x"\n\n[self_host]                # every key optional\n'
        "# gpus = 2                     # GPUs per replica\n"
    )
    profile = load_profile(path)
    profile.workload.requests_per_day = 20_000.0
    save_profile(profile, path)
    text = path.read_text()
    assert "[self_host]" in text and "# gpus = 2" in text
    assert "requests_per_day = 20000\n" in text
    assert "[api]" not in text and "[policy" not in text


def test_a_table_emptied_without_comments_goes(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('# mine\nname = "x"\n\n[api]\nmodel = "gpt-4o"\n')
    profile = load_profile(path)
    profile.api.model = None
    save_profile(profile, path)
    assert "[api]" not in path.read_text() and "# mine" in path.read_text()
