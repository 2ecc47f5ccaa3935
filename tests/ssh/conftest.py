"""Fixtures for the SSH tests: the real OpenSSH client against `advisor serve` on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from tests.ssh.helpers import SSH_AUDIT, TOOLS, Keys, Tmux


@pytest.fixture(autouse=True, scope="session")
def _tools() -> None:
    """No silent skip: without the real clients these tests fail and say what to install."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"the SSH tests need {', '.join(missing)} on PATH: apt-get install "
            "openssh-client tmux putty-tools dropbear-bin (.ci/run installs them in CI)",
            pytrace=False,
        )
    if not SSH_AUDIT.exists():
        pytest.fail(
            f"the SSH tests need ssh-audit ({SSH_AUDIT}): pip install -e '.[test]'",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    keys = Keys(tmp_path_factory.mktemp("keys"))
    keys.make("alice", "alice")
    keys.make("bob", "bob")
    keys.make("sneaky", "../../etc")
    keys.make("stranger", "stranger")
    return keys


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    terminal = Tmux()
    try:
        yield terminal
    finally:
        terminal.close()
