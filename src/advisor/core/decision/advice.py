"""Next steps that fit the verdict and its reason, and what fixes a verdict that cost cannot flip.

A verdict reached by weighing the rules is about money and the team: its steps follow the
article's spend bands. A verdict forced by a hard constraint (air gap, data sovereignty,
latency) is not about money at all: its steps are about doing the self-hosting well (sizing,
the team, the model, the fallback), never "don't self-host for cost".
"""

from __future__ import annotations

from advisor.core.costs.deployment import Deployment
from advisor.core.costs.economics import Economics
from advisor.core.costs.inputs import Inputs
from advisor.core.decision.verdict import Verdict
from advisor.core.fmt import number, share
from advisor.core.rules import money

MEASURE = (
    "Track actual usage for at least one month: requests, input and output "
    "tokens per request, peaks; measure output lengths."
)
OPTIMISE = (
    "Don't self-host for cost: optimise prompts (shorter context, caching) "
    "and pick the cheapest model that does each task well."
)
ANALYSE = (
    "Analyse the workload: if a significant share is classification, "
    "extraction or summarisation, pilot a small self-hosted model (7B-13B) "
    "for it and keep the API for complex tasks."
)
INVEST = (
    "Self-host at least part of the workload and invest in the infrastructure "
    "expertise to do it well; start with a hybrid."
)
PRICE = (
    "Price the self-hosted side with real quotes for your GPUs and a "
    "load test of your serving engine at your latency target."
)
API_FALLBACK = "Keep API fallback capability whatever you run."
LOCAL_FALLBACK = "Run a second local deployment as the fallback."


def fixed_by(inp: Inputs, v: Verdict) -> str | None:
    """The answer that forces the verdict, in words and as the profile field; None when the
    verdict comes from weighing the rules (then cost changes can flip it)."""
    if v.decided_by == "air-gapped":
        return "the air-gapped answer (offline or air-gapped: yes)"
    if v.decided_by == "data-sovereignty":
        return (
            "the data sovereignty answer (data on your own servers only, "
            "with no acceptable provider offer)"
        )
    if v.decided_by == "latency-under-100ms":
        return (
            f"the latency answer (a p95 time to first token of {number(inp.p95_ms)} ms, under "
            f"{number(inp.policy.latency_ms)} ms)"
        )
    return None


def next_steps(inp: Inputs, e: Economics, v: Verdict) -> tuple[str, ...]:
    steps: list[str] = []
    condition = condition_step(inp, v)
    if condition:
        steps.append(condition)
    if not inp.output_measured:
        steps.append(MEASURE)
    if v.decided_by in ("weights", "cost"):
        steps += _cost_steps(inp, e, v)
    else:
        steps += _constraint_steps(inp, e, v)
    steps.append(_fallback(inp, v))
    return tuple(steps)


def _cost_steps(inp: Inputs, e: Economics, v: Verdict) -> list[str]:
    """A verdict from weighing the rules: the article's advice for the spend band."""
    p, api = inp.policy, e.api.monthly_cost
    if v.api_route == "hosted_open" and e.hosted is not None:
        return ([OPTIMISE] if api < p.small_spend else []) + _hosted_steps(inp, e)
    steps: list[str] = []
    if api < p.small_spend:
        steps.append(
            OPTIMISE
            if v.verdict == "api"
            else (
                f"Self-host for the reasons above, not for cost: at {money(api)}/month on the "
                "API no self-hosted deployment saves money, so keep the self-hosted part as "
                "small as those reasons allow, and optimise prompts (shorter context, caching) "
                "for what stays on the API."
            )
        )
    elif api <= p.large_spend:
        steps.append(ANALYSE)
    elif v.verdict == "api":
        steps.append(
            f"Stay on the API for now, but over {money(p.large_spend)}/month the article "
            "advises self-hosting part of the workload: revisit when what keeps you on the "
            "API (see Why) changes, and build the infrastructure expertise meanwhile."
        )
    else:
        steps.append(INVEST)
    if v.verdict != "api":
        steps.append(PRICE)
    return steps


def _hosted_steps(inp: Inputs, e: Economics) -> list[str]:
    """The same open model hosted is the cheapest route: prove it does the job, then move."""
    assert e.hosted is not None
    saving = e.api.monthly_cost - e.hosted.cost.monthly_cost
    model, provider = inp.main.model.name, e.hosted.provider
    return [
        (
            f"Evaluate {model} on your own tasks against {inp.api.name} before moving: the "
            f"hosted route saves {money(saving)}/month only if it does the work as well."
        ),
        (
            f"Check {provider}'s terms before sending data: retention, rate limits at your "
            f"peak ({number(inp.peak_to_average)}x the average hour), regions; another provider of "
            f"the same model is the fallback, and {inp.api.name} for what the open model "
            "does not do well."
        ),
    ]


def _deployment(e: Economics, v: Verdict) -> Deployment:
    """The self-hosted deployment the verdict chose: full self-hosting or its hybrid's."""
    return e.hybrid(v.pattern).deployment if v.pattern else e.self_host


