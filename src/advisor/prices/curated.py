"""Our editorial choices about the genai-prices data: which models the catalog carries, their
ids and names, successors, the batch discounts kept by hand, retirements with their sources,
and how hosted open models are recognised. Every price comes from the data; nothing here is a
price except the cited 50% batch fallbacks.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

# (our id, display name, genai-prices provider id, model reference). The reference is resolved
# with genai-prices' own match rules (the lookup calc_price uses), so an API model string works
# as well as a genai-prices model id.
CURATED: tuple[tuple[str, str, str, str], ...] = (
    ("gpt-4o", "GPT-4o", "openai", "gpt-4o"),
    ("gpt-4o-mini", "GPT-4o mini", "openai", "gpt-4o-mini"),
    ("gpt-4.1", "GPT-4.1", "openai", "gpt-4.1"),
    ("gpt-5", "GPT-5", "openai", "gpt-5"),
    ("gpt-5-mini", "GPT-5 mini", "openai", "gpt-5-mini"),
    ("gpt-5.4", "GPT-5.4", "openai", "gpt-5.4"),
    ("claude-3.5-sonnet", "Claude 3.5 Sonnet", "anthropic", "claude-3-5-sonnet"),
    ("claude-3.5-haiku", "Claude 3.5 Haiku", "anthropic", "claude-3-5-haiku"),
    ("claude-sonnet-4", "Claude Sonnet 4", "anthropic", "claude-sonnet-4"),
    ("claude-sonnet-4.6", "Claude Sonnet 4.6", "anthropic", "claude-sonnet-4-6"),
    ("claude-haiku-4.5", "Claude Haiku 4.5", "anthropic", "claude-haiku-4-5"),
    ("claude-opus-4.5", "Claude Opus 4.5", "anthropic", "claude-opus-4-5"),
    ("gemini-1.5-pro", "Gemini 1.5 Pro", "google", "gemini-1.5-pro"),
    ("gemini-1.5-flash", "Gemini 1.5 Flash", "google", "gemini-1.5-flash"),
    ("gemini-2.5-pro", "Gemini 2.5 Pro", "google", "gemini-2.5-pro"),
    ("gemini-2.5-flash", "Gemini 2.5 Flash", "google", "gemini-2.5-flash"),
    ("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", "google", "gemini-2.5-flash-lite"),
    ("gemini-3-pro-preview", "Gemini 3 Pro Preview", "google", "gemini-3-pro-preview"),
    ("gemini-3.1-pro-preview", "Gemini 3.1 Pro Preview", "google", "gemini-3.1-pro-preview"),
)

# Besides the curated Claude ids: the newest Sonnet, Opus and Haiku in the data (and the newest
# Opus 4.x), so that "newest" follows the data rather than this file.
CLAUDE_NEWEST_FAMILIES = ("sonnet", "opus", "haiku")
CLAUDE_NEWEST_WITHIN_MAJOR = frozenset({("opus", 4)})

# Successors (genai-prices has no successor field): written for retired entries only, and only
# when the successor is emitted too.
SUCCESSORS: dict[str, str] = {
    "claude-3.5-sonnet": "claude-sonnet-4.6",
    "claude-3.5-haiku": "claude-haiku-4.5",
    "claude-sonnet-4": "claude-sonnet-4.6",
    "gemini-1.5-pro": "gemini-2.5-pro",
    "gemini-1.5-flash": "gemini-2.5-flash",
    "gemini-3-pro-preview": "gemini-3.1-pro-preview",
}


class Retirement(NamedTuple):
    """A retirement the data does not date: when (a date, or True when only the month is
    known) and where that is written."""

    when: date | bool
    source: str


# genai-prices has a `deprecated` flag but no dates; these are the dates, with their sources.
RETIREMENTS: dict[str, Retirement] = {
    "claude-3.5-sonnet": Retirement(
        date(2025, 10, 22),
        "Anthropic's model deprecations page (claude-3-5-sonnet retired 2025-10-22, quoted in "
        "gitlab.com/gitlab-org/gitlab/-/issues/572012); figures.md: retired in October 2025",
    ),
    "claude-sonnet-4": Retirement(
        date(2026, 6, 15),
        "Anthropic release notes (claude-sonnet-4-20250514 retired 2026-06-15, announced "
        "2026-04-14); figures.md: retired in June 2026",
    ),
}

# Hand-kept batch discounts (share off list price), used ONLY when the data has no active
# `processing: batch` price for a model that is not retired: before the provider's batch
# history in the data starts ("batch history before then is not modelled").
BATCH_FALLBACK: dict[str, tuple[float, str]] = {
    "openai": (0.5, "figures.md; OpenAI pricing page, Batch"),
    "anthropic": (0.5, "genai-prices anthropic provider comment; Anthropic batch-processing docs"),
    "google": (0.5, "genai-prices google model comments; Gemini API pricing, Batch tab"),
}

# -- hosted open models ------------------------------------------------------------------------

DEFAULT_OPEN_MODELS = ("llama-3.3-70b", "llama-3.1-70b", "llama-3.1-8b", "llama-3.1-405b")

# Words in a model id that mean a fine-tune, a derivative or another product, not the open model.
DERIVATIVE = re.compile(
    r"distill|hermes|nemotron|swallow|sonar|guard|codellama|euryale|hanami|stheno|aion|dobby|shisa"
    r"|tool-use|vision|safeguard"
)
# Suffixes of the same weights served plainly; other variants rank below them.
PLAIN_SUFFIXES = frozenset(
    {"", "instruct", "instruct-turbo", "versatile", "instant", "instruct-v1:0", "chat"}
)


class OpenModelDef(NamedTuple):
    id: str
    name: str
    pattern: re.Pattern[str]  # on the canonical name; group "suffix": the rest of the id


def _llama(version: str, size: str) -> re.Pattern[str]:
    major, minor = version.split(".")
    return re.compile(rf"^(?:meta-)?llama-?v?{major}[-._p]?{minor}-{size}b(?P<suffix>.*)$")


OPEN_MODELS: dict[str, OpenModelDef] = {
    "llama-3.3-70b": OpenModelDef("llama-3.3-70b", "Llama 3.3 70B", _llama("3.3", "70")),
    "llama-3.1-70b": OpenModelDef("llama-3.1-70b", "Llama 3.1 70B", _llama("3.1", "70")),
    "llama-3.1-8b": OpenModelDef("llama-3.1-8b", "Llama 3.1 8B", _llama("3.1", "8")),
    "llama-3.1-405b": OpenModelDef("llama-3.1-405b", "Llama 3.1 405B", _llama("3.1", "405")),
    "gpt-oss-120b": OpenModelDef(
        "gpt-oss-120b", "gpt-oss-120b", re.compile(r"^gpt-oss-120b(?P<suffix>.*)$")
    ),
    "gpt-oss-20b": OpenModelDef(
        "gpt-oss-20b", "gpt-oss-20b", re.compile(r"^gpt-oss-20b(?P<suffix>.*)$")
    ),
}

# Provider id -> the prefix of our hosted-model ids (default: the id with "_" -> "-"), and
# display names where the data's name is awkward.
PROVIDER_SLUG = {"aws": "bedrock"}
PROVIDER_DISPLAY = {"together": "Together AI", "fireworks": "Fireworks AI"}
HF_SUBPROVIDER = {
    "cerebras": "Cerebras",
    "fireworks-ai": "Fireworks AI",
    "groq": "Groq",
    "hyperbolic": "Hyperbolic",
    "nebius": "Nebius",
    "novita": "Novita",
    "nscale": "Nscale",
    "ovhcloud": "OVHcloud",
    "publicai": "PublicAI",
    "sambanova": "SambaNova",
    "together": "Together AI",
}


def provider_slug(provider_id: str) -> str:
    if provider_id in PROVIDER_SLUG:
        return PROVIDER_SLUG[provider_id]
    if provider_id.startswith("huggingface_"):
        return "hf-" + provider_id.removeprefix("huggingface_").replace("_", "-")
    return provider_id.replace("_", "-")


def provider_display(provider_id: str, name: str) -> str:
    if provider_id in PROVIDER_DISPLAY:
        return PROVIDER_DISPLAY[provider_id]
    found = re.fullmatch(r"HuggingFace \((.+)\)", name)
    if found:
        return f"{HF_SUBPROVIDER.get(found.group(1), found.group(1))} via Hugging Face"
    return name


def canonical_name(model_id: str) -> str:
    """'accounts/fireworks/models/llama-v3p1-8b-instruct' -> 'llama-v3p1-8b-instruct', etc."""
    name = model_id.lower().rsplit("/", 1)[-1]
    name = re.sub(r"^(?:meta|openai)\.", "", name)  # AWS Bedrock: meta.llama3-3-70b-instruct-v1:0
    name = name.removeprefix("databricks-")  # databricks-meta-llama-3-3-70b-instruct
    return name.replace("_", "-")
