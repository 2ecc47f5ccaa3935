"""Over SSH every path a person types stays inside their own folder (issue: bob read
/etc/passwd through Import usage). The real OpenSSH client in tmux, as people meet it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ssh.helpers import WELCOME, Keys, Server, Tmux, running_server, ssh_command, wait_until

from advisor.core.profile.store import resolve_profile_path

SECRET = "root:x:0:0:TOP-SECRET-LINE"
LOG = (
    "timestamp,model,input_tokens,output_tokens\n"
    "2026-11-01T10:00:00Z,gpt-4o,1200,300\n"
    "2026-11-02T11:00:00Z,gpt-4o,1400,350\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Iterator[Server]:
    """alice and bob; a team folder with the facilitator's case, a log, and a symlink that
    leads out of it."""
    authorized = keys.authorized("alice", "bob")
    folder = tmp_path_factory.mktemp("confined")
    team = folder / "team"
    team.mkdir()
    shutil.copy(resolve_profile_path("customer-service"), team / "prepared-case.toml")
    (team / "logs").mkdir()
    (team / "logs" / "nov.csv").write_text(LOG)
    (folder / "outside.csv").write_text(SECRET + "\n")
    (team / "leak.csv").symlink_to(folder / "outside.csv")
    options = ("--fail-delay", "0", "--team-profiles", str(team))
    with running_server(folder, authorized, *options) as s:
        yield s


def flat(screen: str) -> str:
    """The screen as one line: a message wraps wherever the dialog's width puts it."""
    return " ".join(screen.split())


def import_usage(tmux: Tmux, name: str, typed: str) -> str:
    """Open an example, press u, type a path, press Enter: what the screen then says."""
    tmux("send-keys", "-t", name, "u")
    tmux.wait_for(name, "Import usage")

    def ready() -> bool:  # keys sent before the field has the focus would be lost
        tmux("send-keys", "-t", name, "C-u")
        tmux("send-keys", "-t", name, "-l", "PROBE7")
        try:
            tmux.wait_for(name, "PROBE7", timeout=2)
        except AssertionError:
            return False
        return True

    def entered() -> bool:
        tmux("send-keys", "-t", name, "C-u")
        tmux("send-keys", "-t", name, "-l", typed)
        try:
            # All of it, where it fits in the field; its end where it scrolls.
            tmux.wait_for(name, f"▊  {typed} " if len(typed) < 40 else typed[-12:], timeout=2)
        except AssertionError:
            return False
        return True

    wait_until(ready, 15, "the path field to take keys")
    wait_until(entered, 15, "the path to be typed")
    tmux("send-keys", "-t", name, "Enter")

    def answered() -> str | None:
        screen = tmux.screen(name)
        return screen if "Cannot import" in screen or "Usage imported" in screen else None

    try:
        return str(wait_until(answered, 20, "the import's answer"))
    except AssertionError as error:
        screen = tmux.screen(name)
        raise AssertionError(f"{error}; typed {typed!r}; the screen:\n{screen}") from None


def type_in(tmux: Tmux, name: str, text: str) -> None:
    """Clear the focused field and type; again if the dialog was not ready for all of it."""

    def typed() -> bool:
        tmux("send-keys", "-t", name, "C-u")
        tmux("send-keys", "-t", name, "-l", text)
        try:
            tmux.wait_for(name, f"▊  {text} ", timeout=2)
        except AssertionError:
            return False
        return True

    wait_until(typed, 15, f"{text!r} to be typed")


def close_message(tmux: Tmux, name: str) -> None:
    tmux("send-keys", "-t", name, "Enter")
    wait_until(lambda: "Cannot import" not in tmux.screen(name), 10, "the message to close")


