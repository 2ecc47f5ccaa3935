"""Over SSH every path a person types stays inside their own folder (issue: bob read
/etc/passwd through Import usage). The real OpenSSH client in tmux, as people meet it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ssh.helpers import WELCOME, Keys, Server, Tmux, running_server, ssh_command, wait_until

SECRET = "root:x:0:0:TOP-SECRET-LINE"
LOG = (
    "timestamp,model,input_tokens,output_tokens\n"
    "2026-11-01T10:00:00Z,gpt-4o,1200,300\n"
    "2026-11-02T11:00:00Z,gpt-4o,1400,350\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Iterator[Server]:
    authorized = keys.authorized("alice", "bob")
    folder = tmp_path_factory.mktemp("confined")
    with running_server(folder, authorized, "--fail-delay", "0") as s:
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
            tmux.wait_for(name, typed[-12:], timeout=2)
        except AssertionError:
            return False
        return True

    wait_until(ready, 15, "the path field to take keys")
    wait_until(entered, 15, "the path to be typed")
    tmux("send-keys", "-t", name, "Enter")
    return wait_until(
        lambda: (s := tmux.screen(name)) and ("Cannot import" in s or "Usage imported" in s) and s,
        20,
        "the import's answer",
    )


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

    # The memo goes to her own folder, and the note says where without a server path.
    tmux("send-keys", "-t", "alice", "m")
    note = flat(tmux.wait_for("alice", "Memo written to"))
    assert str(server.folder) not in note
    assert list(alice.glob("*.memo.md")), os.listdir(alice)
    assert not list(bob.glob("*.memo.md"))
    tmux("send-keys", "-t", "alice", "C-q")
    tmux.wait_for("alice", "Unsaved")  # the import changed the profile
    tmux("send-keys", "-t", "alice", "d")  # discard
    assert tmux.exit_status("alice") == 0
