"""Presenter mode as a room of stakeholders meets it: the real OpenSSH client in tmux, one
terminal each, each at its own size, against `advisor serve` on 127.0.0.1."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ssh.helpers import (
    WELCOME,
    Keys,
    Server,
    Tmux,
    alive,
    running_server,
    server_env,
    ssh_command,
    start_server,
    wait_until,
)
from tests.ssh.test_confinement import type_in


@pytest.fixture(scope="module")
def people(keys: Keys) -> Keys:
    keys.make("carol", "carol")
    return keys


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, people: Keys) -> Iterator[Server]:
    authorized = people.authorized("alice", "bob", "carol")
    folder = tmp_path_factory.mktemp("rooms")
    with running_server(folder, authorized, "--fail-delay", "0") as s:
        yield s


def flat(screen: str) -> str:
    return " ".join(screen.split())


def wait_flat(tmux: Tmux, name: str, text: str, timeout: float = 20) -> str:
    """The screen once `text` is on it, wherever its lines wrap."""
    try:
        found = wait_until(
            lambda: text in (screen := flat(tmux.screen(name))) and screen, timeout, repr(text)
        )
        return str(found)
    except AssertionError as error:
        others = tmux("list-sessions", "-F", "#{session_name}").split()
        screens = "\n".join(f"-- {other}:\n{tmux.screen(other)}" for other in others)
        raise AssertionError(f"{error} on {name}'s screen; the screens:\n{screens}") from None


def present(tmux: Tmux, server: Server, keys: Keys, name: str = "alice") -> str:
    """`name` opens the last example and presents it; the room's code."""
    tmux.start(name, ssh_command(server.port, keys[name], "-t"), 80, 24)
    tmux.wait_for(name, WELCOME)
    tmux("send-keys", "-t", name, "End", "Enter")
    tmux.wait_for(name, "Costs")
    tmux("send-keys", "-t", name, "F8")
    found = wait_until(
        lambda: re.search(r"join-([A-Z0-9]{6})@127\.0\.0\.1", tmux.screen(name)), 20, "the code"
    )
    assert f"ssh -t -p {server.port} join-{found.group(1)}@127.0.0.1" in tmux.screen(name)
    return str(found.group(1))


def join(
    tmux: Tmux, server: Server, keys: Keys, name: str, code: str, size: tuple[int, int]
) -> None:
    command = ssh_command(server.port, keys[name], "-t", user=f"join-{code}")
    tmux.start(name, command, *size)


def answer(tmux: Tmux, name: str, key: str) -> None:
    """Answer a knock; again while it is on screen (keys in its first moments are ignored:
    they were typed before it was seen)."""

    def answered() -> bool:
        tmux("send-keys", "-t", name, key)
        try:
            wait_until(lambda: "asks to join" not in tmux.screen(name), 0.5, "the question")
        except AssertionError:
            return False
        return True

    wait_until(answered, 10, f"{name}'s answer")


