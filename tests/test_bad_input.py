"""Bad input through the real CLI: exit 2, a clear message naming the file, no traceback.

Each case runs `python -m advisor report FILE --format json` as a subprocess (DESIGN.md section 4:
exit 2 on bad input, a message on stderr naming the file, the field with its line and what is
allowed, nothing on stdout). The subprocesses are started together, once per module, so the file
stays fast; each case is still its own test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from advisor.core.rules import RULE_IDS

TODAY = "2026-11-26"


@dataclass(frozen=True)
class Case:
    id: str
    content: bytes | None  # None: nothing is written (kind "missing") or a folder is made
    fragments: tuple[str, ...] = ()  # what stderr must say besides the file name
    kind: str = "file"  # "file" | "missing" | "folder"

    @property
    def file_name(self) -> str:
        return self.id.replace(" ", "_").replace(".", "_") + ".toml"


def toml(text: str) -> bytes:
    return text.encode("utf-8")


BAD: list[Case] = [
    Case("missing file", None, ("no such file",), kind="missing"),
    Case("folder instead of a file", None, ("folder",), kind="folder"),
    Case(
        "broken toml",
        toml('name = "x"\n\n[workload\nrequests_per_day = 5\n'),
        ("line 3", "not valid TOML"),
    ),
    Case(
        "broken toml value",
        toml("[workload]\nrequests_per_day = 5\n\n\ninput_tokens = = 3\n"),
        ("line 5", "not valid TOML"),
    ),
    Case(
        "wrong type",
        toml('[workload]\nrequests_per_day = "lots"\n'),
        ("workload.requests_per_day", "line 2", "'lots'", "a number"),
    ),
    Case(
        "negative number",
        toml("[workload]\nrequests_per_day = -5\n"),
        ("workload.requests_per_day", "line 2", "-5", "at least 0.01"),
    ),
    Case(
        "absurd number",
        toml("[workload]\nrequests_per_day = 1e30\n"),
        ("workload.requests_per_day", "line 2", "at most"),
    ),
    Case(
        "peak hour over a whole day",
        toml('[traffic]\nvariability = "bursty"\npeak_to_average = 25\n'),
        ("traffic.peak_to_average", "line 3", "25", "at most 24", "a whole day's traffic"),
    ),
    Case(
        "a bound is written as a person writes it",
        toml("[workload]\nrequests_per_day = 1e30\n"),
        ("workload.requests_per_day", "line 2", "at most 10,000,000,000."),
    ),
    Case(
        "not a number",
        toml("[workload]\nrequests_per_day = nan\n"),
        ("workload.requests_per_day", "line 2"),
    ),
    Case(
        "shares outside 0 to 1",
        toml(
            "[workload]\nsimple_task_share = 1.5\nsensitive_share = -0.1\n"
            "[latency]\ncritical_share = 2\n"
        ),
        (
            "workload.simple_task_share",
            "line 2",
            "workload.sensitive_share",
            "line 3",
            "latency.critical_share",
            "line 5",
            "at most 1",
            "at least 0",
        ),
    ),
    Case(
        "misspelt key",
        toml('name = "typo"\n[workload]\nrequets_per_day = 5\n'),
        ("workload.requets_per_day", "line 3", "unknown key", "requests_per_day"),
    ),
    Case(
        "unknown api model",
        toml('[api]\nmodel = "gpt-9"\n'),
        ("api.model", "line 2", "'gpt-9'", "claude-3.5-sonnet", "gpt-4o"),
    ),
    Case(
        "unknown gpu",
        toml('[self_host]\nmodel = "llama-3.3-70b"\ngpu = "tpu-v5"\n'),
        ("self_host.gpu", "line 3", "'tpu-v5'", "a100-80gb", "h100-80gb", "l4"),
    ),
    Case(
        "newer schema version",
        toml('schema_version = 99\nname = "from the future"\n'),
        ("schema_version", "line 1", "newer", "99", "up to 2"),
    ),
    Case(
        "binary junk",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01\x02\x03junk\x00\x7f\x80",
        ("binary",),
    ),
    Case("not utf-8", b'name = "caf\xe9"\n\xff\xfe\n', ("UTF-8",)),
    Case(
        "model fits nowhere",
        toml('[self_host]\nmodel = "llama-3.1-405b"\ngpu = "l4"\nprecision = "fp16"\n'),
        ("self_host.gpu", "line 3", "llama-3.1-405b", "does not fit", "Allowed:"),
    ),
]

EMPTY = Case("empty file", b"", ("is empty",))
INVERTED_BANDS = Case(
    "small spend above large spend",
    toml("[policy]\nsmall_spend = 30000\nlarge_spend = 10000\n"),
    ("policy",),
)
FREE_API = Case(
    "free api prices",
    toml("[api]\ninput_price_per_mtok = 0.0\noutput_price_per_mtok = 0.0\n"),
)

# The customer-service example of the article, in the documented profile format.
GOOD = Case(
    "good profile",
    toml(
        """schema_version = 1