def test_every_typed_path_out_of_the_persons_folder_is_refused_without_showing_it(
    server: Server, keys: Keys, tmux: Tmux, tmp_path: Path
) -> None:
    # Bob's folder holds a log; a file outside every folder holds a secret; alice's folder
    # holds a symlink to it and a log of her own.
    secret = tmp_path / "secret.csv"
    secret.write_text(SECRET + "\n")
    bob = server.profiles / "bob"
    bob.mkdir(parents=True, exist_ok=True)
    (bob / "bob.csv").write_text(LOG)
    alice = server.profiles / "alice"
    alice.mkdir(parents=True, exist_ok=True)
    (alice / "link.csv").symlink_to(secret)
    (alice / "logs").mkdir(exist_ok=True)
    (alice / "logs" / "mine.csv").write_text(LOG)

    tmux.start("alice", ssh_command(server.port, keys["alice"], "-t"))
    tmux.wait_for("alice", WELCOME)
    tmux("send-keys", "-t", "alice", "End", "Enter")  # the last example opens its results
    tmux.wait_for("alice", "Costs")

    for typed in ("/etc/passwd", str(secret), "../bob/bob.csv", "link.csv", "~/x.csv"):
        screen = flat(import_usage(tmux, "alice", typed))
        assert "Cannot import these logs" in screen, screen
        assert "outside your folder" in screen, screen
        assert "root:" not in screen and "TOP-SECRET" not in screen, screen
        assert str(server.folder) not in screen and "/tmp" not in screen, screen
        close_message(tmux, "alice")

    # Her own folder works, and the answer names no server path.
    screen = flat(import_usage(tmux, "alice", "logs/mine.csv"))
    assert "Usage imported" in screen, screen
    assert str(server.folder) not in screen
    tmux("send-keys", "-t", "alice", "Enter")
    wait_until(lambda: "Usage imported" not in tmux.screen("alice"), 10, "the message to close")

    # The memo goes to her own folder and to her terminal, and the page says where without
    # a server path.
    tmux("send-keys", "-t", "alice", "m")
    note = flat(tmux.wait_for("alice", "Saved in your folder as"))
    assert str(server.folder) not in note and "Decision memo" in note
    assert list(alice.glob("*.memo.md")), os.listdir(alice)
    assert not list(bob.glob("*.memo.md"))
    tmux("send-keys", "-t", "alice", "C-q")
    tmux.wait_for("alice", "Unsaved")  # the import changed the profile
    tmux("send-keys", "-t", "alice", "d")  # discard
    assert tmux.exit_status("alice") == 0


def test_the_team_folder_is_offered_read_only_and_kept_to_itself(
    server: Server, keys: Keys, tmux: Tmux
) -> None:
    team = server.folder / "team"
    before = {p: p.read_bytes() for p in team.rglob("*") if p.is_file() and not p.is_symlink()}
    tmux.start("bob", ssh_command(server.port, keys["bob"], "-t"))
    tmux.wait_for("bob", "Team: Customer-service")
    tmux("send-keys", "-t", "bob", "Down", "Down", "Enter")  # the team's prepared case
    tmux.wait_for("bob", "prepared-case.toml (team)")
    tmux.wait_for("bob", "Costs")

    # Every path typed stays in bob's folder or the team's; the team's log can be read.
    for typed in ("/etc/passwd", "../alice/x.toml", "team/leak.csv", "team/../outside.csv"):
        screen = flat(import_usage(tmux, "bob", typed))
        assert "Cannot import these logs" in screen and "outside your folder" in screen, screen
        assert "TOP-SECRET" not in screen and str(server.folder) not in screen, screen
        close_message(tmux, "bob")
    screen = flat(import_usage(tmux, "bob", "team/logs/nov.csv"))
    assert "Usage imported" in screen and str(server.folder) not in screen, screen
    tmux("send-keys", "-t", "bob", "Enter")
    wait_until(lambda: "Usage imported" not in tmux.screen("bob"), 10, "the message to close")

    # Saving a team profile saves a copy in bob's own folder: the name is asked, and a name
    # leading elsewhere is refused.
    tmux("send-keys", "-t", "bob", "C-s")
    tmux.wait_for("bob", "Save as")
    type_in(tmux, "bob", "../alice/x.toml")
    tmux("send-keys", "-t", "bob", "Enter")
    tmux.wait_for("bob", "Cannot save there")
    tmux("send-keys", "-t", "bob", "Enter")
    wait_until(lambda: "Cannot save there" not in tmux.screen("bob"), 10, "the message to close")
    tmux.wait_for("bob", "Save as")
    type_in(tmux, "bob", "bobs-copy")
    tmux("send-keys", "-t", "bob", "Enter")
    note = flat(tmux.wait_for("bob", "Saved bobs-copy.toml"))
    assert str(server.folder) not in note
    assert (server.profiles / "bob" / "bobs-copy.toml").is_file()
    assert not (server.profiles / "alice" / "x.toml").exists()
    after = {p: p.read_bytes() for p in team.rglob("*") if p.is_file() and not p.is_symlink()}
    assert after == before
    tmux("send-keys", "-t", "bob", "C-q")
    assert tmux.exit_status("bob") == 0