def test_followers_at_their_own_sizes_follow_the_presenter_and_change_nothing(
    server: Server, people: Keys, tmux: Tmux
) -> None:
    code = present(tmux, server, people)
    tmux("send-keys", "-t", "alice", "Escape")
    join(tmux, server, people, "bob", code, (120, 40))
    join(tmux, server, people, "carol", code, (100, 30))

    def room_line(name: str) -> str:  # under the header
        return tmux.screen(name).splitlines()[1]

    for name in ("alice", "bob", "carol"):  # who is in shows on everyone's screen
        wait_until(
            lambda n=name: all(p in room_line(n) for p in ("alice", "bob", "carol")),
            20,
            f"everyone on {name}'s room line",
        )
    assert room_line("alice").startswith(f" Room {code} · you present (F8: the room) · in: ")
    assert f"Room {code} · following alice (F9: look around)" in room_line("bob")
    assert "alice (presenting)" in room_line("carol") and "carol (you)" in room_line("carol")
    # Each at its own size.
    for name, (columns, rows) in (("bob", (120, 40)), ("carol", (100, 30))):
        wait_until(  # a screen caught mid-draw (a toast arriving) has no footer yet
            lambda n=name: "^q Quit" in (tmux.screen(n).splitlines() or [""])[-1],
            20,
            f"{name}'s footer",
        )
        lines = tmux.screen(name).splitlines()
        assert len(lines) == rows and "^q Quit" in lines[-1], tmux.screen(name)
        assert max(len(line.rstrip()) for line in lines) > 80 and columns > 80

    # The presenter shows the rules: both followers do.
    tmux("send-keys", "-t", "alice", "4")
    tmux.wait_for("alice", "Fired")
    tmux.wait_for("bob", "Fired")
    tmux.wait_for("carol", "Fired")

    # A follower's keys change nothing: not the presenter's profile, not the room's view.
    tmux("send-keys", "-t", "bob", "e", "2", "n", "u", "Down", "Enter", "1")
    tmux("send-keys", "-t", "bob", "-l", "9999")
    wait_flat(tmux, "bob", "F9 looks around on your own")
    screen = tmux.screen("alice")
    assert "Fired" in screen and "* " not in screen.splitlines()[0]  # unchanged, unsaved: no
    assert "Fired" in tmux.screen("bob") and "Fired" in tmux.screen("carol")
    assert "Step 1 of" not in tmux.screen("bob")

    # The presenter leaves: both followers are told, and may keep a copy.
    tmux("send-keys", "-t", "alice", "C-q")
    assert tmux.exit_status("alice") == 0
    for name in ("bob", "carol"):
        wait_flat(tmux, name, "alice has left: the room has ended")
        wait_flat(tmux, name, "Save a copy (y)")
    tmux("send-keys", "-t", "bob", "y")
    tmux.wait_for("bob", "Save as")
    type_in(tmux, "bob", "from-alice")
    tmux("send-keys", "-t", "bob", "Enter")
    wait_until(lambda: (server.profiles / "bob" / "from-alice.toml").is_file(), 10, "the copy")
    for name in ("bob", "carol"):
        tmux("send-keys", "-t", name, "Escape")
        tmux("send-keys", "-t", name, "C-q")
        assert tmux.exit_status(name) == 0
    log = server.wait_for_log(f"room={code} ended")
    assert f"room={code} opened by=alice" in log
    assert f"room={code} joined by=bob" in log and f"room={code} joined by=carol" in log
    assert "session=" in log and f" room={code}\n" in log  # a session line: started, joining
    server.wait_for_log(f"rooms='joined {code}'")


def test_approval_then_the_keyboard_handed_over_and_taken_back(
    server: Server, people: Keys, tmux: Tmux
) -> None:
    code = present(tmux, server, people)
    tmux("send-keys", "-t", "alice", "a")  # ask before anyone joins
    wait_flat(tmux, "alice", "ask before anyone joins (on)")
    tmux("send-keys", "-t", "alice", "Escape")
    wait_until(lambda: "join-" not in tmux.screen("alice"), 10, "the room's panel to close")

    join(tmux, server, people, "bob", code, (100, 30))
    tmux.wait_for("bob", "asking alice to let you into room")
    tmux.wait_for("alice", "bob asks to join")
    answer(tmux, "alice", "n")
    assert tmux.exit_status("bob") == 1
    assert "did not let you in" in tmux.screen("bob")
    assert not [a for a in server.apps() if "bob" in str(server.app_folder(a))]

    tmux("kill-session", "-t", "bob")
    join(tmux, server, people, "bob", code, (100, 30))
    tmux.wait_for("alice", "bob asks to join")
    answer(tmux, "alice", "y")
    wait_flat(tmux, "bob", f"Room {code} · following alice (F9: look around)")

    # The keyboard to bob: his keys drive the room, alice follows him.
    tmux("send-keys", "-t", "alice", "F8")
    tmux.wait_for("alice", "bob: following")
    tmux("send-keys", "-t", "alice", "h")
    wait_flat(tmux, "bob", "you have the keyboard")
    tmux("send-keys", "-t", "alice", "Escape")
    wait_flat(tmux, "alice", "following bob")
    tmux("send-keys", "-t", "bob", "e")
    tmux.wait_for("bob", "Step 1 of 8")
    tmux.wait_for("alice", "Step 1 of 8")
    tmux("send-keys", "-t", "bob", "-l", "20000")  # over the selected requests per day
    tmux.wait_for("bob", "20000")
    tmux.wait_for("alice", "20000")
    wait_until(lambda: "* " in tmux.screen("alice").splitlines()[0], 10, "alice's changed title")

    # ... and back to alice.
    tmux("send-keys", "-t", "alice", "F8")
    tmux.wait_for("alice", "bob: has the keyboard")
    tmux("send-keys", "-t", "alice", "t")
    wait_flat(tmux, "bob", "following alice")
    tmux("send-keys", "-t", "alice", "Escape")
    tmux("send-keys", "-t", "bob", "-l", "5")  # bob's keys go nowhere again
    wait_flat(tmux, "bob", "F9 looks around on your own")
    assert "200005" not in tmux.screen("alice")
    # bob's answer is alice's unsaved change now: she is asked, and drops it.
    tmux("send-keys", "-t", "alice", "C-q")
    tmux.wait_for("alice", "Unsaved changes")
    tmux("send-keys", "-t", "alice", "d")
    assert tmux.exit_status("alice") == 0
    assert not (server.profiles / "alice" / ".draft.toml").exists()
    tmux("kill-session", "-t", "bob")


