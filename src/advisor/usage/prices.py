"""`advisor catalog import-litellm FILE`: LiteLLM's price list into the user catalog, dated today.

LiteLLM's `model_prices_and_context_window.json` maps a model key to its prices per token:
`input_cost_per_token`, `output_cost_per_token`, `litellm_provider`, `mode`. Entries whose
mode is chat or completion and that have both prices become `[api_models.<id>]` entries of the
user catalog, with source "LiteLLM model_prices_and_context_window.json" and as_of today
(`clock.today()`), so `advisor catalog` does not mark them stale. A price that is not a finite
number from 0 to `MAX_PRICE_PER_MTOK` dollars per million tokens (the bound a profile's own API
price has) skips its entry: `1e308` per token is not a price.

Ids: the key in lower case, without its provider prefix (`groq/llama-3.3-70b-versatile` ->
`llama-3.3-70b-versatile`) unless another entry would then share the id (`azure/gpt-4o` stays
so beside `gpt-4o`). A bundled id is refreshed too: directly when LiteLLM has the same key
(`gpt-4o`), or when the provider's own dated spellings all match it and agree on the price
(`claude-3-5-sonnet-20241022` and `claude-3-5-sonnet-latest` -> `claude-3.5-sonnet`).

The user catalog is created or merged into (its other entries and comments kept), checked with
the catalog's own validation, and written atomically (`advisor.prices.user_catalog`).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from advisor.core.errors import InputError
from advisor.usage.models import PROVIDERS, match_model

SOURCE = "LiteLLM model_prices_and_context_window.json"
MODES = ("chat", "completion")
LITELLM_LIMIT = 6 << 20  # bytes: LiteLLM's file is 1.6 MB (2026); 6 MiB parse in < 200 MB
MAX_PRICE_PER_MTOK = 10_000.0  # dollars per million tokens, as Api.input_price_per_mtok allows
NAME_MAX = 200  # characters of a model key; LiteLLM's longest is under 100

# LiteLLM provider -> the catalog's provider name; and which LiteLLM providers may refresh a
# bundled entry of that provider (a reseller's price is not the maker's).
PROVIDER_NAMES = {
    "openai": "OpenAI",
    "text-completion-openai": "OpenAI",
    "anthropic": "Anthropic",
    "gemini": "Google",
    "vertex_ai-language-models": "Google Vertex AI",
    "vertex_ai-anthropic_models": "Google Vertex AI",
    "together_ai": "Together AI",
    "groq": "Groq",
    "fireworks_ai": "Fireworks AI",
    "azure": "Azure OpenAI",
    "bedrock": "AWS Bedrock",
    "bedrock_converse": "AWS Bedrock",
    "mistral": "Mistral",
    "deepseek": "DeepSeek",
    "openrouter": "OpenRouter",
}
REFRESH_FROM = {
    "OpenAI": {"openai", "text-completion-openai"},
    "Anthropic": {"anthropic"},
    "Google": {"gemini"},
    "Together AI": {"together_ai"},
    "Groq": {"groq"},
    "Fireworks AI": {"fireworks_ai"},
}


@dataclass
class ImportResult:
    path: Path
    created: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> entries
    refreshed: list[str] = field(default_factory=list)  # bundled ids given today's price
    conflicts: list[str] = field(default_factory=list)  # bundled ids LiteLLM prices two ways


def default_target() -> Path:
    """ADVISOR_CATALOG, else $XDG_CONFIG_HOME/advisor/catalog.toml (created if missing)."""
    from advisor.core.paths import user_catalog

    return user_catalog()


def read_litellm(path: Path) -> dict[str, Any]:
    from advisor.core.files.read import read_capped, shown_name

    name = shown_name(str(path))
    raw = read_capped(path, LITELLM_LIMIT, "LiteLLM's price list")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not UTF-8 text (bad byte at offset {exc.start}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"is not valid JSON: {exc.msg}.", line=exc.lineno) from None
    except RecursionError:
        raise InputError(name, "is not LiteLLM's price list: JSON nested too deep.") from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise InputError(
            name, "is not LiteLLM's price list: it holds a number too long to read."
        ) from None
    if not isinstance(data, dict) or not data:
        raise InputError(
            name,
            "is not LiteLLM's price list: expected a JSON object of models.",
            allowed='{"gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": '
            '1e-05, "litellm_provider": "openai", "mode": "chat"}, ...}',
        )
    return data


class _Absurd:
    """A price that is a number but not a price: not finite, or above MAX_PRICE_PER_MTOK."""


def _price(value: object) -> float | type[_Absurd] | None:
    """Dollars per million tokens from LiteLLM's dollars per token; None when there is no
    price, _Absurd when the number cannot be one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        per_mtok = float(value) * 1e6
    except OverflowError:  # an int too large for a float
        return _Absurd
    if not math.isfinite(per_mtok) or not 0 <= per_mtok <= MAX_PRICE_PER_MTOK:
        return None if per_mtok < 0 else _Absurd
    return float(f"{per_mtok:.10g}")


def _a_name(text: str) -> bool:
    """A model's or a provider's name: printable, on one line, at most NAME_MAX characters."""
    return 0 < len(text) <= NAME_MAX and text.isprintable()


