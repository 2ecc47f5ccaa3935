"""A report reads a profile without pydantic (core/profile/plain.py): the fields are the
model's own (the generated spec is compared with the model), and whatever the plain reader
takes, pydantic takes too, with the same values, the same answers given and the same
decision; whatever pydantic refuses, the plain reader leaves to it (for its messages)."""

from __future__ import annotations

import math
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from advisor.core.catalog.load import default_catalog
from advisor.core.decision.load import decide_file, load_and_decide
from advisor.core.profile.model import Profile
from advisor.core.profile.plain import PlainSection, plain_profile
from advisor.core.profile.plain_build import render
from advisor.core.profile.plain_spec import SECTIONS
from advisor.core.profile.store import bundled_profiles
from advisor.report.json_report import render as json_report

SPEC = Path(__file__).parent.parent / "src/advisor/core/profile/plain_spec.py"


def test_the_plain_spec_is_the_models_own() -> None:
    assert SPEC.read_text() == render(), "run scripts/build_plain_spec.py"


def dumped(profile: Any) -> str:
    """Every answer with its exact type, and which were given, section by section."""
    parts: list[Any] = [sorted(profile.model_fields_set)]
    for name, spec in SECTIONS["Profile"].items():
        value = getattr(profile, name)
        if spec["kind"] == "section":
            parts.append((name, value.model_dump(), sorted(value.model_fields_set)))
            weights = getattr(value, "weights", None)
            if weights is not None:
                parts.append(("weights", sorted(weights.model_fields_set)))
        else:
            parts.append((name, value))
    return repr(parts)


def test_every_example_is_read_the_same_and_decided_the_same() -> None:
    catalog = default_catalog()
    for name, path in bundled_profiles().items():
        data = tomllib.loads(path.read_text())
        plain = plain_profile(data)
        assert plain is not None, name
        assert dumped(plain) == dumped(Profile.model_validate(data)), name
        _, by_model = load_and_decide(path, catalog)
        assert json_report(decide_file(path, catalog)) == json_report(by_model), name


def _values(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values a person might write for a field: mostly right, often at or past a bound, and
    sometimes of the wrong type."""
    bounds = spec["bounds"]
    kind = spec["kind"]
    wrong = st.sampled_from([True, "1", None, math.inf, math.nan, -1, 10**400, {}, [1.0]])
    if kind in ("float", "int"):
        low = bounds.get("ge", bounds.get("gt", -1e12))
        high = bounds.get("le", bounds.get("lt", 1e12))
        edges = st.sampled_from([low, high, low - 1, high + 1, 0, 1, 5e-10, 1e-300])
        ints = st.integers(int(max(low, -1e12)) - 2, int(min(high, 1e12)) + 2)
        numbers = st.one_of(edges, ints, st.floats(allow_nan=True, allow_infinity=True))
        whole = numbers.map(lambda v: int(v) if isinstance(v, float) and math.isfinite(v) else v)
        return st.one_of(numbers, whole, wrong)
    if kind == "bool":
        return st.one_of(st.booleans(), wrong)
    if kind == "str":
        return st.one_of(st.text(max_size=20), st.text(min_size=199, max_size=210), wrong)
    if kind == "literal":
        others = st.sampled_from(["", "x", 2, 2.0])
        return st.one_of(st.sampled_from(spec["values"]), others, wrong)
    if kind == "list":
        item = _values(spec["item"])
        low, high = bounds.get("min_length", 0), bounds.get("max_length", 30)
        right = st.lists(item, min_size=low, max_size=high)
        return st.one_of(right, st.lists(item, max_size=30), wrong)
    assert kind == "section"
    return st.one_of(_sections(spec["section"]), wrong)


def _sections(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = SECTIONS[kind]
    chosen = st.dictionaries(st.sampled_from(sorted(fields)), st.none(), max_size=6)

    def filled(keys: dict[str, None]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({k: _values(fields[k]) for k in keys})

    extra = st.sampled_from([{}, {}, {}, {"requets_per_day": 1}])
    return st.tuples(chosen.flatmap(filled), extra).map(lambda pair: {**pair[0], **pair[1]})


@settings(max_examples=400, deadline=None)
@given(_sections("Profile"))
def test_what_the_plain_reader_takes_pydantic_takes_the_same(data: dict[str, Any]) -> None:
    plain = plain_profile(data)
    try:
        model = Profile.model_validate(data)
    except ValidationError:
        assert plain is None  # refused: the model says why
        return
    if plain is not None:
        assert isinstance(plain, PlainSection)
        assert dumped(plain) == dumped(model)


def test_a_report_on_a_valid_profile_imports_no_pydantic_and_a_broken_one_is_explained(
    tmp_path: Path,
) -> None:
    code = (
        "import io, sys, contextlib\nfrom advisor.cli import main\nbuffer = io.StringIO()\n"
        "with contextlib.redirect_stdout(buffer):\n"
        "    assert main(['report', 'heavy', '--format', 'json']) == 0\n"
        "assert 'pydantic' not in sys.modules, 'pydantic was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": ""})
    broken = tmp_path / "broken.toml"
    broken.write_text("[workload]\nrequets_per_day = 100\n")
    done = subprocess.run(
        [sys.executable, "-m", "advisor", "report", str(broken)],
        capture_output=True,
        text=True,
        env={"PATH": ""},
    )
    assert done.returncode == 2
    assert "requets_per_day" in done.stderr and "requests_per_day" in done.stderr
