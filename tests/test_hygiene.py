"""The core stays pure: no Textual, no Rich; `advisor report` never imports Textual."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import advisor.core

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(advisor.core.__path__, prefix="advisor.core.")
)


def _loaded_after(code: str) -> set[str]:
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"ADVISOR_TODAY": "2026-11-26", "PATH": ""},
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_every_core_module_is_found() -> None:
    assert "advisor.core.decision.model" in CORE_MODULES
    assert "advisor.core.rules.costs" in CORE_MODULES


def test_core_modules_import_neither_textual_nor_rich() -> None:
    imports = "\n".join(f"import {name}" for name in CORE_MODULES)
    loaded = _loaded_after(
        imports + "\nfrom advisor.core.decision.load import load_and_decide\n"
        "load_and_decide(__import__('advisor.cli').cli.bundled_profiles()"
        "['medium'])"
    )
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_json_report_imports_no_textual() -> None:
    code = (
        "import io, contextlib\nfrom advisor.cli import main\nbuffer = io.StringIO()\n"
        "with contextlib.redirect_stdout(buffer):\n"
        "    assert main(['report', 'medium', '--format', 'json']) == 0\n"
        "assert buffer.getvalue().startswith('{')"
    )
    loaded = _loaded_after(code)
    assert "advisor.core.decision.model" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "textual"}