def _strip_provider(key: str, provider: str) -> tuple[str, bool]:
    """(the key without a provider prefix, whether it had one)."""
    head, _, rest = key.partition("/")
    if rest and (head == provider or head in PROVIDERS or head in PROVIDER_NAMES):
        return rest, True
    return key, False


def entries_from_litellm(
    data: dict[str, Any],
    today: date,
    bundled: dict[str, Any],
    providers: Collection[str] = (),
) -> tuple[dict[str, dict[str, Any]], Counter[str], list[str], list[str]]:
    """(entries by id, skipped reasons, refreshed bundled ids, conflicting bundled ids).
    `bundled` maps the bundled catalog's api model ids to their entries (name, provider);
    `providers`, when given, keeps only those LiteLLM providers."""
    skipped: Counter[str] = Counter()
    kept: list[tuple[str, str, float, float, str]] = []  # key, provider, in, out, mode
    for key, spec in data.items():
        if not isinstance(spec, dict):
            skipped["not a model entry"] += 1
            continue
        mode = spec.get("mode")
        if mode not in MODES:
            skipped["not chat or completion"] += 1
            continue
        price_in = _price(spec.get("input_cost_per_token"))
        price_out = _price(spec.get("output_cost_per_token"))
        if price_in is _Absurd or price_out is _Absurd:
            skipped[
                f"with a price not finite or above ${MAX_PRICE_PER_MTOK:,.0f} per M tokens"
            ] += 1
            continue
        if not isinstance(price_in, float) or not isinstance(price_out, float):
            skipped["without both prices"] += 1
            continue
        provider = spec.get("litellm_provider")
        provider = provider.strip().lower() if isinstance(provider, str) else ""
        if not _a_name(key) or not (_a_name(provider) or not provider):
            skipped[f"with a name holding control characters or over {NAME_MAX} characters"] += 1
            continue
        if providers and provider not in providers:
            skipped["from other providers"] += 1
            continue
        kept.append((key.strip(), provider, price_in, price_out, str(mode)))

    # Ids: no provider prefix where that is unambiguous.
    groups: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for key, provider, *_ in kept:
        low = key.lower()
        stripped, had_prefix = _strip_provider(low, provider)
        groups[stripped].append((low, had_prefix))
    ident: dict[str, str] = {}
    for stripped, members in groups.items():
        for low, had_prefix in members:
            ident[low] = stripped if len(members) == 1 or not had_prefix else low

    entries: dict[str, dict[str, Any]] = {}
    for key, provider, price_in, price_out, _mode in kept:
        model_id = ident[key.lower()]
        if model_id in entries:
            skipped["the same id twice"] += 1
            continue
        known = bundled.get(model_id)
        entries[model_id] = {
            "name": known["name"] if known else key,
            "provider": known["provider"]
            if known
            else PROVIDER_NAMES.get(provider, provider) or "unknown",
            "input_per_mtok": price_in,
            "output_per_mtok": price_out,
            "source": SOURCE,
            "as_of": today,
        }

    # Bundled ids that LiteLLM spells another way (dated snapshots, provider paths).
    candidates: dict[str, set[tuple[float, float]]] = defaultdict(set)
    spellings: dict[str, list[str]] = defaultdict(list)
    for key, provider, price_in, price_out, _mode in kept:
        found = match_model(key, bundled).catalog_id
        if found is None or found in entries:
            continue
        if provider not in REFRESH_FROM.get(bundled[found]["provider"], set()):
            continue
        candidates[found].add((price_in, price_out))
        spellings[found].append(key)
    refreshed = sorted(i for i in bundled if i in entries)
    conflicts = []
    for model_id, prices in sorted(candidates.items()):
        if len(prices) > 1:
            conflicts.append(model_id)
            continue
        (price_in, price_out), known = next(iter(prices)), bundled[model_id]
        entries[model_id] = {
            "name": known["name"],
            "provider": known["provider"],
            "input_per_mtok": price_in,
            "output_per_mtok": price_out,
            "source": SOURCE,
            "as_of": today,
            "notes": "LiteLLM keys " + ", ".join(sorted(spellings[model_id])[:4]),
        }
        refreshed.append(model_id)
    return entries, skipped, sorted(refreshed), conflicts


def import_litellm(
    source: Path, target: Path, today: date, providers: Collection[str] = ()
) -> ImportResult:
    """Merge LiteLLM's prices into the user catalog at `target` (only `providers`' models when
    given: LiteLLM lists thousands, and every one is read at each start-up). Raises
    InputError(s)."""
    from advisor.core.catalog import load as core_catalog
    from advisor.prices.user_catalog import existing_ids, merge_api_models

    data = read_litellm(source)
    existing_ids(target)  # refuse to build on a user catalog that does not load today
    bundled = core_catalog.bundled_raw().get("api_models", {})
    wanted = {p.strip().lower() for p in providers}
    entries, skipped, refreshed, conflicts = entries_from_litellm(data, today, bundled, wanted)
    if not entries:
        raise InputError(
            str(source),
            "has no chat or completion model with both an input and an output price.",
        )
    merged = merge_api_models(target, entries)
    result = ImportResult(target, created=merged.created, skipped=skipped)
    result.added, result.updated = merged.added, merged.updated
    result.refreshed, result.conflicts = refreshed, conflicts
    return result
