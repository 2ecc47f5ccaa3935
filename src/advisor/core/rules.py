"""The rule engine: one rule per decision criterion of the article (DESIGN.md section 3).

Each rule reads facts from the inputs and the economics, and says whether it fired, its
typed effect and why, with the numbers it used. Thresholds and weights come from the policy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from advisor.core.economics import Economics
from advisor.core.inputs import Inputs

Facts = dict[str, float | int | str | bool | None]


@dataclass(frozen=True, slots=True)
class Effect:
    kind: str  # "hard" | "weight" | "warning" | "info"
    toward: str | None  # "api" | "self_host" | "hybrid" | None
    weight: float


@dataclass(frozen=True, slots=True)
class RuleResult:
    id: str
    title: str
    source: str  # the article section it comes from
    fired: bool
    effect: Effect
    explanation: str
    facts: Facts


def money(x: float) -> str:
    return f"${x:,.0f}"


def _r(rule_id: str, title: str, source: str, fired: bool, kind: str, toward: str | None,
       weight: float, explanation: str, facts: Facts) -> RuleResult:
    return RuleResult(rule_id, title, source, fired, Effect(kind, toward, weight if fired else 0.0),
                      explanation, facts)


PRACTICAL = "Practical Recommendations"
WHEN_SELF = "When Self-Hosting Makes Sense"
WHEN_API = "When APIs Win"


def spend_under(inp: Inputs, e: Economics) -> RuleResult:
    api, p = e.api.monthly_cost, inp.policy
    fired = api < p.small_spend
    return _r("spend-under-5k", f"API spend under {money(p.small_spend)}/month", PRACTICAL,
              fired, "weight", "api", p.weight_strong,
              f"API cost {money(api)}/month is {'under' if fired else 'not under'} "
              f"{money(p.small_spend)}: " + ("the operational overhead exceeds any possible "
              "savings; optimise prompts and model choice instead." if fired else
              "self-hosting overhead could be recovered."),
              {"api_monthly": api, "small_spend": p.small_spend})


def spend_middle(inp: Inputs, e: Economics) -> RuleResult:
    api, p = e.api.monthly_cost, inp.policy
    fired = p.small_spend <= api <= p.large_spend
    simple = inp.simple_share >= p.significant_share
    text = (f"API cost {money(api)}/month is {'within' if fired else 'outside'} "
            f"{money(p.small_spend)}-{money(p.large_spend)}. ")
    if fired and simple:
        text += (f"{inp.simple_share:.0%} of requests are simple tasks (at least "
                 f"{p.significant_share:.0%}): a small self-hosted model for them may pay off.")
    elif fired:
        text += (f"Analyse the workload: only {inp.simple_share:.0%} of requests are simple "
                 f"tasks (under {p.significant_share:.0%}), so keep the API.")
    return _r("spend-5k-20k", "API spend in the middle band: analyse the workload", PRACTICAL,
              fired, "weight" if simple else "info", "hybrid" if simple else None,
              p.weight_normal if simple else 0.0, text.strip(),
              {"api_monthly": api, "simple_task_share": inp.simple_share,
               "significant_share": p.significant_share})


def spend_over(inp: Inputs, e: Economics) -> RuleResult:
    api, p = e.api.monthly_cost, inp.policy
    fired = api > p.large_spend
    return _r("spend-over-20k", f"API spend over {money(p.large_spend)}/month", PRACTICAL,
              fired, "weight", "hybrid", p.weight_normal,
              f"API cost {money(api)}/month is {'over' if fired else 'not over'} "
              f"{money(p.large_spend)}" + (": self-hosting probably makes sense for part of the "
              "workload; invest in the expertise to do it well." if fired else "."),
              {"api_monthly": api, "large_spend": p.large_spend})


def cost_options(inp: Inputs, e: Economics) -> dict[str, tuple[float, str]]:
    """What each verdict costs as compared (friction on self-hosted parts), with a label."""
    f = inp.policy.friction_multiplier
    options = {
        "api": (e.api.monthly_cost, "the API"),
        "self_host": (e.break_even.self_host_compared, f"self-hosting x {f:g} friction"),
    }
    applicable = [h for h in e.hybrids if h.applicable]
    if applicable:
        best = min(applicable, key=lambda h: h.compared_cost(f))
        options["hybrid"] = (best.compared_cost(f), f"hybrid by {best.pattern}")
    return options


def break_even_rule(inp: Inputs, e: Economics) -> RuleResult:
    p = inp.policy
    options = cost_options(inp, e)
    ranked = sorted(options.items(), key=lambda kv: kv[1][0])
    (best, (best_cost, best_label)), (_, (second_cost, second_label)) = ranked[0], ranked[1]
    margin = math.log(second_cost / best_cost) / math.log(2) if best_cost > 0 else 1.0
    weight = p.weight_break_even + p.weight_break_even_margin * min(1.0, margin)
    listing = "; ".join(f"{label} {money(cost)}" for _, (cost, label) in ranked)
    volume = e.break_even.requests_per_day
    text = (f"Cheapest is {best_label} at {money(best_cost)}/month, {second_cost / best_cost:.2f}x "
            f"cheaper than {second_label} ({listing}). ")
    text += (f"Full self-hosting breaks even at {volume:,} requests/day." if volume else
             "Full self-hosting does not break even within 1,000x today's volume.")
    return _r("break-even", "Total cost of ownership with the friction multiplier",
              "The Break-Even Calculation", True, "weight", best, weight, text,
              {"api_monthly": e.api.monthly_cost,
               "self_host_compared": e.break_even.self_host_compared,
               "hybrid_compared": options["hybrid"][0] if "hybrid" in options else None,
               "friction_multiplier": p.friction_multiplier, "break_even_requests_per_day": volume})


def utilization_trap(inp: Inputs, e: Economics) -> RuleResult:
    u, floor = e.self_host.utilization, inp.policy.utilization_floor
    fired = u < floor
    per, full = e.self_host.cost_per_1k_tokens, e.self_host.cost_per_1k_tokens_full_load
    text = f"Self-hosted utilisation {u:.0%} is {'below' if fired else 'at or above'} {floor:.0%}"
    if fired and per is not None and full is not None:
        text += (f": a GPU bills around the clock, so each token costs {1 / u:.1f}x the "
                 f"full-load figure (${per:.4f} vs ${full:.4f} per 1K tokens).")
    else:
        text += "."
    return _r("utilization-trap", "The utilisation trap", "The Utilization Trap", fired,
              "weight", "api", inp.policy.weight_normal, text,
              {"utilization": u, "utilization_floor": floor})


def variable_traffic(inp: Inputs, e: Economics) -> RuleResult:
    variable = inp.variability in ("bursty", "unpredictable")
    fired = variable or inp.growth_phase
    volume = e.hybrid("volume")
    f = inp.policy.friction_multiplier
    by_volume = volume.applicable and volume.compared_cost(f) < e.api.monthly_cost
    why = []
    if variable:
        why.append(f"traffic is {inp.variability} (peak {inp.peak_to_average:g}x average)")
    if inp.growth_phase:
        why.append("the product is in a growth phase")
    text = ("Traffic is steady enough to plan capacity." if not fired else
            " and ".join(why).capitalize() + ": self-hosting bills for capacity whether used "
            "or not, APIs per request" + (", but baseline self-hosted with API overflow is "
            f"cheaper than the API ({money(volume.compared_cost(f))} vs "
            f"{money(e.api.monthly_cost)})." if by_volume else "."))
    return _r("variable-traffic", "Variable or unpredictable traffic", WHEN_API, fired, "weight",
              "hybrid" if by_volume else "api", inp.policy.weight_normal, text,
              {"variability": inp.variability, "peak_to_average": inp.peak_to_average,
               "growth_phase": inp.growth_phase})


def latency(inp: Inputs, e: Economics) -> RuleResult:
    target, limit = inp.p95_ms, inp.policy.latency_ms
    fired = e.latency_critical
    share = inp.critical_share
    text = (f"p95 time-to-first-token target {target:g} ms is "
            + (f"under {limit:g} ms: an API's network round trip alone spends that budget, so "
               f"{share:.0%} of requests need local or edge inference." if fired else
               f"not under {limit:g} ms: an API can meet it."))
    return _r("latency-under-100ms", f"Latency under {limit:g} ms", WHEN_SELF, fired, "hard",
              "hybrid" if share < 1 else "self_host", 0.0, text,
              {"p95_target_ms": target, "latency_ms": limit, "critical_share": share})


def sovereignty(inp: Inputs, e: Economics) -> RuleResult:
    fired = inp.sovereignty == "on_prem" and not inp.compliance_ok
    share = inp.sensitive_share
    all_sensitive = share in (0.0, 1.0)
    if fired:
        part = "all requests" if all_sensitive else f"the sensitive {share:.0%} of requests"
        text = f"Data must stay on premises and no provider offer is acceptable: {part} self-hosted."
    elif inp.sovereignty == "on_prem":
        text = "Data must stay in-house, but a provider's compliance offer satisfies you."
    elif inp.sovereignty == "residency":
        text = ("Data residency is required: many APIs offer regional residency and "
                "HIPAA/SOC2 compliance; check current offerings before assuming self-hosting.")
    else:
        text = "No data-sovereignty constraint."
    return _r("data-sovereignty", "Data sovereignty", WHEN_SELF, fired, "hard",
              "self_host" if all_sensitive else "hybrid", 0.0, text,
              {"sovereignty": inp.sovereignty, "api_compliance_ok": inp.compliance_ok,
               "sensitive_share": share})


def air_gapped(inp: Inputs, e: Economics) -> RuleResult:
    fired = inp.air_gapped
    return _r("air-gapped", "Offline or air-gapped environment", WHEN_SELF, fired, "hard",
              "self_host", 0.0,
              "No reliable internet access: local inference only." if fired else
              "Internet access is available.", {"air_gapped": fired})


def _flag(rule_id: str, title: str, source: str, attr: str, toward: str, strong: bool,
          yes: str, no: str) -> Callable[[Inputs, Economics], RuleResult]:
    def rule(inp: Inputs, e: Economics) -> RuleResult:
        fired = bool(getattr(inp, attr))
        weight = inp.policy.weight_strong if strong else inp.policy.weight_normal
        return _r(rule_id, title, source, fired, "weight", toward, weight, yes if fired else no,
                  {attr: fired})
    return rule


def limited_expertise(inp: Inputs, e: Economics) -> RuleResult:
    fired = inp.expertise == "none"
    return _r("limited-expertise", "Limited ML infrastructure expertise", WHEN_API, fired,
              "weight", "api", inp.policy.weight_strong,
              "No ML infrastructure expertise: time spent debugging CUDA errors and batch sizes "
              "is time not spent on the product; strongly prefer APIs." if fired else
              f"ML infrastructure expertise: {inp.expertise}.", {"ml_expertise": inp.expertise})


def extreme_volume(inp: Inputs, e: Economics) -> RuleResult:
    p, be = inp.policy, e.break_even.requests_per_day
    u = e.self_host.utilization
    fired = be is not None and inp.requests_per_day >= p.extreme_multiple * be and (
        u >= p.utilization_floor)
    if be is None:
        text = "Self-hosting does not break even within 1,000x today's volume."
    else:
        text = (f"Volume {inp.requests_per_day:,.0f} requests/day is "
                f"{inp.requests_per_day / be:.1f}x the break-even volume ({be:,}); extreme "
                f"needs {p.extreme_multiple:g}x at utilisation of at least "
                f"{p.utilization_floor:.0%} (now {u:.0%}).")
    return _r("extreme-volume", "Extreme volume", WHEN_SELF, fired, "weight", "self_host",
              p.weight_strong, text,
              {"requests_per_day": inp.requests_per_day, "break_even_requests_per_day": be,
               "extreme_multiple": p.extreme_multiple, "utilization": u})


def output_trap(inp: Inputs, e: Economics) -> RuleResult:
    fired = not inp.output_measured
    share = inp.output_tokens * inp.api_out_price / 1e6 / e.api.cost_per_request if (
        e.api.cost_per_request) else 0.0
    return _r("output-token-trap", "The output token trap", "The Output Token Trap", fired,
              "warning", None, 0.0,
              (f"Output lengths ({inp.output_tokens:,.0f} tokens) are a guess, and output is "
               f"{share:.0%} of the API bill at {inp.api_out_price / max(inp.api_in_price, 1e-12):.1f}x "
               "the input price: measure real output lengths before projecting.") if fired else
              f"Output lengths ({inp.output_tokens:,.0f} tokens) are measured from real traffic.",
              {"output_tokens": inp.output_tokens, "output_tokens_measured": inp.output_measured})


def api_fallback(inp: Inputs, e: Economics) -> RuleResult:
    text = ("Air-gapped: keep a second local deployment as the fallback, since an API "
            "cannot be reached." if inp.air_gapped else
            "Whatever the verdict, keep API fallback capability: self-hosted infrastructure "
            "fails, and a fallback keeps outages from becoming incidents.")
    return _r("api-fallback", "Always keep a fallback", PRACTICAL, True, "info", None, 0.0, text,
              {"air_gapped": inp.air_gapped})


RULES: tuple[Callable[[Inputs, Economics], RuleResult], ...] = (
    spend_under, spend_middle, spend_over, break_even_rule, utilization_trap, variable_traffic,
    latency, sovereignty, air_gapped,
    _flag("fine-tuned-model", "A fine-tuned model with significant quality gains", WHEN_SELF,
          "fine_tuned", "self_host", False,
          "A fine-tuned model brings significant quality: serving it yourself gives control.",
          "No fine-tuned model that matters."),
    _flag("frontier-capability", "Frontier capability needed", WHEN_API, "frontier", "api", True,
          "Frontier reasoning or coding is needed: open models lag frontier APIs by 6-18 months.",
          "Open models are capable enough for the task."),
    limited_expertise,
    _flag("rapid-iteration", "Rapid iteration on prompts and models", WHEN_API,
          "rapid_iteration", "api", False,
          "Still iterating on prompts and models: APIs switch models instantly; self-hosting "
          "means redeploying.", "Prompts and models are settled."),
    _flag("multi-model", "Several models in the product", WHEN_API, "multi_model", "api", False,
          "Several models in the product: trivial with APIs, complex to self-host.",
          "One model serves the product."),
    extreme_volume, output_trap, api_fallback,
)

RULE_IDS = (
    "spend-under-5k", "spend-5k-20k", "spend-over-20k", "break-even", "utilization-trap",
    "variable-traffic", "latency-under-100ms", "data-sovereignty", "air-gapped",
    "fine-tuned-model", "frontier-capability", "limited-expertise", "rapid-iteration",
    "multi-model", "extreme-volume", "output-token-trap", "api-fallback",
)


def evaluate_rules(inp: Inputs, e: Economics) -> tuple[RuleResult, ...]:
    return tuple(rule(inp, e) for rule in RULES)
