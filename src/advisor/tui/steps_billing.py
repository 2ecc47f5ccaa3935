"""The questionnaire's billing step: how the API bill is really paid (prompt cache, batch),
whether another provider of the open model may be used, and (advanced) prices of your own."""

from __future__ import annotations

from advisor.tui.questions import Question, Step

Q = Question

BILLING = Step(
    "How the API bills you",
    "Cached input and batch requests cost less; the same open model is sold by other "
    "providers too.",
    (
        Q(
            "api",
            "cached_input_share",
            "Input read from the prompt cache",
            "Optimise prompts (caching): cached input costs a tenth at Anthropic.",
            "share",
            "% of input tokens",
        ),
        Q(
            "api",
            "batch_share",
            "Requests that can wait a day",
            "Batch APIs take 50% off at OpenAI and Anthropic (answers within 24h).",
            "share",
            "% of requests",
        ),
        Q(
            "api",
            "hosted_open",
            "Open model from other providers?",
            "Self-hosting must beat the same open model hosted, not only the API.",
            "bool",
        ),
        Q(
            "api",
            "input_price_per_mtok",
            "Your price for input tokens",
            "API costs have fallen faster than most people realise: recheck prices.",
            "number",
            "$/M tokens",
            advanced=True,
        ),
        Q(
            "api",
            "output_price_per_mtok",
            "Your price for output tokens",
            "Output tokens cost 3-5x more than input tokens.",
            "number",
            "$/M tokens",
            advanced=True,
        ),
    ),
)