def _constraint_steps(inp: Inputs, e: Economics, v: Verdict) -> list[str]:
    """A verdict forced by a hard constraint: how to self-host well, not whether it pays."""
    d = _deployment(e, v)
    steps = [_why_fixed(inp, v)]
    size = (
        f"Size and price the deployment ({d.model} at {d.precision} on {d.replicas} "
        f"replica{'s' if d.replicas > 1 else ''} of {d.gpus_per_replica} x {d.gpu}, "
        f"{money(d.monthly_cost)}/month as modelled): real quotes "
        "for the GPUs or your own hardware, and a load test of your serving engine at your "
        f"latency target and at peak load ({number(inp.peak_to_average)}x the average hour)."
    )
    if v.decided_by == "air-gapped":
        size += (
            " Plan how model weights, engine updates and security patches reach the site "
            "without a network."
        )
    steps.append(size)
    steps.append(_team(inp, d))
    quality = (
        f"Evaluate {d.model} on your own tasks before committing: open models lag frontier "
        "APIs by 6-18 months."
    )
    if inp.frontier:
        quality += (
            " Frontier capability was asked for: if no open model is good enough, the "
            "constraint and that need conflict (see Caveats), and one of them has to give."
        )
    steps.append(quality)
    if v.verdict == "hybrid":
        steps.append(
            "For the requests on the API, optimise prompts (shorter context, caching) and "
            "pick the cheapest model that does each task well."
        )
    return steps


def _why_fixed(inp: Inputs, v: Verdict) -> str:
    if v.decided_by == "air-gapped":
        return (
            "The air-gapped environment fixes the verdict: all inference runs on site, "
            "whatever an API would cost, so put the effort into running it well rather than "
            "into the cost comparison."
        )
    if v.decided_by == "data-sovereignty":
        if v.verdict == "hybrid":
            return (
                f"Data sovereignty fixes the verdict: the sensitive {share(inp.sensitive_share)} "
                "of requests must never leave your servers. Classify requests before any API "
                "call, route the sensitive ones to the self-hosted model, and audit the routing."
            )
        return (
            "Data sovereignty fixes the verdict: the data must stay on your own servers and "
            "no provider offer is acceptable, so every request is self-hosted whatever an API "
            "would cost; put the effort into running it well rather than into the cost "
            "comparison."
        )
    part = (
        "every request"
        if v.verdict == "self_host"
        else f"the latency-critical {share(inp.critical_share)} of requests"
    )
    return (
        "The latency target fixes the verdict: a p95 time to first token of "
        f"{number(inp.p95_ms)} ms "
        f"leaves no room for an API's network round trip, so serve {part} from local or edge "
        "inference close to the users, and measure time to first token under load."
    )


def _team(inp: Inputs, d: Deployment) -> str:
    ops = f"{money(d.ops_monthly)}/month"
    if inp.expertise == "none":
        return (
            "Staff it before building it: with no in-house ML infrastructure expertise, hire "
            "or contract engineers who have run inference in production, and budget at least "
            f"{ops} for operations."
        )
    if inp.expertise == "some":
        return (
            "Name an owner for the deployment (monitoring, on-call, upgrades, capacity) and "
            f"budget {ops} for operations; grow the team's serving expertise with the load."
        )
    return (
        "Give your ML infrastructure team ownership of the deployment: monitoring, on-call, "
        f"model and engine upgrades, capacity planning; budget {ops} for operations."
    )


def _fallback(inp: Inputs, v: Verdict) -> str:
    if not v.api_fallback:
        if inp.air_gapped:
            return LOCAL_FALLBACK + " One spare replica (N+1) is priced in."
        return (
            "Plan the fallback on your own servers (a spare replica, N+1, priced in; ideally in "
            "another rack or site): no API may take requests whose data must stay in-house."
        )
    if v.decided_by == "data-sovereignty" and v.verdict == "hybrid":
        return (
            "Keep API fallback capability for the requests whose data may leave; the "
            "sensitive ones fail over to a spare on-premises replica (N+1, priced in), never "
            "to an API."
        )
    if v.decided_by == "latency-under-100ms":
        return (
            "Keep API fallback capability: when the local model is down, a slower answer from "
            "an API beats none."
        )
    return API_FALLBACK


def uses_outside_provider(v: Verdict) -> bool:
    """The verdict sends some requests to an outside provider: the API, a hybrid's API part,
    or the API that takes the peaks."""
    return v.verdict in ("api", "hybrid") or v.pattern == "volume"


def conditions(inp: Inputs, v: Verdict) -> tuple[str, ...]:
    """What must hold for the verdict to stand, in words ('a provider serves ... under a data
    processing agreement'): said in the headline and the first next step."""
    if not uses_outside_provider(v) or inp.air_gapped:
        return ()
    if inp.sovereignty == "residency":
        return (
            "a provider serves it from the region your data must stay in, under a data "
            "processing agreement",
        )
    if inp.sovereignty == "on_prem" and inp.compliance_ok:
        return ("the provider's compliance offer is confirmed in a data processing agreement",)
    return ()


def condition_step(inp: Inputs, v: Verdict) -> str | None:
    """The first next step of a conditional verdict: confirm the condition before moving."""
    if not conditions(inp, v):
        return None
    if inp.sovereignty == "residency" and not inp.compliance_ok:
        return (
            "Before acting on this verdict: data residency is required and no provider offer "
            "has been confirmed yet. Confirm an endpoint in your region for the model you would "
            "use, and a data processing agreement that covers it (retention, sub-processors, "
            "the region). If no provider offers both, the data cannot go to an API: answer "
            "'On our own servers only' and the verdict changes."
        )
    if inp.sovereignty == "residency":
        return (
            "Before acting on this verdict: get the provider's resident endpoint and its data "
            "processing agreement in writing (retention, sub-processors, the region)."
        )
    return (
        "Before acting on this verdict: the data must stay in-house unless the provider's "
        "compliance offer holds; have legal confirm it in a data processing agreement "
        "(retention, sub-processors, where the data is processed)."
    )
