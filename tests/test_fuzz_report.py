"""Fuzzing `advisor report` in-process: the bundled examples, mutated (keys, values, types,
nesting; huge, denormal, negative and non-finite numbers; long texts; control characters;
broken TOML), through `cli.main` for text, Markdown and JSON.

Whatever the input: exit 0 or 2, never a traceback, every report within 10 s, and the JSON
holds finite numbers only, no cost below zero. Assertions stay generic (the cost model
changes; the figures are other tests' business). Reproducible by default (derandomize);
ADVISOR_FUZZ_EXAMPLES=2000 runs a longer, random pass.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
import tomllib
import typing
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import cli
from advisor.core.decision.guard import decide_checked
from advisor.core.errors import InputError, InputErrors
from advisor.core.profile.io import parse_profile
from advisor.core.profile.model import Profile
from advisor.core.profile.store import bundled_profiles
from advisor.report.json_report import render as render_json
from advisor.tui.questions import field_metadata

EXAMPLES = {name: tomllib.loads(path.read_text()) for name, path in bundled_profiles().items()}
MORE = int(os.environ.get("ADVISOR_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=MORE or 150,
    deadline=None,
    derandomize=not MORE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SECTIONS = [name for name, value in EXAMPLES["heavy"].items() if isinstance(value, dict)]
KEYS = sorted(
    {
        key
        for data in EXAMPLES.values()
        for table in data.values()
        if isinstance(table, dict)
        for key in table
    }
)

nasty_numbers = st.sampled_from(
    [
        5e-324,
        -5e-324,
        0,
        0.0,
        -0.0,
        -1,
        1e-300,
        1e308,
        -1e308,
        math.inf,
        -math.inf,
        math.nan,
        2**63,
        10**30,
        -(10**30),
        1e10,
        1e10 + 1,
        0.01,
        0.05,
        0.1,
        24.0,
        24.5,
        31,
        32,
    ]
)
numbers = nasty_numbers | st.floats() | st.integers(-(2**70), 2**70)
control = st.characters(min_codepoint=0, max_codepoint=0x9F).filter(lambda c: not c.isprintable())
texts = (
    st.text(max_size=30)
    | st.text(alphabet=control, max_size=10)
    | st.sampled_from(["gpt-4o", "a100-80gb", "llama-3.3-70b", "fp8", "bursty", "on_prem", ""])
    | st.integers(1_000, 300_000).map(lambda n: "x" * n)
    | st.just("\x1b]0;owned\x07 [/bold] [link=x]y \u202e")
)
scalars = numbers | texts | st.booleans() | st.dates()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(KEYS) | st.text(max_size=12)


def section_fields() -> dict[str, dict[str, Any]]:
    """Each profile table's fields: {section: {key: pydantic field}} ("" for the top level)."""
    from pydantic import BaseModel

    found: dict[str, dict[str, Any]] = {"": {}}
    for section, info in Profile.model_fields.items():
        model = info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            found[section] = dict(model.model_fields)
        else:
            found[""][section] = info
    return found


FIELDS = section_fields()
CATALOG_IDS = [
    "gpt-4o",
    "claude-3.5-sonnet",
    "llama-3.3-70b",
    "llama-3.1-8b",
    "a100-80gb",
    "h100-80gb",
    "l4",
    "fp16",
    "fp8",
    "int4",
]


def plausible(field: Any) -> st.SearchStrategy[Any]:
    """A value of the field's own type, mostly within its bounds (boundaries included)."""
    for arg in (field.annotation, *typing.get_args(field.annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return st.sampled_from(typing.get_args(arg))
    kind = str(field.annotation)
    lo = hi = None
    for item in field_metadata(field):
        lo = next(
            (getattr(item, k) for k in ("ge", "gt") if getattr(item, k, None) is not None), lo
        )
        hi = next(
            (getattr(item, k) for k in ("le", "lt") if getattr(item, k, None) is not None), hi
        )
    if "bool" in kind:
        return st.booleans()
    if "int" in kind and lo is not None:
        whole = st.integers(int(lo), int(hi if hi is not None else 10**6))
        return whole | st.sampled_from([int(lo), int(hi if hi is not None else lo)])
    if "float" in kind and lo is not None:
        top = float(hi if hi is not None else 1e6)
        spread = st.floats(float(lo), top, allow_nan=False)
        return spread | st.sampled_from([float(lo), top, math.nextafter(float(lo), math.inf)])
    return st.sampled_from(CATALOG_IDS) | texts


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(EXAMPLES)))
    data = json.loads(json.dumps(EXAMPLES[name], default=str))  # a deep copy
    for _ in range(draw(st.integers(1, 6))):
        section = draw(st.sampled_from(sorted(FIELDS)))
        table = data if not section else data.setdefault(section, {})
        if not isinstance(table, dict):
            continue
        fields = FIELDS[section]
        action = draw(
            st.sampled_from(["plausible"] * 6 + ["nasty"] * 2 + ["unknown", "delete", "table"])
        )
        if action == "plausible" and fields:
            key = draw(st.sampled_from(sorted(fields)))
            table[key] = draw(plausible(fields[key]))
        elif action == "nasty" and fields:
            table[draw(st.sampled_from(sorted(fields)))] = draw(numbers | values)
        elif action == "delete" and table:
            table.pop(draw(st.sampled_from(sorted(table))), None)
        elif action == "table" and section:
            data[section] = draw(values)
        else:
            table[draw(keys)] = draw(values)
    return name, data