name = "Support assistant"
notes = "The article's customer-service example."

[workload]
requests_per_day = 10000
input_tokens = 5600
output_tokens = 500
output_tokens_measured = false
days_per_month = 30
simple_task_share = 0.0
sensitive_share = 0.0

[api]
model = "claude-3.5-sonnet"
input_price_per_mtok = 3.0
output_price_per_mtok = 15.0

[traffic]
variability = "steady"
growth_phase = false

[latency]
p95_target_ms = 2000
critical_share = 1.0

[data]
sovereignty = "none"
api_compliance_ok = false
air_gapped = false

[team]
ml_expertise = "none"

[needs]
frontier_capability = false
fine_tuned_model = false
rapid_iteration = false
multi_model = false

[self_host]
model = "llama-3.3-70b"
gpu = "a100-80gb"
precision = "fp16"
gpus = 2
replicas = 1
gpu_hourly_price = 2.43
throughput_tokens_per_s = 75

[policy]
friction_multiplier = 1.5
small_spend = 5000
large_spend = 20000
"""
    ),
)

ALL = [*BAD, EMPTY, INVERTED_BANDS, FREE_API, GOOD]


@dataclass(frozen=True)
class Run:
    path: Path
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every case's CLI run, started in parallel: {case id: Run}."""
    folder = tmp_path_factory.mktemp("bad_input")
    env = {
        **os.environ,
        "ADVISOR_TODAY": TODAY,
        "XDG_CONFIG_HOME": str(folder / "no-config"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("ADVISOR_CATALOG", None)
    started: dict[str, tuple[Path, subprocess.Popen[bytes]]] = {}
    for case in ALL:
        path = folder / case.file_name
        if case.kind == "folder":
            path.mkdir()
        elif case.kind == "file":
            assert case.content is not None
            path.write_bytes(case.content)
        command = [sys.executable, "-m", "advisor", "report", str(path), "--format", "json"]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=folder
        )
        started[case.id] = (path, process)
    done: dict[str, Run] = {}
    for case_id, (path, process) in started.items():
        out, err = process.communicate(timeout=60)
        done[case_id] = Run(
            path,
            process.returncode,
            out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"),
        )
    return done


def assert_refused(run: Run, fragments: tuple[str, ...]) -> None:
    assert "Traceback" not in run.stderr
    assert "Traceback" not in run.stdout
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr.strip()
    assert run.stderr.startswith("advisor: ")
    assert str(run.path) in run.stderr
    for fragment in fragments:
        assert fragment in run.stderr, (fragment, run.stderr)


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_input_exits_2_naming_file_and_field_without_traceback(
    runs: dict[str, Run], case: Case
) -> None:
    assert_refused(runs[case.id], case.fragments)


def test_empty_file_is_refused(runs: dict[str, Run]) -> None:
    assert_refused(runs[EMPTY.id], EMPTY.fragments)


def test_small_spend_above_large_spend_is_refused(runs: dict[str, Run]) -> None:
    assert_refused(runs[INVERTED_BANDS.id], INVERTED_BANDS.fragments)


def test_free_api_prices_do_not_crash(runs: dict[str, Run]) -> None:
    run = runs[FREE_API.id]
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 2), run.stderr


CONTRACT_KEYS = [
    "advisor_version",
    "contract_version",
    "api.monthly_cost",
    "api.cost_per_request",
    "self_host.monthly_cost",
    "self_host.hardware_monthly",
    "self_host.infra_monthly",
    "self_host.ops_monthly",
    "self_host.replicas",
    "self_host.gpus_per_replica",
    "self_host.gpus",
    "self_host.utilization",
    "self_host.capacity_tokens_per_month",
    "self_host.cost_per_1k_tokens",
    "self_host.shortfall",
    "break_even.self_host_wins",
    "break_even.requests_per_day",
    "hybrids",
    "recommendation.verdict",
    "recommendation.pattern",
    "recommendation.confidence",
    "recommendation.confidence_score",
    "recommendation.api_fallback",
    "rules",
    "assumptions",
    "warnings",
]

