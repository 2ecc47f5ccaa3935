"""The questionnaire's last step: how self-hosted GPUs would be bought and kept running, and
(advanced) what the deployment search may choose."""

from __future__ import annotations

from advisor.tui.questions import Question, Step

Q = Question

RUN_IT_YOURSELF = Step(
    "How you would run it yourself",
    "How self-hosted GPUs would be bought and kept running; then, advanced, what the "
    "search may choose (leave a field empty to let it choose).",
    (
        Q(
            "self_host",
            "scaling",
            "Pay for GPUs how?",
            "Self-hosting charges for capacity whether you use it or not.",
            "choice",
            choices=(
                ("fixed", "Fixed: enough for the busiest hour, all month"),
                ("autoscale", "Autoscaled: GPUs follow the load hour by hour"),
            ),
            blank="Whichever costs less (searched)",
        ),
        Q(
            "self_host",
            "redundancy",
            "A spare in case one fails?",
            "Self-hosted infrastructure fails: a fallback keeps outages small.",
            "choice",
            choices=(
                ("auto", "A spare only where no API can take over"),
                ("none", "No spare: the API takes over"),
                ("n_plus_1", "Always one spare (N+1)"),
            ),
        ),
        Q(
            "self_host",
            "min_replicas",
            "Fewest copies kept running",
            "Even at night at least one copy bills around the clock.",
            "integer",
            "copies",
            advanced=True,
        ),
        Q(
            "self_host",
            "precisions",
            "Precisions the search may use",
            "Fewer bytes a weight need less GPU memory, so fewer GPUs.",
            "precisions",
            advanced=True,
            blank="catalog default: FP16 or FP8",
        ),
        Q(
            "self_host",
            "model",
            "Open model to run",
            "Bigger models need more GPU memory, so more GPUs for each copy.",
            "open_model",
            advanced=True,
        ),
        Q(
            "self_host",
            "gpu",
            "GPU type",
            "The article's example runs Llama 70B on 2x A100 80GB on AWS.",
            "gpu",
            advanced=True,
        ),
        Q(
            "self_host",
            "precision",
            "Number precision of the weights",
            "GPU memory needs grow with model size; fewer bytes a weight need less.",
            "precision",
            advanced=True,
        ),
        Q(
            "self_host",
            "gpus",
            "GPUs for each copy of the model",
            "The article serves Llama 70B on 2x A100 80GB.",
            "integer",
            "GPUs",
            advanced=True,
        ),
        Q(
            "self_host",
            "replicas",
            "Copies of the model (fixed)",
            "Self-hosting charges for capacity whether you use it or not.",
            "integer",
            "copies",
            advanced=True,
        ),
        Q(
            "self_host",
            "gpu_hourly_price",
            "Price of one GPU",
            "Hardware is just the beginning of the self-hosted bill.",
            "number",
            "$/GPU-hour",
            advanced=True,
        ),
        Q(
            "self_host",
            "infra_overhead",
            "Infrastructure overhead",
            "Infrastructure overhead adds about 40% on top of GPU time.",
            "share",
            "% of GPUs",
            advanced=True,
        ),
        Q(
            "self_host",
            "ops_monthly_cost",
            "People to run it",
            "Operations: a part-time engineer is about $4,000 a month.",
            "number",
            "$/month",
            advanced=True,
        ),
        Q(
            "self_host",
            "throughput_tokens_per_s",
            "Throughput of one copy",
            "With vLLM or TensorRT-LLM, expect ~50-100 tokens/second sustained.",
            "number",
            "tokens/s",
            advanced=True,
        ),
        Q(
            "self_host",
            "utilization",
            "Average GPU utilisation",
            "Most deployments run at 20-40%: at 30%, the cost per token triples.",
            "share",
            "%",
            advanced=True,
        ),
    ),
)