def dump(data: dict[str, Any]) -> str:
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):  # what TOML cannot hold: write something broken instead
        return "name = " + repr(data)[:200] + "\n"


def finite_and_not_negative(value: Any, path: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            finite_and_not_negative(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            finite_and_not_negative(item, f"{path}[]")
    elif isinstance(value, float):
        assert math.isfinite(value), path
        if "cost" in path or "monthly" in path:
            assert value >= 0, path


def run_report(capsys: pytest.CaptureFixture[str], path: Path, fmt: str) -> None:
    started = time.monotonic()
    code = cli.main(["report", str(path), "--format", fmt])  # an exception here is the bug
    took = time.monotonic() - started
    out, err = capsys.readouterr()
    assert took < 10, f"{took:.1f} s"
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert out == "" and err.startswith("advisor: ") and len(err) < 20_000
        return
    assert err == ""
    if fmt == "json":
        finite_and_not_negative(json.loads(out))
    else:
        assert not re.search(r"\$-?(inf|nan)\b", out), "a figure that is no number"


@FUZZ
@given(case=mutated(), fmt=st.sampled_from(["text", "markdown", "json"]))
def test_mutated_examples_exit_0_or_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, dict[str, Any]], fmt: str
) -> None:
    _, data = case
    path = tmp_path / "fuzzed.toml"
    path.write_text(dump(data))
    run_report(capsys, path, fmt)


@FUZZ
@given(
    name=st.sampled_from(sorted(EXAMPLES)),
    cut=st.integers(0, 2000),
    junk=st.binary(max_size=40) | st.sampled_from([b"[[", b"= =", b"\x00", b"\xff\xfe", b'"""']),
)
def test_broken_toml_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, cut: int, junk: bytes
) -> None:
    text = bundled_profiles()[name].read_bytes()
    path = tmp_path / "broken.toml"
    path.write_bytes(text[:cut] + junk + text[cut:])
    run_report(capsys, path, "json")


def numeric_fields() -> list[tuple[str, str, float | None, float | None, bool]]:
    """(section, key, lowest, highest, whole) of every bounded number in a profile."""
    from pydantic import BaseModel

    found = []
    for section, info in Profile.model_fields.items():
        model = info.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for key, field in model.model_fields.items():
            lo = hi = None
            for item in field_metadata(field):
                lo = next(
                    (getattr(item, k) for k in ("ge", "gt") if getattr(item, k, None) is not None),
                    lo,
                )
                hi = next(
                    (getattr(item, k) for k in ("le", "lt") if getattr(item, k, None) is not None),
                    hi,
                )
            if lo is not None or hi is not None:
                whole = "int" in str(field.annotation)
                found.append((section, key, lo, hi, whole))
    return found


@pytest.mark.parametrize(("section", "key", "lo", "hi", "whole"), numeric_fields())
def test_every_allowed_value_computes(
    section: str, key: str, lo: float | None, hi: float | None, whole: bool
) -> None:
    """The bounds are chosen so that every value they allow gives a decision: the lowest and
    the highest allowed (the smallest float above an exclusive bound), alone and with the
    busiest workload."""
    allowed = []
    for bound, step in ((lo, math.inf), (hi, -math.inf)):
        if bound is not None:
            value = math.nextafter(float(bound), step) if not whole else int(bound)
            allowed.append(int(value) if whole else value)
    busiest = {"requests_per_day": 1e10, "input_tokens": 100, "output_tokens": 100}
    for value in allowed:
        for workload in ({}, busiest):
            data: dict[str, Any] = {"workload": dict(workload)}
            data.setdefault(section, {})[key] = value
            try:
                profile = parse_profile(data, "bounds.toml")
            except InputErrors:  # just past an exclusive bound's float: refused, fine
                continue
            try:
                decision = decide_checked(profile, file="bounds.toml")
            except InputError as error:  # a rule across answers (context window, fit)
                assert "cannot be decided" not in str(error), str(error)
                continue
            finite_and_not_negative(json.loads(render_json(decision)))
