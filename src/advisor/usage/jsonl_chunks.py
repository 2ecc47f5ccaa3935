"""A chunk of JSON Lines (the `jsonl`, `litellm-jsonl` and `openai` formats) counted into an
Accumulator.

The fast way parses the whole chunk at once, as the items of one JSON array, and takes each
field as a column. A chunk that cannot go the fast way (a blank or broken line, a missing key, an
odd value, a Responses API or Batch API line, JSON nested thousands deep or a number of
thousands of digits) is taken line by line: each format's extractor finds the fields of one
object, and each bad line is noted with its number and the reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from advisor.usage.accumulator import Accumulator
from advisor.usage.fields import FALLBACK, BadBatch, BadRow, NoteBad
from advisor.usage.formats import GENERIC, LITELLM_KEYS

_GENERIC_GET = itemgetter(*GENERIC)


def _generic(obj: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return tuple(_GENERIC_GET(obj))
    except KeyError as missing:
        raise BadRow(f"no {missing.args[0]}") from None


def _litellm(obj: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return (*(obj[k] for k in LITELLM_KEYS), obj.get("spend"))
    except KeyError as missing:
        raise BadRow(f"no {missing.args[0]}") from None


def _openai(obj: dict[str, Any]) -> tuple[Any, ...]:
    response = obj.get("response")
    if isinstance(response, dict) and "usage" not in obj:  # a Batch API output line
        body = response.get("body")
        if not isinstance(body, dict):
            raise BadRow("a batch line without a response body")
        obj = body
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
    return created, obj.get("model"), prompt, completion


_EXTRACT = {"jsonl": _generic, "litellm-jsonl": _litellm, "openai": _openai}


def _json_columns(objs: list[Any], fmt: str) -> list[Sequence[Any]]:
    """The columns of a clean batch, or an exception (then one by one)."""
    if fmt == "jsonl":
        return [list(map(itemgetter(k), objs)) for k in GENERIC]
    if fmt == "litellm-jsonl":
        columns: list[Sequence[Any]] = [list(map(itemgetter(k), objs)) for k in LITELLM_KEYS]
        spends = [o.get("spend") for o in objs]
        return [*columns, spends]
    usages = list(map(itemgetter("usage"), objs))
    return [
        list(map(itemgetter("created"), objs)),
        list(map(itemgetter("model"), objs)),
        list(map(itemgetter("prompt_tokens"), usages)),
        list(map(itemgetter("completion_tokens"), usages)),
    ]


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