MONEY_KEYS = [
    "api.monthly_cost",
    "api.cost_per_request",
    "self_host.monthly_cost",
    "self_host.hardware_monthly",
    "self_host.infra_monthly",
    "self_host.ops_monthly",
    "self_host.cost_per_1k_tokens",
]


def dig(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        assert isinstance(node, dict) and part in node, f"missing {dotted!r} (at {part!r})"
        node = node[part]
    return node


@pytest.fixture(scope="module")
def good_report(runs: dict[str, Run]) -> dict[str, Any]:
    run = runs[GOOD.id]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert "Traceback" not in run.stdout
    data = json.loads(run.stdout)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("dotted", CONTRACT_KEYS)
def test_good_profile_json_has_contract_key(good_report: dict[str, Any], dotted: str) -> None:
    dig(good_report, dotted)


def test_good_profile_json_values_follow_the_contract(good_report: dict[str, Any]) -> None:
    r = good_report
    assert r["contract_version"] == 2
    assert isinstance(r["advisor_version"], str) and r["advisor_version"]
    assert r["today"] == TODAY
    for dotted in MONEY_KEYS:
        value = dig(r, dotted)
        assert isinstance(value, int | float) and not isinstance(value, bool), dotted
    assert dig(r, "api.monthly_cost") == pytest.approx(7290)
    assert dig(r, "api.cost_per_request") == pytest.approx(0.0243)
    assert isinstance(dig(r, "self_host.replicas"), int)
    assert dig(r, "self_host.gpus") == dig(r, "self_host.replicas") * dig(
        r, "self_host.gpus_per_replica"
    )
    # The article's 2 x A100 at 75 tokens/s cannot serve 10,000 x 6,100 tokens a day.
    shortfall = dig(r, "self_host.shortfall")
    assert set(shortfall) >= {"tokens_per_month", "api_cost"}
    assert shortfall["tokens_per_month"] > 0
    assert isinstance(dig(r, "break_even.self_host_wins"), bool)
    be = dig(r, "break_even.requests_per_day")
    assert be is None or isinstance(be, int)


def test_good_profile_json_recommendation_and_lists(good_report: dict[str, Any]) -> None:
    r = good_report
    rec = r["recommendation"]
    assert rec["verdict"] in ("api", "self_host", "hybrid")
    assert rec["pattern"] in ("complexity", "volume", "sensitivity", "latency", None)
    assert rec["confidence"] in ("low", "medium", "high")
    assert 0 <= rec["confidence_score"] <= 1
    assert isinstance(rec["api_fallback"], bool)

    hybrids = r["hybrids"]
    assert [h["pattern"] for h in hybrids] == ["complexity", "volume", "sensitivity", "latency"]
    for h in hybrids:
        assert set(h) >= {
            "pattern",
            "monthly_cost",
            "api_part",
            "self_host_part",
            "applicable",
            "note",
        }
        assert h["monthly_cost"] == pytest.approx(h["api_part"] + h["self_host_part"])

    assert [rule["id"] for rule in r["rules"]] == list(RULE_IDS)
    for rule in r["rules"]:
        assert set(rule) >= {"id", "fired", "effect", "explanation", "source"}
        assert set(rule["effect"]) >= {"kind", "toward", "weight"}

    assert isinstance(r["assumptions"], list) and r["assumptions"]
    assert isinstance(r["warnings"], list)
    assert all(isinstance(w, str) for w in r["warnings"])


@pytest.mark.parametrize("command", [["examples"], ["report", "heavy"], ["catalog"]])
def test_a_reader_that_stops_early_gets_no_traceback(command: list[str]) -> None:
    """`advisor report heavy | head -1`: the reader has gone before the writer writes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ADVISOR_TODAY": TODAY, "COLUMNS": "100"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # long before the first line is written (imports take 100s of ms)
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 1)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_a_report_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    for target in (tmp_path / "missing" / "x.md", tmp_path):
        done = subprocess.run(
            [sys.executable, "-m", "advisor", "report", "heavy", "-o", str(target)],
            capture_output=True,
            text=True,
            env={**os.environ, "ADVISOR_TODAY": TODAY},
        )
        assert done.returncode == 2
        assert done.stderr.startswith(f"advisor: {target}: cannot be written (")
        assert "Traceback" not in done.stderr
