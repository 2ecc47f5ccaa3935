"""A chunk of JSON Lines (the `jsonl`, `litellm-jsonl`, `openai` and `anthropic` formats)
counted into an Accumulator.

The fast way parses the whole chunk at once, as the items of one JSON array, and takes each
field as a column. A chunk that cannot go the fast way (a blank or broken line, a missing key, an
odd value, a Responses API or Batch API line, JSON nested thousands deep or a number of
thousands of digits) is taken line by line: each format's extractor finds the fields of one
object, and each bad line is noted with its number and the reason.
"""

from __future__ import annotations

import json
from operator import add, itemgetter, methodcaller
from typing import Any

from advisor.usage.accumulator import Accumulator, Columns
from advisor.usage.cache_fields import (
    anthropic_tokens,
    litellm_cache,
    litellm_input,
    openai_cached,
    proxy_hit,
)
from advisor.usage.fields import FALLBACK, BadBatch, BadRow, NoteBad
from advisor.usage.formats import CACHED, COST, GENERIC, LITELLM_KEYS, WRITTEN, anthropic_message
from advisor.usage.groups import BATCH

_GENERIC_GET = itemgetter(*GENERIC)
_TIME_KEYS = ("created_at", "timestamp", "created")

Row = tuple[Any, Any, Any, Any, Any, Any, Any, int]  # add_row's arguments


def _some(obj: dict[str, Any], spellings: tuple[str, ...]) -> Any:
    return next((obj[k] for k in spellings if k in obj), None)


def _generic(obj: dict[str, Any]) -> Row:
    try:
        stamp, model, inputs, outputs = _GENERIC_GET(obj)
    except KeyError as missing:
        raise BadRow(f"no {missing.args[0]}") from None
    cached, written = _some(obj, CACHED), _some(obj, WRITTEN)
    return stamp, model, inputs, outputs, _some(obj, COST), cached, written, 0


def _litellm(obj: dict[str, Any]) -> Row:
    try:
        stamp, model, prompt, completion = (obj[k] for k in LITELLM_KEYS)
    except KeyError as missing:
        raise BadRow(f"no {missing.args[0]}") from None
    read, written = litellm_cache(obj.get("metadata"))
    inputs = litellm_input(prompt, read, written)
    return (
        stamp,
        model,
        inputs,
        completion,
        obj.get("spend"),
        read,
        written,
        proxy_hit(obj.get("cache_hit")),
    )


def _openai(obj: dict[str, Any]) -> Row:
    kind = 0
    response = obj.get("response")
    if isinstance(response, dict) and "usage" not in obj:  # a Batch API output line
        body = response.get("body")
        if not isinstance(body, dict):
            raise BadRow("a batch line without a response body")
        obj, kind = body, BATCH
    usage = obj.get("usage")
    if not isinstance(usage, dict):
        raise BadRow("no usage")
    created = obj.get("created", obj.get("created_at"))
    if created is None:
        raise BadRow("no created")
    prompt = usage.get("prompt_tokens", usage.get("input_tokens"))
    completion = usage.get("completion_tokens", usage.get("output_tokens"))
    if prompt is None:
        raise BadRow("no usage.prompt_tokens")
    if completion is None:
        raise BadRow("no usage.completion_tokens")
    return created, obj.get("model"), prompt, completion, None, openai_cached(usage), None, kind


def _anthropic(obj: dict[str, Any]) -> Row:
    message = anthropic_message(obj)
    if message is None:
        raise BadRow("no Anthropic message with its usage")
    stamp = _some(obj, _TIME_KEYS)
    if stamp is None:
        stamp = _some(message, _TIME_KEYS)
    if stamp is None:
        raise BadRow("no time (created_at or timestamp) logged with the message")
    usage: dict[str, Any] = message["usage"]  # type: ignore[assignment]
    if "input_tokens" not in usage:
        raise BadRow("no usage.input_tokens")
    if "output_tokens" not in usage:
        raise BadRow("no usage.output_tokens")
    inputs, read, written = anthropic_tokens(usage)
    kind = BATCH if isinstance(obj.get("result"), dict) else 0
    return stamp, message.get("model"), inputs, usage["output_tokens"], None, read, written, kind


