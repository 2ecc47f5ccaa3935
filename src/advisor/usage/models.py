"""Provider spellings of model names, matched to catalog ids where that is unambiguous.

Logs name models the way each provider or gateway does: `gpt-4o-2024-08-06`,
`anthropic/claude-3-5-sonnet-20241022`, `bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0`,
`together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo`. The catalog uses short ids
(`gpt-4o`, `claude-3.5-sonnet`, `together-llama-3.3-70b`). `match_model` tries, in order: the
name itself; the name without its provider path; a canonical form (dates, `-latest`, version
tags and serving suffixes removed, `3-5` written `3.5`); that form prefixed by the provider's
short name; and finally the one catalog id that ends with `-<canonical form>`. Several such
ids is ambiguous and matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import NamedTuple

# Gateway and provider names seen as path prefixes, and the short name the catalog uses for
# providers that host the same open model at different prices.
PROVIDERS: dict[str, str] = {
    "openai": "",
    "azure": "",
    "azure_ai": "",
    "anthropic": "",
    "bedrock": "",
    "bedrock_converse": "",
    "vertex_ai": "",
    "vertex_ai_beta": "",
    "gemini": "",
    "google": "",
    "models": "",
    "openrouter": "",
    "text-completion-openai": "",
    "together_ai": "together",
    "together": "together",
    "togethercomputer": "together",
    "groq": "groq",
    "fireworks_ai": "fireworks",
    "fireworks": "fireworks",
    "accounts": "",
}

_VENDOR_DOT = re.compile(r"^(?:[a-z]{2}\.)?(?:anthropic|meta|amazon|mistral|cohere|ai21|openai)\.")
_SUFFIXES = (
    re.compile(r"-v\d+(?::\d+)?$"),  # bedrock: -v1:0, -v2
    re.compile(r"@(?:\d{8}|latest|\d{3})$"),  # vertex: @20240620, @latest, @001
    re.compile(r"-latest$"),
    re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{8})$"),  # dated snapshots
    re.compile(r"-\d{3}$"),  # gemini-1.5-pro-002
    re.compile(r"-\d{4}$"),  # gpt-4-0613, mistral-large-2407
)
_SERVING = re.compile(r"-(?:instruct|turbo|versatile|instant|chat|hf|fp8|fp16|bf16)$")
_LLAMA_V = re.compile(r"llama-v(\d+)p(\d+)")  # fireworks: llama-v3p3-70b
_LLAMA_NODASH = re.compile(r"llama(\d)")  # llama3.1-8b
_VERSION_DASH = re.compile(r"(?<=\d)-(\d)(?=-|$)")  # claude-3-5-sonnet -> claude-3.5-sonnet


class Match(NamedTuple):
    catalog_id: str | None
    how: str  # "exact", "as <id>", "ambiguous: a, b", "not in the catalog"


def split_provider(name: str) -> tuple[str, str]:
    """('together', 'llama-3.3-70b-instruct-turbo') from a lower-case path-like model name."""
    parts = [p for p in name.split("/") if p]
    if not parts:
        return "", name
    short = ""
    for part in parts[:-1]:
        if PROVIDERS.get(part):
            short = PROVIDERS[part]
        elif part in ("fireworks", "fireworks_ai"):
            short = "fireworks"
    return short, parts[-1]


def canonical(base: str) -> str:
    """A model name without dates, version tags or serving suffixes, versions dotted."""
    name = _VENDOR_DOT.sub("", base.strip().lower())
    changed = True
    while changed:
        changed = False
        for pattern in _SUFFIXES:
            stripped = pattern.sub("", name)
            if stripped != name and stripped:
                name, changed = stripped, True
    if "llama" in name:
        name = _LLAMA_V.sub(r"llama-\1.\2", name)
        name = _LLAMA_NODASH.sub(r"llama-\1", name)
        name = name.removeprefix("meta-")
        while (stripped := _SERVING.sub("", name)) != name:
            name = stripped
    return _VERSION_DASH.sub(r".\1", name)


def match_model(name: str, ids: Collection[str]) -> Match:
    """The catalog id a logged model name stands for, and how it was found."""
    low = name.strip().lower()
    if low in ids:
        return Match(low, "exact")
    short, base = split_provider(low)
    canon = canonical(base)
    candidates = [base, canon]
    if short:
        candidates = [f"{short}-{canon}", *candidates]
    for candidate in candidates:
        if candidate in ids:
            return Match(candidate, f"as {candidate}")
    # A bare family name ("sonnet") is no evidence: the tail must be a full name ("llama-3.3-70b").
    tails = sorted(i for i in ids if "-" in canon and i.endswith("-" + canon))
    if len(tails) == 1:
        return Match(tails[0], f"as {tails[0]}")
    if tails:
        return Match(None, "ambiguous: " + ", ".join(tails))
    return Match(None, "not in the catalog")
