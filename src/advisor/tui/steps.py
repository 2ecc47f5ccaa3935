"""The questionnaire's content: eight steps, one per concern, each question with the article's
"why this matters" line. The machinery (bounds from the profile model, text to value and
back) is in `questions.py`.
"""

from __future__ import annotations

from advisor.tui.questions import Question, Step
from advisor.tui.steps_billing import BILLING
from advisor.tui.steps_deployment import RUN_IT_YOURSELF
from advisor.tui.steps_horizon import HORIZON

Q = Question

STEPS: tuple[Step, ...] = (
    Step(
        "Workload and spend",
        "Its name, how much you send to the model, and what it costs today.",
        (
            Q(
                "",
                "name",
                "Profile name (titles the memo)",
                "Name the product or the decision: the memo and the saved file carry it.",
                "text",
            ),
            Q(
                "workload",
                "requests_per_day",
                "Requests per day",
                "Volume drives the bill: 10,000 a day at $0.024 each is $7,200 a month.",
                "number",
                "requests",
            ),
            Q(
                "workload",
                "input_tokens",
                "Tokens in, per request",
                "Token counts surprise people: one support chat is 5,600 tokens in.",
                "integer",
                "tokens",
            ),
            Q(
                "workload",
                "output_tokens",
                "Tokens out, per request",
                "Output tokens cost 3-5x more than input; estimates often undershoot.",
                "integer",
                "tokens",
            ),
            Q(
                "workload",
                "output_tokens_measured",
                "Output lengths measured?",
                "Always measure actual output lengths before projecting costs.",
                "bool",
            ),
            Q(
                "api",
                "model",
                "API model ($/M tokens in/out)",
                "Prices per M tokens differ 40x: Sonnet $3/$15, Flash $0.075/$0.30.",
                "api_model",
            ),
            Q(
                "api",
                "monthly_spend",
                "Your monthly API bill, if known",
                "Track actual usage for a month: the real bill checks the estimate.",
                "number",
                "$/month",
            ),
            Q(
                "workload",
                "days_per_month",
                "Days in a month",
                "The article's monthly figures count 30 days a month.",
                "number",
                "days",
                advanced=True,
            ),
        ),
    ),
    Step(
        "Traffic",
        "How steady the load is: GPUs are paid by the hour, busy or idle.",
        (
            Q(
                "traffic",
                "variability",
                "How does traffic vary?",
                "Self-hosting charges for capacity, used or not; APIs per request.",
                "choice",
                choices=(
                    ("steady", "Steady: about the same all day"),
                    ("moderate", "Moderate: daily peaks"),
                    ("bursty", "Bursty: sharp spikes"),
                    ("unpredictable", "Unpredictable: launches, seasons"),
                ),
            ),
            Q(
                "traffic",
                "peak_to_average",
                "Busiest hour vs an average hour",
                "Traffic is bursty, not constant: GPUs are sized for the peak.",
                "number",
                "x average",
            ),
            Q(
                "traffic",
                "growth_phase",
                "Product still in growth phase?",
                "For products in growth phase, APIs provide better economics.",
                "bool",
            ),
        ),
    ),
    Step(
        "Latency",
        "How fast the first words of an answer must appear.",
        (
            Q(
                "latency",
                "p95_target_ms",
                "Time to first token (p95)",
                "For sub-100ms responses, local inference may be necessary.",
                "number",
                "ms",
            ),
            Q(
                "latency",
                "critical_share",
                "Share needing that speed",
                "A small local model can serve the fast part; the rest stays on an API.",
                "share",
                "%",
            ),
        ),
    ),
    Step(
        "Data",
        "Where the data may go: rules, contracts and the network.",
        (
            Q(
                "data",
                "sovereignty",
                "Where must the data stay?",
                "If data cannot leave your infrastructure, you may have to self-host.",
                "choice",
                choices=(
                    ("none", "Anywhere: no restriction"),
                    ("residency", "In a region (data residency)"),
                    ("on_prem", "On our own servers only"),
                ),
            ),
            Q(
                "workload",
                "sensitive_share",
                "Share of sensitive requests",
                "Self-host data that can't leave your servers; APIs for the rest.",
                "share",
                "%",
            ),
            Q(
                "data",
                "api_compliance_ok",
                "Provider compliance offer OK?",
                "Many APIs offer residency and HIPAA/SOC2: check before self-hosting.",
                "bool",
            ),
            Q(
                "data",
                "air_gapped",
                "Offline or air-gapped?",
                "Environments without reliable internet access require local inference.",
                "bool",
            ),
        ),
    ),
    Step(
        "Team and needs",
        "Who would run it, and what the product needs from the model.",
        (
            Q(
                "team",
                "ml_expertise",
                "Team's ML infrastructure skills",
                "Without ML infrastructure expertise, strongly prefer APIs.",
                "choice",
                choices=(
                    ("none", "None: nobody runs GPU servers"),
                    ("some", "Some: we could learn"),
                    ("strong", "Strong: we run GPU serving"),
                ),
            ),
            Q(
                "needs",
                "frontier_capability",
                "Need the very best models?",
                "Open models lag frontier APIs by 6-18 months in capability.",
                "bool",
            ),
            Q(
                "needs",
                "fine_tuned_model",
                "Fine-tuned model much better?",
                "A fine-tune with a real quality gain is a reason to self-host it.",
                "bool",
            ),
            Q(
                "needs",
                "rapid_iteration",
                "Still changing prompts/models?",
                "APIs switch models instantly; self-hosting requires redeployment.",
                "bool",
            ),
            Q(
                "needs",
                "multi_model",
                "Several models in the product?",
                "Many models are trivial to manage with APIs, complex when self-hosted.",
                "bool",
            ),
            Q(
                "workload",
                "simple_task_share",
                "Share of simple requests",
                "Classification, extraction, summaries can run on a small local model.",
                "share",
                "%",
            ),
        ),
    ),
    BILLING,
    RUN_IT_YOURSELF,
    HORIZON,
)


def all_questions() -> list[Question]:
    return [q for step in STEPS for q in step.questions]
