"""Start computing the first decision before Textual is even imported.

On two cores, a child process running `advisor report --format json` (pydantic, the core, the
decision) overlaps with this process importing Textual and drawing its first frame, so the
results appear about as fast as a bare Textual app. The child is the same command a person
runs, so a broken profile shows the same message as `advisor report`. Imports no Textual.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any


class Prefetch:
    def __init__(self, profile: str) -> None:
        self.profile = profile
        self._process = subprocess.Popen(
            [sys.executable, "-m", "advisor", "report", profile, "--format", "json"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )

    def result(self) -> tuple[dict[str, Any] | None, str | None]:
        """(the decision's JSON form, None) or (None, the error message)."""
        out, err = self._process.communicate()
        message = err.decode("utf-8", "replace").strip().removeprefix("advisor: ")
        if self._process.returncode != 0:
            return None, message or f"advisor report failed (exit {self._process.returncode})"
        try:
            return json.loads(out), None
        except ValueError:
            return None, "advisor report gave no readable result."

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
