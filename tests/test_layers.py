"""The import contracts enforce what their names say: each forbidden import, added to a
scratch copy of the sources, breaks the contract that forbids it (and `lint-imports` fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"

PURE = "The core is pure: no Textual, no Rich, no face"
NO_TEXTUAL = "Reports, usage import and the server do not need Textual"
LAYERS = "Layers: the command line, the faces, reports and usage, prices, the core"
GENAI = "Only the price refresh reads genai-prices"
POSTGRES = "PostgreSQL stays in the usage import"

# (module file, the import added to it, the contracts that must then be broken)
CASES = [
    ("serve/config.py", "import textual.app", {NO_TEXTUAL}),
    ("usage/models.py", "import advisor.tui.app", {NO_TEXTUAL, LAYERS}),
    ("core/clock.py", "import advisor.usage.summary", {PURE, LAYERS}),
    ("core/fmt.py", "import rich.text", {PURE}),
    # cli runs the TUI, and refreshes prices
    ("report/json_report.py", "import advisor.cli", {NO_TEXTUAL, LAYERS, GENAI}),
    ("usage/fields.py", "import advisor.report.text", {LAYERS}),
    ("serve/people.py", "import advisor.tui.session", {NO_TEXTUAL, LAYERS}),
    ("core/costs/billing.py", "import genai_prices", {PURE, GENAI}),
    # the report imports the core: genai-prices would reach it through the core
    ("core/catalog/load.py", "import advisor.prices.data", {PURE, LAYERS, GENAI}),
    ("report/text.py", "import genai_prices.types", {GENAI}),
    ("usage/summary.py", "import genai_prices", {GENAI}),
    ("prices/entries.py", "import advisor.usage.models", {LAYERS}),
    ("prices/data.py", "import psycopg", {POSTGRES}),
    ("core/fmt.py", "import psycopg", {PURE}),
    ("tui/app.py", "import psycopg", {POSTGRES}),
    ("wire.py", "import textual.app", {NO_TEXTUAL}),  # the server and the apps share it
    ("wire.py", "import advisor.core.fmt", {LAYERS}),
]


def lint(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT), str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=src.parent,
        timeout=120,
    )


def broken(output: str) -> set[str]:
    return {line.removesuffix(" BROKEN") for line in output.splitlines() if line.endswith("BROKEN")}


def test_the_sources_keep_every_contract() -> None:
    done = lint(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "contracts"), CASES, ids=[c[1] for c in CASES])
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contracts: set[str]
) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "advisor",
        src / "advisor",
        ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "data"),
    )
    target = src / "advisor" / module
    target.write_text(target.read_text() + f"\n{line}  # added by the test\n")
    done = lint(src)
    assert done.returncode != 0, done.stdout
    assert broken(done.stdout) == contracts, done.stdout
