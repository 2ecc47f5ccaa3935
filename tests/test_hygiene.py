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


def test_a_decision_can_be_held_without_pydantic() -> None:
    """The TUI's first frame shows a decision computed in a forked child: unpickling it must
    not load pydantic (or Textual) in the parent, so the Decision's types need neither."""
    loaded = _loaded_after(
        "import pickle\nimport advisor.core.decision.model\nimport advisor.tui.startup\n"
    )
    assert "advisor.core.decision.model" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("pydantic", "textual", "rich")}


def test_an_opened_profile_arrives_whole_from_the_forked_child(tmp_path: object) -> None:
    """Start-up as the command line does it: fork before the core is loaded, decide in the
    child, unpickle the decision in the parent (still without pydantic), the profile later."""
    code = (
        "import sys\n"
        "from advisor.core.profile.store import resolve_profile_path\n"
        "from advisor.tui.startup import Opening\n"
        "opened = Opening(resolve_profile_path('customer-service')).result()\n"
        "assert opened.error is None, opened.error\n"
        "assert round(opened.decision.api.monthly_cost) == 7290\n"
        "assert 'pydantic' not in sys.modules\n"
        "assert opened.load_profile().workload.input_tokens == 5600\n"
        "bad = Opening(resolve_profile_path('/nonexistent/x.toml')).result()\n"
        "assert bad.decision is None and 'no such file' in bad.error, bad.error\n"
    )
    _loaded_after(code)


def test_the_forked_child_sends_the_outlook_after_the_decision() -> None:
    """The horizon and the odds are worked out in the child once it has sent the decision
    (the app's thread never spends that time while the first frame is drawn): the same
    figures as working them out here, and only for the decision that was opened."""
    code = (
        "import sys\n"
        "from advisor.core.profile.store import resolve_profile_path\n"
        "from advisor.tui.startup import Opening\n"
        "opening = Opening(resolve_profile_path('heavy'))\n"
        "opened = opening.result()\n"
        "assert opened.decision is not None and opened.decision.risk is None\n"
        "sent = opening.outlook(opened.decision)\n"
        "assert 'pydantic' not in sys.modules\n"
        "from advisor.core.decision.outlook import with_outlook\n"
        "here = with_outlook(opened.decision)\n"
        "assert sent is not None and sent.risk is not None\n"
        "assert (sent.horizon, sent.risk, sent.growth) == (here.horizon, here.risk, here.growth)\n"
        "assert sent.recommendation == here.recommendation\n"
        "assert opening.outlook(here) is None\n"
    )
    _loaded_after(code)


def test_a_report_reads_prices_without_the_price_library() -> None:
    """Start-up budget: `advisor report` prices from the generated api_models.toml; it imports
    neither genai-prices (its data is 1.6 MB of Python) nor PostgreSQL's driver, nor the code
    that reads them. `advisor catalog refresh` and `import-usage postgresql://` do."""
    for fmt in ("json", "text"):
        code = (
            "import io, contextlib\nfrom advisor.cli import main\nbuffer = io.StringIO()\n"
            "with contextlib.redirect_stdout(buffer):\n"
            f"    assert main(['report', 'heavy', '--format', '{fmt}']) == 0\n"
        )
        loaded = _loaded_after(code)
        assert "advisor.core.catalog.load" in loaded
        heavy = {m for m in loaded if m.split(".")[0] in ("genai_prices", "psycopg", "httpx2")}
        assert not heavy, fmt
        assert not {m for m in loaded if m.startswith(("advisor.prices", "advisor.usage"))}