def test_a_room_code_that_names_no_room_is_one_line(server: Server, people: Keys) -> None:
    done = subprocess.run(
        ssh_command(server.port, people["carol"], "-tt", user="join-ZZZZZZ"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert "there is no room by that code here" in done.stdout
    server.wait_for_log("refused: no such room")


def test_status_lists_who_is_connected_and_in_which_room(
    server: Server, people: Keys, tmux: Tmux
) -> None:
    code = present(tmux, server, people)
    tmux("send-keys", "-t", "alice", "Escape")
    join(tmux, server, people, "carol", code, (80, 24))
    wait_flat(tmux, "carol", f"Room {code}")

    def status() -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "advisor", "serve", "--status", "--host-key"]
        return subprocess.run(
            [*argv, str(server.host_key)],
            capture_output=True,
            text=True,
            timeout=30,
            env=server_env(server.folder),
        )

    def listed() -> str | None:
        out = status().stdout
        return out if "carol" in out and "following" in out else None

    out = wait_until(listed, 10, "carol in the status")
    assert f"127.0.0.1:{server.port}" in out
    assert re.search(rf"alice .* {code} presenting", out), out
    assert re.search(rf"carol .* {code} following", out), out
    assert f"join with: ssh -t -p {server.port} join-{code}@127.0.0.1" in out
    for name in ("alice", "carol"):
        tmux("kill-session", "-t", name)


def test_unsaved_answers_survive_a_dropped_link(server: Server, people: Keys, tmux: Tmux) -> None:
    tmux.start("carol", ssh_command(server.port, people["carol"], "-t"))
    tmux.wait_for("carol", WELCOME)
    tmux("send-keys", "-t", "carol", "n")
    tmux.wait_for("carol", "Requests per day")
    tmux("send-keys", "-t", "carol", "-l", "7777")
    tmux.wait_for("carol", "7777")
    draft = server.profiles / "carol" / ".draft.toml"
    wait_until(lambda: draft.is_file() and "7777" in draft.read_text(), 10, "the draft")
    [app] = [a for a in server.apps() if server.app_folder(a).name == "carol"]
    os.kill(tmux.client_pid("carol"), signal.SIGKILL)  # the link drops
    wait_until(lambda: not alive(app), 10, "the app to end")

    tmux.start("again", ssh_command(server.port, people["carol"], "-t"))
    tmux.wait_for("again", "Unsaved changes from your last session")
    assert "from a new profile" in flat(tmux.screen("again"))
    tmux("send-keys", "-t", "again", "r")
    tmux.wait_for("again", "Costs")
    tmux("send-keys", "-t", "again", "e")
    tmux.wait_for("again", "7777")
    tmux("send-keys", "-t", "again", "C-q")
    tmux.wait_for("again", "Unsaved")
    tmux("send-keys", "-t", "again", "d")  # discarded on purpose: no draft any more
    assert tmux.exit_status("again") == 0
    assert not draft.exists()


def test_stopping_the_server_tells_every_session_and_keeps_its_draft(
    tmp_path: Path, people: Keys, tmux: Tmux
) -> None:
    server = start_server(tmp_path, people.authorized("alice"))
    try:
        tmux.start("alice", ssh_command(server.port, people["alice"], "-t"))
        tmux.wait_for("alice", WELCOME)
        tmux("send-keys", "-t", "alice", "n")
        tmux.wait_for("alice", "Requests per day")
        tmux("send-keys", "-t", "alice", "-l", "4242")
        tmux.wait_for("alice", "4242")
        server.process.send_signal(signal.SIGTERM)
        assert tmux.exit_status("alice") == 1
        assert "unsaved changes are kept" in flat(tmux.screen("alice"))
        assert server.process.wait(timeout=15) == 0
        draft = server.profiles / "alice" / ".draft.toml"
        assert "4242" in draft.read_text()
        assert not list(server.host_key.parent.glob("serve-*.status.json"))  # removed
    finally:
        assert server.stop() == []
