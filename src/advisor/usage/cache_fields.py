"""What each log format says about the prompt cache, and how its input tokens add up.

- OpenAI: `usage.prompt_tokens` (Responses API: `usage.input_tokens`) counts every input token,
  the cached ones included; `usage.prompt_tokens_details.cached_tokens` (Responses API:
  `usage.input_tokens_details.cached_tokens`) are those read from the cache. OpenAI reports no
  cache writes.
- Anthropic: `usage.input_tokens` leaves out `cache_read_input_tokens` and
  `cache_creation_input_tokens`; the input is the three added up.
- LiteLLM's spend logs: `prompt_tokens` as OpenAI's (LiteLLM adds Anthropic's cache reads and
  writes in); the cache reads and writes are in the row's `metadata`, under `usage_object` or
  `additional_usage_values` (`cache_read_input_tokens` or
  `prompt_tokens_details.cached_tokens`, and `cache_creation_input_tokens`). Older LiteLLM
  releases left the writes out of `prompt_tokens`: a row whose reads and writes together exceed
  its prompt tokens has the writes added. `cache_hit` "True" is a response LiteLLM served from
  its own cache, with no call to the provider.
"""

from __future__ import annotations

import json
from typing import Any

from advisor.usage.groups import PROXY_HIT

_HITS = {"true": PROXY_HIT, "1": PROXY_HIT}


def openai_cached(usage: dict[str, Any]) -> object:
    """The cached input tokens an OpenAI usage reports, or None when it does not say."""
    details = usage.get("prompt_tokens_details", usage.get("input_tokens_details"))
    if not isinstance(details, dict):
        return None
    return details.get("cached_tokens")


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def anthropic_tokens(usage: dict[str, Any]) -> tuple[object, object, object]:
    """(every input token, cache reads, cache writes) of an Anthropic usage; a count that is
    not a whole number is passed on as it is, for the row's checks to name."""
    raw_in = usage.get("input_tokens")
    read = usage.get("cache_read_input_tokens")
    written = usage.get("cache_creation_input_tokens")
    parts = [_whole(raw_in), _whole(read) if read is not None else 0]
    parts.append(_whole(written) if written is not None else 0)
    if any(p is None for p in parts):
        return raw_in, read, written
    return sum(p or 0 for p in parts), read or 0, written or 0


def litellm_cache(metadata: object) -> tuple[int | None, int | None]:
    """(cache reads, cache writes) from a LiteLLM spend log's metadata (a dict, or its JSON
    text); (None, None) when it says neither (a usage that reports one reports none of the
    other: OpenAI's has no cache writes)."""
    if isinstance(metadata, str):
        if "cache" not in metadata:
            return None, None
        try:
            metadata = json.loads(metadata)
        except (ValueError, RecursionError):
            return None, None
    if not isinstance(metadata, dict):
        return None, None
    read: int | None = None
    written: int | None = None
    for key in ("usage_object", "additional_usage_values"):
        usage = metadata.get(key)
        if not isinstance(usage, dict):
            continue
        if read is None:
            read = _whole(usage.get("cache_read_input_tokens"))
            details = usage.get("prompt_tokens_details")
            if read is None and isinstance(details, dict):
                read = _whole(details.get("cached_tokens"))
        if written is None:
            written = _whole(usage.get("cache_creation_input_tokens"))
    if read is None and written is None:
        return None, None
    return read or 0, written or 0  # a usage that says one says none of the other


def litellm_input(prompt: object, read: int | None, written: int | None) -> object:
    """Every input token of a LiteLLM row: its prompt tokens, with the cache writes added when
    an older LiteLLM left them out (reads and writes together above the prompt tokens)."""
    count = _whole(prompt)
    if count is None or written is None:
        return prompt
    return count + written if (read or 0) + written > count else count


def proxy_hit(value: object) -> int:
    """groups.PROXY_HIT for a LiteLLM `cache_hit` that says True, else 0."""
    if value is True:
        return PROXY_HIT
    if isinstance(value, str):
        return _HITS.get(value.strip().lower(), 0)
    return 0
