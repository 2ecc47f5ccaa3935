"""The Decision: every figure, sentence and trace a face shows, as typed objects.

Faces (the TUI, the text and Markdown reports, the JSON contract) render a Decision and
compute nothing; the JSON form is made from it for `--format json` alone (serialize.py).
Importing this module imports no pydantic, so a decision computed in another process can be
handed to a face that has not loaded the core's file models yet (tests/test_hygiene.py).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from advisor.core.costs.api import ApiCost
from advisor.core.costs.billing import Terms
from advisor.core.costs.breakeven import BreakEven
from advisor.core.costs.curve import CurvePoint
from advisor.core.costs.deployment import Deployment
from advisor.core.costs.economics import Economics
from advisor.core.costs.horizon import Horizon
from advisor.core.costs.hybrids import Hybrid
from advisor.core.costs.inputs import Inputs
from advisor.core.costs.policy import Policy
from advisor.core.costs.search import Choice
from advisor.core.costs.uncertainty import Risk
from advisor.core.decision.assumptions import Assumption
from advisor.core.decision.choices import ChoiceFlip
from advisor.core.decision.growth import GrowthFlip
from advisor.core.decision.sensitivity import Flip
from advisor.core.rules.base import RuleResult

CONTRACT_VERSION = 2


class Workload(NamedTuple):
    """The workload the figures are for."""

    requests_per_day: float
    requests_per_month: float
    input_tokens: float
    output_tokens: float
    days_per_month: float


class Option(NamedTuple):
    """One priced option, a row of the cost comparison, with where its figures come from."""

    id: str  # "api" | "hosted_open" | "self_host" | "volume" | "complexity" | ...
    group: str  # "api" | "self_hosted" | "hybrid": what the team would run
    label: str  # "API", "Self-hosted", "hybrid complexity"
    monthly_cost: float
    with_friction: float  # friction on self-hosted parts: what the verdict compares
    per_request: float
    per_1k_tokens: float | None
    deployment: Deployment | None  # the self-hosted part, if any
    applicable: bool
    chosen: bool
    note: str  # the arithmetic and sources behind the figures, in words
    terms: Terms | None = None  # an API option's prices, provider, source and date

    @property
    def gpus(self) -> str:
        """'1 replica × 2 a100-80gb' (replicas × GPUs per replica, GPU), '-' without a
        deployment."""
        d = self.deployment
        if d is None:
            return "-"
        replicas = f"{d.replicas:,} replica{'' if d.replicas == 1 else 's'}"
        return f"{replicas} × {d.gpus_per_replica} {d.gpu}"

    @property
    def gpu_grid(self) -> str:
        """'5×4' (replicas × GPUs per replica) for a narrow column; '-' without one."""
        d = self.deployment
        return "-" if d is None else f"{d.replicas:,}×{d.gpus_per_replica}"

    @property
    def utilization(self) -> float | None:
        return None if self.deployment is None else self.deployment.utilization


class Recommendation(NamedTuple):
    verdict: str  # "api" | "self_host" | "hybrid"
    pattern: str | None
    headline: str  # "Go hybrid by complexity (simple tasks on a small ...)"
    short: str  # "Go hybrid by complexity": for one-line places (the live bar, a title)
    mark: str  # "[HYBRID]": the verdict in words, never by colour alone
    confidence: str  # "low" | "medium" | "high"
    confidence_score: float
    api_fallback: bool
    fallback_reason: str | None  # why no API may be the fallback
    fallback: str  # the fallback reminder as every face shows it
    api_route: str  # "closed" (the closed model) | "hosted_open" (the same open model, hosted)
    decided_by: str  # a hard rule id, "cost" (a clear cost gap) or "weights" (a close call)
    fixed_by: str | None  # the answer that fixes a verdict no cost change flips
    confidence_basis: str  # how the confidence score was reached, in words
    scores: dict[str, float]
    summary: str
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    conflicts: tuple[str, ...]
    next_steps: tuple[str, ...]
    note: str | None  # e.g. why a hybrid verdict fell back
    # What must hold for the verdict to stand (a resident endpoint and a data processing
    # agreement): the headline says "if ..." and the first next step asks to confirm it.
    conditions: tuple[str, ...] = ()


class Decision(NamedTuple):
    advisor_version: str
    contract_version: int
    profile_name: str
    notes: str
    today: date
    stale_after_days: int  # catalog prices older than this are marked stale
    workload: Workload
    recommendation: Recommendation
    options: tuple[Option, ...]  # API, full self-hosting, then each hybrid
    curve: tuple[CurvePoint, ...]  # monthly cost against volume (the break-even chart)
    break_even_lines: tuple[str, ...]  # the break-even in sentences, closed and hosted
    break_even_hosted: str | None  # the last of them: against the open model hosted, if any
    rules: tuple[RuleResult, ...]
    sensitivity: tuple[Flip, ...]  # largest swing first
    choices: tuple[ChoiceFlip, ...]  # the deployment's levers: GPU, precision, GPUs, scaling
    flip_lead: str | None  # what "what would flip" says first, when a constraint fixes it
    assumptions: tuple[Assumption, ...]
    warnings: tuple[str, ...]
    inputs: Inputs  # the resolved inputs (for the core's own what-ifs)
    economics: Economics  # the figures the options are made of
    horizon: Horizon | None = None  # month by month (None until the outlook is computed)
    risk: Risk | None = None  # the odds over the uncertain inputs (likewise)
    growth: GrowthFlip | None = None  # the growth that would change the horizon's answer

    @property
    def api(self) -> ApiCost:
        return self.economics.api

    @property
    def self_host(self) -> Deployment:
        return self.economics.self_host

    @property
    def choice(self) -> Choice:
        """The deployment search for full self-hosting: the choice and its candidates."""
        return self.economics.choice

    @property
    def break_even(self) -> BreakEven:
        return self.economics.break_even

    @property
    def hybrids(self) -> tuple[Hybrid, ...]:
        return self.economics.hybrids

    @property
    def policy(self) -> Policy:
        return self.inputs.policy

    def rule(self, rule_id: str) -> RuleResult:
        return next(r for r in self.rules if r.id == rule_id)

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    @property
    def api_side(self) -> Option:
        """The API group's cheapest applicable option (the closed model, or the same open
        model hosted): what self-hosting was weighed against."""
        inside = [o for o in self.options if o.group == "api" and o.applicable]
        return min(inside, key=lambda o: (o.with_friction, o.id))
