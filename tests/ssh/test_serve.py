"""`advisor serve` as people meet it: the real `ssh`, `sftp` and a tmux terminal."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ssh.helpers import (
    WELCOME,
    Keys,
    Server,
    Tmux,
    alive,
    client_options,
    environ,
    parent,
    run_ssh,
    running_server,
    ssh_command,
    start_server,
    wait_until,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Iterator[Server]:
    """alice, bob and `../../etc` may connect; the stranger may not. Bob may hold ten
    sessions at once (test_ten_sessions_at_once_all_reach_the_first_screen)."""
    authorized = keys.authorized("alice", "bob", "sneaky")
    folder = tmp_path_factory.mktemp("server")
    options = ("--max-sessions", "12", "--max-per-person", "10", "--fail-delay", "0")
    with running_server(folder, authorized, *options) as s:
        yield s


def test_an_authorised_key_reaches_the_welcome_screen_and_quitting_ends_the_session(
    server: Server, keys: Keys, tmux: Tmux
) -> None:
    started = time.monotonic()
    tmux.start("alice", ssh_command(server.port, keys["alice"], "-t"))
    tmux.wait_for("alice", WELCOME)
    first_screen = time.monotonic() - started
    [app] = server.apps()
    assert parent(app) == server.warm_parent()  # forked from the warm parent
    assert server.terminal_size(app) == (80, 24)  # on its own pty, at the client's size
    assert server.app_folder(app) == server.profiles.absolute() / "alice"
    assert stat.S_IMODE((server.profiles / "alice").stat().st_mode) == 0o700
    tmux("send-keys", "-t", "alice", "C-q")
    assert tmux.exit_status("alice") == 0  # the app's exit status is the session's
    wait_until(lambda: not alive(app), 5, "the app to end")
    line = server.wait_for_log("quit (status 0)")
    assert "user=alice" in line and "key=SHA256:" in line and "addr=127.0.0.1:" in line
    assert first_screen < 15


def test_an_unknown_key_is_refused(server: Server, keys: Keys) -> None:
    done = run_ssh(server.port, keys["stranger"], "-T")
    assert done.returncode == 255
    assert "Permission denied (publickey)" in done.stderr
    assert server.apps() == []


def test_commands_sftp_and_forwarding_are_refused(
    server: Server, keys: Keys, tmp_path: Path
) -> None:
    done = run_ssh(server.port, keys["alice"], command="echo PWNED; id")
    assert done.returncode == 1
    assert "PWNED" not in done.stdout and "uid=" not in done.stdout
    assert "not allowed" in done.stderr

    forced = run_ssh(server.port, keys["alice"], "-tt", command="sh")
    assert forced.returncode == 1 and "not allowed" in forced.stdout + forced.stderr

    batch = tmp_path / "batch"
    batch.write_text("ls\nget /etc/passwd\n")
    options = client_options(keys["alice"])
    sftp = subprocess.run(
        ["sftp", "-b", str(batch), "-P", str(server.port), *options, "127.0.0.1"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert sftp.returncode != 0
    assert "subsystem request failed" in sftp.stderr
    assert not list(tmp_path.glob("passwd"))
    server.wait_for_log("ended=\"refused: subsystem 'sftp'\"")

    jump = run_ssh(server.port, keys["alice"], "-W", f"127.0.0.1:{server.port}")
    assert jump.returncode == 255
    assert "forwarding failed" in jump.stderr
    server.wait_for_log("refused: TCP forwarding")

    remote = run_ssh(
        server.port, keys["alice"], "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"
    )
    assert remote.returncode == 255 and "forwarding failed" in remote.stderr
    assert server.apps() == []


def test_without_a_pty_one_line_says_use_ssh_t(server: Server, keys: Keys) -> None:
    done = run_ssh(server.port, keys["alice"], "-T")
    assert done.returncode == 1
    assert "use ssh -t" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert server.apps() == []


def test_a_resize_reaches_the_app(server: Server, keys: Keys, tmux: Tmux) -> None:
    tmux.start("bob", ssh_command(server.port, keys["bob"], "-t"), width=80, height=24)
    before = tmux.wait_for("bob", WELCOME).splitlines()
    assert "^q Quit" in before[23]  # the footer, on the last of 24 lines
    tmux("resize-window", "-t", "bob", "-x", "120", "-y", "40")

    def reflowed() -> bool:
        lines = tmux.screen("bob").splitlines()
        return len(lines) == 40 and "^q Quit" in lines[39] and len(lines[39].rstrip()) > 80

    wait_until(reflowed, 10, "the app to redraw at 120x40")
    tmux("resize-window", "-t", "bob", "-x", "60", "-y", "20")
    wait_until(
        lambda: "^q" in (lines := tmux.screen("bob").splitlines())[19] and len(lines) == 20,
        10,
        "the app to redraw at 60x20",
    )
    tmux("send-keys", "-t", "bob", "C-q")
    assert tmux.exit_status("bob") == 0


def test_a_killed_client_takes_its_app_down(server: Server, keys: Keys, tmux: Tmux) -> None:
    tmux.start("victim", ssh_command(server.port, keys["alice"], "-t"))
    tmux.wait_for("victim", WELCOME)
    [app] = server.apps()
    os.kill(tmux.client_pid("victim"), signal.SIGKILL)
    wait_until(lambda: not alive(app), 5, f"app {app} to end after its client was killed")
    assert server.apps() == []
    server.wait_for_log("client disconnected")


def test_ten_sessions_at_once_all_reach_the_first_screen(
    server: Server, keys: Keys, tmux: Tmux
) -> None:
    names = [f"s{i}" for i in range(10)]
    for name in names:
        tmux.start(name, ssh_command(server.port, keys["bob"], "-t"))
    for name in names:
        tmux.wait_for(name, WELCOME, timeout=40)
    apps = server.apps()
    assert len(apps) == 10
    tmux("kill-server")  # ten clients gone at once
    wait_until(lambda: not any(alive(p) for p in apps), 10, "all ten apps to end")


def test_a_key_named_dot_dot_cannot_leave_the_profiles_folder(
    server: Server, keys: Keys, tmux: Tmux
) -> None:
    tmux.start("sneaky", ssh_command(server.port, keys["sneaky"], "-t", user="root"))
    tmux.wait_for("sneaky", WELCOME)
    [app] = server.apps()
    folder = server.app_folder(app)
    assert folder == server.profiles.absolute() / "etc"
    assert folder.resolve().is_relative_to(server.profiles.resolve())
    assert not (server.folder / "etc").exists() and not (server.folder.parent / "etc").exists()
    tmux("send-keys", "-t", "sneaky", "C-q")
    assert tmux.exit_status("sneaky") == 0


def test_a_profile_named_etc_passwd_is_refused_inside_the_app(
    server: Server, keys: Keys, tmux: Tmux
) -> None:
    tmux.start("saver", ssh_command(server.port, keys["alice"], "-t"))
    tmux.wait_for("saver", WELCOME)
    tmux("send-keys", "-t", "saver", "n")
    tmux.wait_for("saver", "Step 1 of")
    tmux("send-keys", "-t", "saver", "C-s")
    tmux.wait_for("saver", "Save as")

    def typed(name: str) -> bool:
        """Clear the field and type; again if the dialog was not ready for all of it (the
        field selects its text when it gets the focus, a moment after it shows)."""
        tmux("send-keys", "-t", "saver", "C-u")
        tmux("send-keys", "-t", "saver", "-l", name)
        try:
            tmux.wait_for("saver", f"▊  {name} ", timeout=2)
        except AssertionError:
            return False
        return True

    wait_until(lambda: typed("../../etc/passwd"), 15, "the name to be typed")
    tmux("send-keys", "-t", "saver", "Enter")
    tmux.wait_for("saver", "Cannot save there")
    assert not list(server.folder.rglob("passwd"))
    assert not list((server.profiles / "alice").glob("*.toml"))
    [app] = server.apps()
    os.kill(tmux.client_pid("saver"), signal.SIGKILL)
    wait_until(lambda: not alive(app), 5, "the app to end")


def test_a_key_claiming_another_persons_name_gets_its_own_folder(
    server: Server, keys: Keys, tmux: Tmux
) -> None:
    tmux.start("imposter", ssh_command(server.port, keys["bob"], "-t", user="alice"))
    tmux.wait_for("imposter", WELCOME)
    [app] = server.apps()
    assert server.app_folder(app) == server.profiles.absolute() / "bob"
    tmux("send-keys", "-t", "imposter", "End", "Enter")  # an example: the header names bob
    tmux.wait_for("imposter", "bob: ")
    tmux("send-keys", "-t", "imposter", "C-q")
    assert tmux.exit_status("imposter") == 0
    line = server.wait_for_log("claimed='alice'")
    assert "user=bob" in line.split("claimed='alice'")[0].splitlines()[-1]


def test_limits_a_full_house_answers_politely_and_idle_sessions_end(
    tmp_path: Path, keys: Keys, tmux: Tmux
) -> None:
    options = ("--max-sessions", "1", "--idle-timeout", "3")
    with running_server(tmp_path, keys.authorized("alice", "bob"), *options) as server:
        tmux.start("first", ssh_command(server.port, keys["alice"], "-t"))
        tmux.wait_for("first", WELCOME)
        started = time.monotonic()
        late = run_ssh(server.port, keys["bob"], "-tt")
        assert time.monotonic() - started < 10  # an answer, not a hang
        assert late.returncode == 1
        assert "seats are taken" in late.stdout
        assert len(late.stdout.strip().splitlines()) == 1
        # Left alone, the first session ends after the idle timeout, with a word.
        assert tmux.exit_status("first", timeout=15) == 1
        assert "without input" in tmux.screen("first")
        assert tmux.pane("first", "alternate_on") == "0"  # the terminal was given back
        assert server.apps() == []
        server.wait_for_log("idle for 3s")
        server.wait_for_log("refused: session limit")


def test_failed_logins_from_one_address_are_slowed_down(tmp_path: Path, keys: Keys) -> None:
    options = ("--fail-delay", "0.4", "--fail-delay-max", "0.8")
    with running_server(tmp_path, keys.authorized("alice"), *options) as server:
        took = []
        for _ in range(3):
            started = time.monotonic()
            assert run_ssh(server.port, keys["stranger"], "-T").returncode == 255
            took.append(time.monotonic() - started)
        assert took[1] >= 0.4 and took[2] >= 0.8  # 0, then 0.4 s, then 0.8 s (the cap)
        assert run_ssh(server.port, keys["alice"], "-T").returncode == 1  # a person gets in


def test_stopping_the_server_ends_every_session(tmp_path: Path, keys: Keys, tmux: Tmux) -> None:
    server = start_server(tmp_path, keys.authorized("alice"))
    try:
        tmux.start("last", ssh_command(server.port, keys["alice"], "-t"))
        tmux.wait_for("last", WELCOME)
        [app] = server.apps()
        server.process.send_signal(signal.SIGTERM)
        assert tmux.exit_status("last") == 1
        assert "shutting down" in tmux.screen("last")
        assert server.process.wait(timeout=15) == 0
        assert not alive(app)
    finally:
        assert server.stop() == []


def test_no_auth_only_on_loopback_and_loudly(tmp_path: Path, keys: Keys) -> None:
    with running_server(tmp_path, None, "--no-auth") as server:
        assert "WARNING" in server.stderr() and "ANYONE" in server.stderr()
        done = run_ssh(server.port, keys["stranger"], "-T")
        assert done.returncode == 1 and "use ssh -t" in done.stderr  # in, without a key


def test_the_host_key_is_made_once_private_and_reused(tmp_path: Path, keys: Keys) -> None:
    authorized = keys.authorized("alice")
    first = start_server(tmp_path / "a", authorized)
    first.stop()
    assert stat.S_IMODE(first.host_key.stat().st_mode) == 0o600
    again = start_server(tmp_path / "b", authorized, host_key=first.host_key)
    again.stop()
    fingerprint = subprocess.run(
        ["ssh-keygen", "-lf", str(first.host_key)], capture_output=True, text=True, timeout=10
    ).stdout.split()[1]
    assert "(new," in first.stderr() and fingerprint in first.stderr()
    assert "(new," not in again.stderr() and fingerprint in again.stderr()


def test_a_fresh_interpreter_gets_the_clients_term_and_no_size_variables(
    tmp_path: Path, keys: Keys, tmux: Tmux
) -> None:
    """`--cold`: each app starts afresh (its environment can be read from outside here: a
    forked app's /proc environ is its warm parent's, which holds nobody's)."""
    with running_server(tmp_path, keys.authorized("alice"), "--cold") as server:
        assert server.warm_parent() is None
        tmux.start("alice", ssh_command(server.port, keys["alice"], "-t"))
        tmux.wait_for("alice", WELCOME)
        [app] = server.apps()
        env = environ(app)
        assert env["TERM"] == "tmux-256color"  # the client's terminal type reached the app
        assert "COLUMNS" not in env and "LINES" not in env
        assert env["ADVISOR_SSH_USER"] == "alice"
        assert server.app_folder(app) == server.profiles.absolute() / "alice"
        tmux("send-keys", "-t", "alice", "C-q")
        assert tmux.exit_status("alice") == 0
