"""The profiles folder: names kept inside it; when confined (over SSH), every typed path too."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.core.errors import InputError
from advisor.core.profile.store import ProfileStore


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    folder = tmp_path / "alice"
    (folder / "logs").mkdir(parents=True)
    (folder / "logs" / "nov.csv").write_text("x")
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "b.csv").write_text("x")
    (tmp_path / "secret").write_text("root:x:0:0")
    (folder / "out.csv").symlink_to(tmp_path / "secret")
    (folder / "in.csv").symlink_to(folder / "logs" / "nov.csv")
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    return ProfileStore(folder, confined=True)


@pytest.mark.parametrize(
    "typed",
    [
        "/etc/passwd",
        "../bob/b.csv",
        "logs/../../bob/b.csv",
        "~/x.csv",
        "~root/x",
        "out.csv",
        "loop.csv",
        "",
        "   ",
        "..\\bob\\b.csv",
    ],
)
def test_a_confined_store_refuses_every_path_leading_out(store: ProfileStore, typed: str) -> None:
    with pytest.raises(InputError) as caught:
        store.readable(typed)
    message = str(caught.value)
    assert "outside your folder" in message
    assert str(store.folder) not in message and "root:" not in message


@pytest.mark.parametrize("typed", ["logs/nov.csv", "in.csv", " logs/nov.csv "])
def test_a_confined_store_reads_inside_its_folder(store: ProfileStore, typed: str) -> None:
    path = store.readable(typed)
    assert path.resolve().is_relative_to(store.folder.resolve())
    assert store.shown(path) == typed.strip()


def test_a_confined_store_shows_no_server_path(store: ProfileStore) -> None:
    assert store.where == "your folder"
    message = f"{store.folder / 'logs' / 'nov.csv'}: line 3: bad row; see {store.folder}"
    assert store.hide_paths(message) == "logs/nov.csv: line 3: bad row; see your folder"


def test_an_unconfined_store_takes_any_path_and_shows_it(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    assert store.readable("/etc/passwd") == Path("/etc/passwd")
    assert store.readable("~/x").is_absolute()
    assert store.where == str(tmp_path)
    assert store.hide_paths(f"{tmp_path}/x") == f"{tmp_path}/x"
