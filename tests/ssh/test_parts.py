"""The server's parts on their own: names, folders, keys, the slow-down, the app's environment,
and the checks that refuse to start. No network."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest

from advisor.cli import main
from advisor.serve.app_process import (
    MAX_COLUMNS,
    MAX_ROWS,
    app_environment,
    clamp_size,
    safe_term,
)
from advisor.serve.keys import (
    AuthorizedKeys,
    KeyFileError,
    load_or_create_host_key,
    parse_authorized_keys,
)
from advisor.serve.limits import (
    AUTHENTICATING,
    CONNECTED,
    HELLO,
    LoginGate,
    LogQuota,
    address_group,
    per_person_sessions,
)
from advisor.serve.people import FolderError, fingerprint_name, person_folder, person_name
from advisor.serve.throttle import FailedLogins

FINGERPRINT = "SHA256:qEBXo5BlMz6k5Hw4d+qHnBX73/r4aJ4TuXCdSpQHWLI"


@pytest.mark.parametrize(
    ("comment", "name"),
    [
        ("alice", "alice"),
        ("alice@laptop", "alice@laptop"),
        ("Bob Smith", "Bob-Smith"),
        ("José", "José"),
        ("José García", "José-García"),
        ("Zoë", "Zoë"),
        ("Zoe\u0308", "Zoë"),  # the same name, typed with a combining diaeresis
        ("名前", "名前"),
        ("a\tb\nc", "a-b-c"),
        ("../../etc", "etc"),
        ("../../etc/passwd", "etc-passwd"),
        ("/root", "root"),
        (".hidden", "hidden"),
        ("..", fingerprint_name(FINGERPRINT)),
        ("", fingerprint_name(FINGERPRINT)),
        (None, fingerprint_name(FINGERPRINT)),
        ("-rf", "rf"),
        ("x" * 200, "x" * 64),
    ],
)
def test_a_person_is_named_by_their_keys_comment_made_safe(comment: str | None, name: str) -> None:
    assert person_name(comment, FINGERPRINT) == name


def test_a_key_without_a_comment_is_named_by_its_fingerprint() -> None:
    assert fingerprint_name(FINGERPRINT) == "key-qEBXo5BlMz6k5Hw4"


def test_a_persons_folder_is_private_and_inside_the_profiles_folder(tmp_path: Path) -> None:
    root = tmp_path / "profiles"
    folder = person_folder(root, "alice")
    assert folder == root / "alice" and folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    for bad in ("..", ".", "../x", "a/b", ".ssh", ""):
        with pytest.raises(FolderError):
            person_folder(root, bad)


def test_a_symlinked_persons_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "profiles"
    root.mkdir()
    (root / "mallory").symlink_to(tmp_path)
    with pytest.raises(FolderError):
        person_folder(root, "mallory")


def _key(folder: Path, name: str, comment: str) -> str:
    path = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
        check=True,
        timeout=20,
    )
    return Path(f"{path}.pub").read_text().strip()


def test_authorized_keys_lines_name_people_and_skip_what_is_not_a_key(tmp_path: Path) -> None:
    alice, bob, carol = (_key(tmp_path, n, c) for n, c in [("a", "alice"), ("b", "bob"), ("c", "")])
    text = "\n".join(
        [
            "# people in the room",
            alice,
            f'from="10.9.9.9",no-pty {bob}',
            carol,
            "not a key at all",
            f"cert-authority {alice}",
            "",
        ]
    )
    entries, warnings = parse_authorized_keys(text)
    assert sorted(e.person.name for e in entries.values()) == sorted(
        ["alice", "bob", fingerprint_name(asyncssh.import_public_key(carol).get_fingerprint())]
    )
    assert len(warnings) == 2
    assert "line 5" in warnings[0] and "line 6" in warnings[1]

    path = tmp_path / "authorized_keys"
    path.write_text(text)
    keys = AuthorizedKeys(path)
    keys.load()
    person = keys.match(asyncssh.import_public_key(alice), "127.0.0.1")
    assert person is not None and person.name == "alice"
    assert person.fingerprint.startswith("SHA256:")
    assert keys.match(asyncssh.import_public_key(bob), "127.0.0.1") is None  # from= says no
    assert keys.match(asyncssh.import_public_key(bob), "10.9.9.9") is not None


def test_a_keys_comment_may_be_in_any_script(tmp_path: Path) -> None:
    lines = [_key(tmp_path, f"k{n}", name) for n, name in enumerate(["Zoë", "José García", "名前"])]
    text = "\n".join([*lines, f'from="127.0.0.1" {_key(tmp_path, "z", "Zoë Two")}'])
    entries, warnings = parse_authorized_keys(text)
    assert warnings == []
    assert sorted(e.person.name for e in entries.values()) == sorted(
        ["Zoë", "José-García", "名前", "Zoë-Two"]
    )
    path = tmp_path / "authorized_keys"
    path.write_text(text, encoding="utf-8")
    keys = AuthorizedKeys(path)
    keys.load()
    zoe_two = asyncssh.import_public_key(text.splitlines()[-1].split(" ", 1)[1].encode())
    assert keys.match(zoe_two, "127.0.0.1") is not None  # from= still holds
    assert keys.match(zoe_two, "10.1.1.1") is None


def test_authorized_keys_are_read_again_when_the_file_changes(tmp_path: Path) -> None:
    alice, dave = _key(tmp_path, "a", "alice"), _key(tmp_path, "d", "dave")
    path = tmp_path / "authorized_keys"
    path.write_text(alice + "\n")
    keys = AuthorizedKeys(path)
    keys.load()
    assert keys.match(asyncssh.import_public_key(dave), "127.0.0.1") is None
    path.write_text(alice + "\n" + dave + "\n")
    assert keys.match(asyncssh.import_public_key(dave), "127.0.0.1") is not None
    path.unlink()  # a file that vanished lets nobody in
    assert keys.match(asyncssh.import_public_key(alice), "127.0.0.1") is None


def test_the_host_key_is_ed25519_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "config" / "advisor" / "ssh_host_ed25519_key"
    key, created = load_or_create_host_key(path)
    assert created and key.get_algorithm() == "ssh-ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created = load_or_create_host_key(path)
    assert not created and again.get_fingerprint() == key.get_fingerprint()
    os.chmod(path, 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_or_create_host_key(path)


def test_failed_logins_wait_longer_each_time_up_to_a_cap() -> None:
    throttle = FailedLogins(base=0.5, cap=3.0, forget_after=60)
    delays = [throttle.failed("10.0.0.1", now=float(t)) for t in range(6)]
    assert delays == [0.0, 0.5, 1.0, 2.0, 3.0, 3.0]
    assert throttle.failed("10.0.0.2", now=6.0) == 0.0  # another address is not slowed
    throttle.succeeded("10.0.0.1")
    assert throttle.failed("10.0.0.1", now=7.0) == 0.0
    assert throttle.failed("10.0.0.1", now=8.0) == 0.5
    assert throttle.failed("10.0.0.1", now=200.0) == 0.0  # forgotten after a quiet minute
    assert FailedLogins(base=0, cap=0).failed("x") == 0.0


def test_the_throttle_remembers_a_bounded_number_of_addresses() -> None:
    throttle = FailedLogins(base=1, cap=1, max_tracked=100)
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}", now=float(n))
    assert len(throttle._failures) <= 100


def test_the_app_gets_an_allow_list_of_the_servers_environment() -> None:
    base = {
        "PATH": "/venv/bin:/bin",
        "HOME": "/home/op",
        "LANG": "de_DE.UTF-8",
        "LC_TIME": "de_DE.UTF-8",
        "TZ": "Europe/Berlin",
        "PYTHONPATH": "/src",
        "ADVISOR_TODAY": "2026-01-02",
        "ADVISOR_CATALOG": "/etc/advisor/catalog.toml",
        "XDG_CONFIG_HOME": "/home/op/.config",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "OPENAI_API_KEY": "sk-secret",
        "SSH_AUTH_SOCK": "/tmp/agent",
        "PYTHONINSPECT": "1",
        "PYTHONSTARTUP": "/tmp/x.py",
        "PYTHONBREAKPOINT": "os.system",
        "TEXTUAL": "devtools",
        "LD_PRELOAD": "/tmp/evil.so",
        "DISPLAY": ":0",
        "ADVISOR_SSH_USER": "someone-else",
    }
    env = app_environment("xterm", None, {}, "alice", base=base)
    assert env == {
        "PATH": "/venv/bin:/bin",
        "HOME": "/home/op",
        "LANG": "de_DE.UTF-8",
        "LC_TIME": "de_DE.UTF-8",
        "TZ": "Europe/Berlin",
        "PYTHONPATH": "/src",
        "ADVISOR_TODAY": "2026-01-02",
        "ADVISOR_CATALOG": "/etc/advisor/catalog.toml",
        "XDG_CONFIG_HOME": "/home/op/.config",
        "TERM": "xterm",
        "ADVISOR_SSH_USER": "alice",
    }


@pytest.mark.parametrize(
    ("columns", "rows", "before", "size"),
    [
        (80, 24, (80, 24), (80, 24)),
        (120, 40, (80, 24), (120, 40)),
        (1, 1, (80, 24), (1, 1)),
        (9999, 9999, (80, 24), (MAX_COLUMNS, MAX_ROWS)),
        (70000, 70000, (120, 40), (MAX_COLUMNS, MAX_ROWS)),
        (2**31, 2**31, (80, 24), (MAX_COLUMNS, MAX_ROWS)),
        (2**32 - 1, 30, (80, 24), (MAX_COLUMNS, 30)),
        (2**32 + 5, 2**64, (80, 24), (MAX_COLUMNS, MAX_ROWS)),
        (0, 0, (80, 24), (80, 24)),
        (0, 50, (132, 43), (132, 50)),  # 0 is "not known": that side stays
        (-1, -(2**31), (100, 30), (100, 30)),
        (None, "40", (100, 30), (100, 30)),
    ],
)
def test_a_terminal_size_is_clamped_whatever_the_client_says(
    columns: object, rows: object, before: tuple[int, int], size: tuple[int, int]
) -> None:
    assert clamp_size(columns, rows, before) == size


def test_a_large_monitors_terminal_fits_the_clamp() -> None:
    # A full-screen window on a 4K monitor at 7x15-pixel cells, an ultrawide at 7x15, an 8K
    # monitor at 8x16: each is drawn at its real size.
    for columns, rows in ((548, 144), (731, 96), (960, 270)):
        assert clamp_size(columns, rows) == (columns, rows)


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("not an address", "not an address"),
    ],
)
def test_limits_count_by_address_and_by_ipv6_64(address: str, group: str) -> None:
    assert address_group(address) == group


def test_one_person_never_takes_every_seat() -> None:
    assert per_person_sessions(3, 20) == 3
    assert per_person_sessions(25, 20) == 19
    assert per_person_sessions(3, 2) == 1
    assert per_person_sessions(3, 1) == 1


class _Conn:
    def __init__(self, group: str, started: float, stage: int = CONNECTED) -> None:
        self.group, self.started, self.stage = group, started, stage

    def __repr__(self) -> str:
        return f"<{self.group} t={self.started} stage={self.stage}>"


def test_a_newcomer_always_gets_in_and_the_least_advanced_oldest_makes_room() -> None:
    gate: LoginGate[_Conn] = LoginGate(per_group=3, total=5, grace=1.0)
    talking = _Conn("a", 0.0, HELLO)
    silent_old, silent_new = _Conn("a", 1.0), _Conn("a", 2.0)
    for conn in (talking, silent_old, silent_new):
        assert gate.admit(conn, now=conn.started) == []
    newcomer = _Conn("a", 3.0)
    [(closed, why)] = gate.admit(newcomer, now=3.0)
    assert closed is silent_old and "from one address" in why  # silent before talking
    assert newcomer in gate and silent_old not in gate and gate.count("a") == 3
    # Stalled after saying hello: it goes before silent ones that are still new.
    [(closed, _)] = gate.admit(_Conn("a", 3.5), now=3.5)
    assert closed is silent_new
    [(closed, _)] = gate.admit(_Conn("a", 3.6), now=3.6)
    assert closed is talking
    # Another address does not crowd "a" out: the total makes room from everyone, the one
    # that got least far, oldest first.
    asking = _Conn("b", 4.0, AUTHENTICATING)
    assert gate.admit(asking, now=4.0) == []
    assert gate.admit(_Conn("b", 5.0), now=5.0) == []
    [(closed, why)] = gate.admit(_Conn("c", 9.0), now=9.0)
    assert closed is newcomer and "at once" in why
    assert len(gate) == 5 and asking in gate
    # All of them new: then the least advanced, oldest first, all the same.
    young: LoginGate[_Conn] = LoginGate(per_group=2, total=10, grace=1.0)
    first, second = _Conn("a", 0.0, HELLO), _Conn("a", 0.1)
    young.admit(first, now=0.1)
    young.admit(second, now=0.1)
    [(closed, _)] = young.admit(_Conn("a", 0.2), now=0.2)
    assert closed is second
    gate.leave(asking)
    gate.leave(asking)  # twice is harmless
    assert len(gate) == 4


def test_a_flood_of_lines_about_connections_that_never_logged_in_is_said_once() -> None:
    quota = LogQuota(burst=3, total=5, period=60, quiet=5, max_tracked=2)
    said = [quota.allow("a", now=t / 10) for t in range(10)]
    assert said == [True] * 3 + [False] * 7
    assert quota.allow("b", now=1.0) and quota.allow("c", now=1.0)
    assert not quota.allow("d", now=1.0)  # 5 lines in all this minute
    assert not quota.allow("e", now=1.0)  # beyond max_tracked: counted with the others
    assert quota.flush(now=3.0) is None  # the flood goes on
    line = quota.flush(now=6.5)  # it paused for 5 seconds
    assert line is not None and line.startswith("9 more connection(s) ended before logging in")
    assert "7 from a" in line and "1 from d" in line and "1 from addresses beyond" in line
    assert quota.flush(now=7.0) is None  # said once
    assert not quota.allow("a", now=30.0)  # the minute is not over
    assert quota.flush(now=61.0) == (
        "1 more connection(s) ended before logging in, not logged one by one "
        "(at most 3 lines for an address and 5 in all each 60s): 1 from a"
    )
    assert quota.allow("a", now=62.0)  # a new minute
    assert quota.flush(now=63.0, everything=True) is None


def test_the_app_gets_the_clients_term_and_never_columns_or_lines() -> None:
    base = {"PATH": "/bin", "COLUMNS": "80", "LINES": "24", "TMUX": "x", "LANG": "C", "TERM": "x"}
    env = app_environment("xterm-kitty", None, {}, "alice", base=base)
    assert env["TERM"] == "xterm-kitty"
    assert "COLUMNS" not in env and "LINES" not in env and "TMUX" not in env
    assert "COLORTERM" not in env and env["LANG"] == "C.UTF-8"
    assert env["ADVISOR_SSH_USER"] == "alice" and env["PATH"] == "/bin"
    assert app_environment("xterm", "truecolor", {}, "a", base={})["COLORTERM"] == "truecolor"
    asked = app_environment("xterm", None, {"COLORTERM": "truecolor", "EVIL": "1"}, "a", base={})
    assert asked["COLORTERM"] == "truecolor" and "EVIL" not in asked
    assert safe_term("xterm-256color") == "xterm-256color"
    assert safe_term("$(reboot)") == safe_term(None) == "xterm-256color"


def test_without_a_usable_key_the_server_refuses_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["serve", "--port", "0", "--host-key", str(tmp_path / "hk")]
    assert main([*common, "--authorized-keys", str(tmp_path / "missing")]) == 2
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "empty").write_text("# nobody yet\n")
    assert main([*common, "--authorized-keys", str(tmp_path / "empty")]) == 2
    assert "no usable public key" in capsys.readouterr().err
    assert not (tmp_path / "hk").exists()


def test_no_auth_is_refused_off_loopback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["serve", "--no-auth", "--host", "0.0.0.0", "--host-key", str(tmp_path / "hk")]
    assert main(argv) == 2
    assert "loopback" in capsys.readouterr().err


def test_the_command_line_does_not_load_the_ssh_server_until_it_serves() -> None:
    code = (
        "import sys\nfrom advisor.cli import parser\nparser()\n"
        "assert not any(m.split('.')[0] in ('asyncssh', 'cryptography') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
