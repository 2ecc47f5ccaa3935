"""Hard constraints (latency, sovereignty, air gap) and the fallback reminder."""

from __future__ import annotations

from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.fmt import number
from advisor.core.fmt import share as percent
from advisor.core.rules.base import PRACTICAL, WHEN_SELF, RuleResult, _r


def latency(inp: Inputs, e: Economics) -> RuleResult:
    target, limit = inp.p95_ms, inp.policy.latency_ms
    fired = e.latency_critical
    share = inp.critical_share
    if fired:
        text = (
            f"p95 time-to-first-token target {number(target)} ms is under {number(limit)} ms: "
            "an API's "
            f"network round trip alone spends that budget, so {percent(share)} of requests need "
            "local or edge inference."
        )
    elif target < limit:
        text = (
            f"p95 target {number(target)} ms is under {number(limit)} ms, but no request "
            "needs it (0%)."
        )
    else:
        text = (
            f"p95 time-to-first-token target {number(target)} ms is not under {number(limit)} ms: "
            "an API can meet it."
        )
    return _r(
        "latency-under-100ms",
        f"Latency under {number(limit)} ms",
        WHEN_SELF,
        fired,
        "hard",
        "hybrid" if share < 1 else "self_host",
        0.0,
        text,
        {"p95_target_ms": target, "latency_ms": limit, "critical_share": share},
    )


def sovereignty(inp: Inputs, e: Economics) -> RuleResult:
    fired = inp.sovereignty == "on_prem" and not inp.compliance_ok
    share = inp.sensitive_share
    all_sensitive = share in (0.0, 1.0)
    if fired:
        part = "all requests" if all_sensitive else f"the sensitive {percent(share)} of requests"
        text = (
            f"Data must stay on premises and no provider offer is acceptable: {part} self-hosted."
        )
    elif inp.sovereignty == "on_prem":
        text = "Data must stay in-house, but a provider's compliance offer satisfies you."
    elif inp.sovereignty == "residency":
        text = (
            "Data residency is required: many APIs offer regional residency and "
            "HIPAA/SOC2 compliance; check current offerings before assuming self-hosting."
        )
    else:
        text = "No data sovereignty constraint."
    return _r(
        "data-sovereignty",
        "Data sovereignty",
        WHEN_SELF,
        fired,
        "hard",
        "self_host" if all_sensitive else "hybrid",
        0.0,
        text,
        {
            "sovereignty": inp.sovereignty,
            "api_compliance_ok": inp.compliance_ok,
            "sensitive_share": share,
        },
    )


def air_gapped(inp: Inputs, e: Economics) -> RuleResult:
    fired = inp.air_gapped
    return _r(
        "air-gapped",
        "Offline or air-gapped environment",
        WHEN_SELF,
        fired,
        "hard",
        "self_host",
        0.0,
        "No reliable internet access: local inference only."
        if fired
        else "Internet access is available.",
        {"air_gapped": fired},
    )


def api_fallback(inp: Inputs, e: Economics) -> RuleResult:
    if inp.air_gapped:
        text = (
            "Air-gapped: no API can be reached, so the fallback is a spare local replica "
            "(N+1), priced into the self-hosted figures."
        )
    elif inp.no_outside_provider:
        text = (
            "Every request's data must stay on your own servers: no API may be the fallback, "
            "so it is a spare replica on site (N+1), priced into the self-hosted figures."
        )
    else:
        text = (
            "Whatever the verdict, keep API fallback capability: self-hosted infrastructure "
            "fails, and a fallback keeps outages from becoming incidents."
        )
    return _r(
        "api-fallback",
        "Always keep a fallback",
        PRACTICAL,
        True,
        "info",
        None,
        0.0,
        text,
        {"air_gapped": inp.air_gapped, "api_fallback": not inp.no_outside_provider},
    )
