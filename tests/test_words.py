"""What leaves the room reads well to finance and legal (issue 14, items 12-17): every bundled
example's memo and text report have no exponent notation, no True/False, no field path, no raw
id outside the rule trace's id column and no file of this project's; options that do not apply
are marked n/a in every face; one formatter rounds alike everywhere; a verdict that depends on
a condition says so; each assumption has its own source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.core.catalog.load import default_catalog
from advisor.core.decision.assumption_words import label_of, shown
from advisor.core.decision.decide import decide
from advisor.core.decision.model import Decision
from advisor.core.decision.serialize import to_dict
from advisor.core.fmt import effect, number, value
from advisor.core.profile.io import load_profile
from advisor.core.profile.model import Profile
from advisor.core.profile.store import bundled_profiles
from advisor.report import markdown, text

EXAMPLES = sorted(bundled_profiles())
SECTIONS = "workload|api|traffic|latency|data|team|needs|self_host|policy|hosted_open|horizon"
FIELD_PATH = re.compile(rf"\b(?:{SECTIONS}|uncertainty)\.[a-z_]+")
EXPONENT = re.compile(r"\b\d+(?:\.\d+)?[eE][+-]?\d+\b")
BOOLEAN = re.compile(r"\b(?:True|False)\b")
RAW_IDS = re.compile(
    r"\b(?:self_host|hosted_open|on_prem|on_demand|reserved_[13]y|n_plus_1|xFriction)\b"
    r"|\[[a-z]+(?:-[a-z0-9]+)+\]|\b\d+x\d+\b"
)
PROJECT_FILES = re.compile(r"figures\.md|DESIGN\.md|article\.txt")


def _decision(name: str) -> Decision:
    return decide(load_profile(bundled_profiles()[name]))


def _without_rule_ids(report: str, decision: Decision) -> str:
    """The report with each rule's id taken out of the rule trace's id column only."""
    out = []
    for line in report.splitlines():
        for r in decision.rules:
            line = line.replace(f"| `{r.id}` |", "| |")  # the memo's rule table
            if re.match(rf"^│ {re.escape(r.id)}\s", line):  # the text report's rule trace
                line = "│ " + line[2 + len(r.id) :]
        out.append(line)
    return "\n".join(out)


def _problems(report: str, decision: Decision) -> list[str]:
    body = _without_rule_ids(report, decision).replace(decision.notes, "")
    found = []
    for what, pattern in (
        ("exponent", EXPONENT),
        ("True/False", BOOLEAN),
        ("field path", FIELD_PATH),
        ("raw id", RAW_IDS),
        ("project file", PROJECT_FILES),
    ):
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(body)]
    rule_ids = re.compile(r"\b(?:" + "|".join(re.escape(r.id) for r in decision.rules) + r")\b")
    for m in rule_ids.finditer(body):
        ordinary = ("break-even", "air-gapped", "multi-model", "api-fallback")
        if m.group(0) not in ordinary:  # ids that are also plain words
            found.append(f"rule id: {m.group(0)!r}")
    return found


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_memo_of_every_example_reads_in_words(name: str) -> None:
    d = _decision(name)
    memo = markdown.render(d)
    assert _problems(memo, d) == []
    assert FIELD_PATH.search(d.notes) is None, "the example's own notes"


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_text_report_of_every_example_reads_in_words(name: str) -> None:
    d = _decision(name)
    assert _problems(text.render(d, width=120), d) == []
    assert _problems(text.render(d, width=80), d) == []


def test_the_check_finds_what_it_looks_for() -> None:
    d = _decision("medium")
    bad = "2e+06 True workload.simple_task_share self_host xFriction 5x4 [utilization-trap]"
    found = " ".join(_problems(bad + " spend-5k-20k figures.md", d))
    for word in ("exponent", "True/False", "field path", "raw id", "rule id", "project file"):
        assert word in found, word


def test_one_formatter_writes_grouped_numbers_and_yes_no() -> None:
    assert number(2e6) == "2,000,000" and number(1e6) == "1,000,000" and number(1000) == "1,000"
    assert number(2.93772) == "2.94" and number(0.075) == "0.075" and number(1e10).count(",") == 3
    assert value(True) == "yes" and value(False) == "no" and value(2_000_000.0) == "2,000,000"
    assert "e+" not in number(1e-7) and "e-" not in number(1e-7)


def test_assumption_values_read_as_the_questionnaire_asks_them() -> None:
    assert shown("workload.simple_task_share", 0.2) == "20%"
    assert shown("workload.requests_per_day", 2e6) == "2,000,000"
    assert shown("data.api_compliance_ok", False) == "no"
    assert shown("data.sovereignty", "on_prem") == "on our own servers only"
    assert shown("self_host.ops_monthly_cost", 4000.0) == "$4,000/month"
    assert shown("self_host.model", "llama-3.3-70b", default_catalog()) == "Llama 3.3 70B Instruct"
    assert label_of("workload.simple_task_share") == "Share of simple requests"
    assert label_of("policy.some_new_key") == "Some new key"  # never the path


def test_a_rule_weight_rounds_alike_in_every_face() -> None:
    for name in EXAMPLES:
        d = _decision(name)
        be = d.rule("break-even").effect
        if be.weight and not float(be.weight).is_integer():
            words = effect(be.kind, be.toward, be.weight)
            assert re.search(r"weight \d+\.\d\d$", words), words
            assert words in markdown.render(d)
            assert words in text.render(d, width=200)
            return
    raise AssertionError("no example has a fractional break-even weight to compare")


def test_a_fractional_weight_reads_to_two_decimals() -> None:
    assert effect("weight", "api", 2.93772) == "toward the API, weight 2.94"
    assert effect("hard", "self_host", 0.0) == "requires self-hosting"
    assert effect("info", None, 0.0) == "note"


@pytest.mark.parametrize("name", EXAMPLES)
def test_options_that_do_not_apply_are_marked_in_text_and_markdown(name: str) -> None:
    d = _decision(name)
    memo = markdown.render(d).splitlines()
    report = text.render(d, width=120).splitlines()
    for o in d.options:
        row = next(
            line for line in memo if re.match(rf"^\| [^|]* \| \**{re.escape(o.label)}\**", line)
        )
        assert row.startswith("| n/a |") == (not o.applicable), row
        assert row.startswith("| > |") == o.chosen, row
        line = next(x for x in report if re.match(rf"^ *(n/a|>)? +{re.escape(o.label)} ", x))
        assert ("n/a" in line.split(o.label)[0]) == (not o.applicable), line
    assert "n/a an option that does not apply" in "\n".join(memo)


def _residency(**data: object) -> Decision:
    return decide(
        Profile.model_validate(
            {"workload": {"requests_per_day": 5000}, "data": {"sovereignty": "residency", **data}}
        )
    )


def test_a_verdict_that_needs_a_resident_endpoint_says_so_in_headline_and_steps() -> None:
    d = _residency()
    r = d.recommendation
    assert r.verdict in ("api", "hybrid") and r.conditions
    assert "if a provider serves it from the region" in r.headline
    assert "data processing agreement" in r.headline and r.short.endswith("(conditional)")
    first = r.next_steps[0]
    assert (
        first.startswith("Before acting on this verdict") and "data processing agreement" in first
    )
    data = to_dict(d)["recommendation"]
    assert data["conditions"] == list(r.conditions) and data["headline"] == r.headline
    assert r.headline in markdown.render(d).replace("\n", " ")


def test_an_offer_accepted_for_on_prem_data_is_a_condition_too() -> None:
    d = decide(
        Profile.model_validate(
            {
                "workload": {"requests_per_day": 5000},
                "data": {"sovereignty": "on_prem", "api_compliance_ok": True},
            }
        )
    )
    assert d.recommendation.conditions and "data processing agreement" in d.recommendation.headline


def test_no_condition_where_the_data_may_go_anywhere_or_must_stay_in_house() -> None:
    plain = decide(Profile.model_validate({"workload": {"requests_per_day": 5000}}))
    assert plain.recommendation.conditions == () and ", if " not in plain.recommendation.headline
    assert to_dict(plain)["recommendation"]["conditions"] == []
    on_prem = decide(Profile.model_validate({"data": {"sovereignty": "on_prem"}}))
    assert on_prem.recommendation.conditions == ()  # the data rule decides: self-hosted


def test_each_assumption_cites_its_own_source() -> None:
    d = decide(Profile.model_validate({"traffic": {"variability": "bursty"}}))
    a = {x.name: x for x in d.assumptions}
    assert "bursty traffic" in (a["traffic.peak_to_average"].source or "")
    assert "40% overhead" in (a["self_host.infra_overhead"].source or "")
    assert "$4,000" in (a["self_host.ops_monthly_cost"].source or "")
    assert "7B-13B" in (a["small_model"].source or "")
    sources = {a[k].source for k in ("traffic.peak_to_average", "self_host.infra_overhead")}
    assert len(sources | {a["self_host.ops_monthly_cost"].source, a["small_model"].source}) == 4
    throughput = a["throughput"]
    assert throughput.label == "Throughput preset" and throughput.as_of is not None
    assert throughput.source == d.self_host.throughput.source
    for x in d.assumptions:
        assert x.origin == "profile" or x.source, x.name  # a value not yours says where from
        assert not PROJECT_FILES.search(x.source or ""), x.source
        assert x.label and not FIELD_PATH.search(x.label), x.name


def test_no_catalog_source_points_at_a_file_the_reader_does_not_have() -> None:
    cat = default_catalog()
    sources = [g.source for g in cat.gpus.values()]
    sources += [o.source for g in cat.gpus.values() for o in g.offers]
    sources += [g.purchase_source for g in cat.gpus.values()]
    sources += [p.source for p in cat.purchase.values()]
    sources += [m.source for m in cat.models.values()]
    sources += [cat.owned.source] if cat.owned else []
    assert sources and not [s for s in sources if PROJECT_FILES.search(s)]


def test_json_assumptions_keep_their_keys_and_add_words() -> None:
    item = to_dict(_decision("customer-service"))["assumptions"][0]
    assert {"name", "value", "origin", "source", "as_of"} <= set(item)
    assert item["name"] == "workload.requests_per_day" and item["label"] == "Requests per day"
    assert item["shown"] == "10,000"


def test_a_profile_name_with_a_path_is_the_users_own(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "Support: 2e+06 requests"\n')
    d = decide(load_profile(path))
    assert markdown.render(d).startswith("# Support: 2e+06 requests")  # shown as given
