"""A real PostgreSQL server for the tests, started from the installed binaries (initdb, pg_ctl)
in a temporary folder on a free port, and stopped afterwards. PostgreSQL refuses to run as root:
as root the server runs as the `postgres` user Debian's package creates (`runuser`).

Missing binaries are a failure with a message, never a skip: `.ci/run` installs the
`postgresql` package, so a machine without it has not been set up as CI is.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER, SUPERUSER_PASSWORD = "admin", "s3cret-admin-pw"


def _binaries() -> Path:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<v>/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if versions:
        return Path(versions[-1]).parent
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl) are not installed: the PostgreSQL import "
        "is tested against a real server. Install them (Debian: apt-get install postgresql; "
        ".ci/run does), then run the tests again.",
        pytrace=False,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    port: int
    folder: Path
    bin: Path
    run_as: list[str]

    def url(
        self, user: str = SUPERUSER, password: str = SUPERUSER_PASSWORD, db: str = "postgres"
    ) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        subprocess.run(
            [
                *self.run_as,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "stop",
            ],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    bin_dir = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(
                "The tests run as root, and PostgreSQL will not: they need the `postgres` user "
                "(Debian's postgresql package creates it; .ci/run installs it).",
                pytrace=False,
            )
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    password_file = folder / "password"
    password_file.write_text(SUPERUSER_PASSWORD + "\n")
    if run_as:
        os.chown(password_file, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    steps = [
        [
            str(bin_dir / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            SUPERUSER,
            f"--pwfile={password_file}",
            "--auth-host=scram-sha-256",
            "--auth-local=scram-sha-256",
            "--encoding=UTF8",
            "--no-sync",
        ],
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ],
    ]
    for step in steps:
        done = subprocess.run([*run_as, *step], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = folder / "server.log"
            more = log.read_text() if log.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            pytest.fail(
                f"PostgreSQL did not start ({Path(step[0]).name}): {done.stderr}{more}",
                pytrace=False,
            )
    return Server(port, folder, bin_dir, run_as)