_EXTRACT = {
    "jsonl": _generic,
    "litellm-jsonl": _litellm,
    "openai": _openai,
    "anthropic": _anthropic,
}


def _optional(objs: list[Any], spellings: tuple[str, ...]) -> list[Any] | None:
    """A column of keys some logs add, under the spelling the first line uses."""
    key = next((k for k in spellings if k in objs[0]), None)
    return None if key is None else list(map(methodcaller("get", key), objs))


def _anthropic_columns(objs: list[Any]) -> Columns:
    """Messages with the time beside them, one per line (nested or batch lines: one by one)."""
    key = next((k for k in _TIME_KEYS if k in objs[0]), None)
    if key is None:
        raise BadBatch
    if set(map(methodcaller("get", "type"), objs)) != {"message"}:
        raise BadBatch
    usages = list(map(itemgetter("usage"), objs))
    read = list(map(methodcaller("get", "cache_read_input_tokens", 0), usages))
    written = list(map(methodcaller("get", "cache_creation_input_tokens", 0), usages))
    if {type(v) for v in (*read, *written)} - {int}:
        raise BadBatch
    inputs = list(map(add, map(itemgetter("input_tokens"), usages), map(add, read, written)))
    return Columns(
        list(map(itemgetter(key), objs)),
        list(map(itemgetter("model"), objs)),
        inputs,
        list(map(itemgetter("output_tokens"), usages)),
        cached=read,
        written=written,
    )


def _json_columns(objs: list[Any], fmt: str) -> Columns:
    """The columns of a clean batch, or an exception (then one by one)."""
    if fmt == "jsonl":
        stamps, models, inputs, outputs = (list(map(itemgetter(k), objs)) for k in GENERIC)
        return Columns(
            stamps,
            models,
            inputs,
            outputs,
            _optional(objs, COST),
            _optional(objs, CACHED),
            _optional(objs, WRITTEN),
        )
    if fmt == "litellm-jsonl":
        stamps, models, prompts, completions = (
            list(map(itemgetter(k), objs)) for k in LITELLM_KEYS
        )
        spends = list(map(methodcaller("get", "spend"), objs))
        kinds = [proxy_hit(o.get("cache_hit")) for o in objs]
        caches = [litellm_cache(o.get("metadata")) for o in objs]
        read = [c[0] for c in caches]
        written = [c[1] for c in caches]
        if any(w is not None for w in written):
            if None in written or None in read:
                raise BadBatch
            prompts = list(map(litellm_input, prompts, read, written))
        return Columns(stamps, models, prompts, completions, spends, read, written, kinds)
    if fmt == "anthropic":
        return _anthropic_columns(objs)
    usages = list(map(itemgetter("usage"), objs))
    return Columns(
        list(map(itemgetter("created"), objs)),
        list(map(itemgetter("model"), objs)),
        list(map(itemgetter("prompt_tokens"), usages)),
        list(map(itemgetter("completion_tokens"), usages)),
        cached=list(map(openai_cached, usages)),
    )


def add_jsonl_chunk(
    lines: list[str], base: int, fmt: str, acc: Accumulator, note_bad: NoteBad
) -> None:
    """Count `lines` (the first is line `base` + 1) of format `fmt` into `acc`."""
    try:
        # One parse for the chunk: the lines as the items of one array (a blank or broken line
        # breaks it, and a line holding two values shows in the count).
        objs = json.loads("[" + ",".join(lines) + "]")
        if len(objs) != len(lines):
            raise BadBatch
        acc.add_columns(_json_columns(objs, fmt))
        return
    except (*FALLBACK, RecursionError):
        pass  # take the lines one by one, naming the bad ones
    extract = _EXTRACT[fmt]
    for i, text in enumerate(lines):
        if not text.strip():
            continue
        number = base + i + 1
        try:
            obj = json.loads(text)
        except json.JSONDecodeError:
            note_bad(number, "not a JSON object")
            continue
        except RecursionError:
            note_bad(number, "JSON nested too deep to read")
            continue
        except ValueError:  # e.g. an integer of more digits than Python converts
            note_bad(number, "not a JSON object (a number too long to read)")
            continue
        if not isinstance(obj, dict):
            note_bad(number, "not a JSON object")
            continue
        try:
            acc.add_row(*extract(obj))
        except BadRow as bad:
            note_bad(number, bad.reason)
