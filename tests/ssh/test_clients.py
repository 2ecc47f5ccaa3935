"""What the server offers passes ssh-audit, and three SSH clients reach the app with it: OpenSSH
(test_serve.py), PuTTY's plink and Dropbear's dbclient, each in a tmux terminal as people
meet them."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ssh.helpers import SSH_AUDIT, WELCOME, Keys, Server, Tmux, running_server

from advisor.serve.server import ENCRYPTION_ALGS, KEX_ALGS, MAC_ALGS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("clients")
    with running_server(folder, keys.authorized("alice"), "--fail-delay", "0") as s:
        yield s


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home for the clients: they keep host keys and settings there, not in the real one."""
    return tmp_path_factory.mktemp("home")


def host_fingerprint(server: Server) -> str:
    done = subprocess.run(
        ["ssh-keygen", "-lf", str(server.host_key)], capture_output=True, text=True, timeout=10
    )
    return done.stdout.split()[1]


def putty_key(keys: Keys, name: str) -> Path:
    ppk = keys.folder / f"{name}.ppk"
    if not ppk.exists():
        subprocess.run(
            ["puttygen", str(keys[name]), "-o", str(ppk), "-O", "private"],
            check=True,
            capture_output=True,
            timeout=30,
        )
    return ppk


def dropbear_key(keys: Keys, name: str) -> Path:
    key = keys.folder / f"{name}.dropbear"
    if not key.exists():
        subprocess.run(
            ["dropbearconvert", "openssh", "dropbear", str(keys[name]), str(key)],
            check=True,
            capture_output=True,
            timeout=30,
        )
    return key


def plink(server: Server, keys: Keys, home: Path, *options: str) -> list[str]:
    return [
        "env",
        f"HOME={home}",
        "plink",
        "-batch",
        "-ssh",
        "-P",
        str(server.port),
        "-i",
        str(putty_key(keys, "alice")),
        "-hostkey",
        host_fingerprint(server),
        *options,
        "alice@127.0.0.1",
    ]


def dbclient(server: Server, keys: Keys, home: Path, *options: str) -> list[str]:
    return [
        "env",
        f"HOME={home}",
        "dbclient",
        "-y",
        "-i",
        str(dropbear_key(keys, "alice")),
        "-p",
        str(server.port),
        *options,
        "alice@127.0.0.1",
    ]


def test_ssh_audit_finds_no_failure(server: Server) -> None:
    done = subprocess.run(
        [str(SSH_AUDIT), "-j", "-p", str(server.port), "127.0.0.1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 2), done.stdout + done.stderr  # 3 would be a failure
    report = json.loads(done.stdout)
    offered = {kind: [a["algorithm"] for a in report[kind]] for kind in ("kex", "enc", "mac")}
    assert [a for a in offered["kex"] if not a.startswith(("ext-info", "kex-strict"))] == KEX_ALGS
    assert offered["enc"] == ENCRYPTION_ALGS and offered["mac"] == MAC_ALGS
    assert [a["algorithm"] for a in report["key"]] == ["ssh-ed25519"]
    assert report["compression"] == ["none"]
    failures = [
        (kind, entry["algorithm"], entry["notes"]["fail"])
        for kind in ("kex", "key", "enc", "mac")
        for entry in report[kind]
        if entry.get("notes", {}).get("fail")
    ]
    assert failures == []
    # The warnings left, for the record: no post-quantum protection in plain curve25519 (what
    # clients without mlkem768x25519 need), encrypt-and-MAC hmac-sha2-256 (Dropbear's AES).
    warned = {
        entry["algorithm"]
        for kind in ("kex", "key", "enc", "mac")
        for entry in report[kind]
        if entry.get("notes", {}).get("warn")
    }
    assert warned <= {"curve25519-sha256", "curve25519-sha256@libssh.org", "hmac-sha2-256"}


def test_putty_plink_reaches_the_app(server: Server, keys: Keys, home: Path, tmux: Tmux) -> None:
    tmux.start("plink", plink(server, keys, home, "-t"))
    tmux.wait_for("plink", WELCOME)
    tmux("send-keys", "-t", "plink", "C-q")
    assert tmux.exit_status("plink") == 0
    server.wait_for_log("client='SSH-2.0-PuTTY")


def test_dropbear_dbclient_reaches_the_app(
    server: Server, keys: Keys, home: Path, tmux: Tmux
) -> None:
    tmux.start("dbclient", dbclient(server, keys, home, "-t"))
    tmux.wait_for("dbclient", WELCOME)
    tmux("send-keys", "-t", "dbclient", "C-q")
    tmux.exit_status("dbclient")  # dbclient's own status does not pass the app's on
    server.wait_for_log("client='SSH-2.0-dropbear")
    assert "quit (status 0)" in server.log().split("client='SSH-2.0-dropbear")[1]


@pytest.mark.parametrize("client", ["plink", "dbclient"])
def test_without_a_terminal_each_client_is_told_to_ask_for_one(
    server: Server, keys: Keys, home: Path, client: str
) -> None:
    command = {"plink": plink, "dbclient": dbclient}[client]
    done = subprocess.run(
        command(server, keys, home, "-T"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "TERM": "xterm"},
    )
    assert "use ssh -t" in done.stdout + done.stderr, done
    assert server.apps() == []
