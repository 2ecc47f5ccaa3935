"""Usage logs of a service that uses the prompt cache, with known answers: a support bot whose
long system prompt is read from the cache by most requests, in OpenAI's (Chat Completions and
Responses API) and Anthropic's (Messages API) response formats. The LiteLLM writers of
usage_logs.py carry the same cache fields in their metadata."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from usage_logs import START, Request, _iso_z


def cached_requests(
    model: str, seed: int = 11, days: int = 3, start: datetime = START, per_hour: int = 12
) -> list[Request]:
    """A support bot with a long fixed system prompt: most requests read it from the prompt
    cache, the first of each hour (and a few others) find it cold (on Claude they write it;
    OpenAI caches without reporting writes); questions of varied length."""
    writes = "claude" in model
    rng = random.Random(seed)
    out = []
    for hour in range(days * 24):
        for k in range(per_hour):
            at = start + timedelta(hours=hour, seconds=k * 3600 // per_hour + rng.randrange(60))
            system = rng.choice((2_048, 4_096, 6_144))
            question = rng.randint(50, 3_000)
            total = system + question
            if k == 0 or rng.random() < 0.05:
                cached, written = 0, system if writes else 0  # the cache is cold
            elif rng.random() < 0.15:
                cached, written = 0, 0  # a request that did not use the cache
            else:
                cached, written = system, 0
            out.append(Request(at, model, total, rng.randint(20, 700), cached, written))
    return out


def cached_share(rows: list[Request]) -> float:
    """The truth: cache reads ÷ every input token."""
    return sum(r.cached_tokens for r in rows) / sum(r.input_tokens for r in rows)


def write_responses_api(path: Path, rows: list[Request]) -> Path:
    """OpenAI Responses API objects: created_at, usage.input_tokens (cached included) and
    usage.input_tokens_details.cached_tokens."""
    with path.open("w") as handle:
        for i, r in enumerate(rows):
            obj = {
                "id": f"resp_{i}",
                "object": "response",
                "created_at": int(r.at.timestamp()),
                "model": r.model,
                "usage": {
                    "input_tokens": r.input_tokens,
                    "input_tokens_details": {"cached_tokens": r.cached_tokens},
                    "output_tokens": r.output_tokens,
                    "total_tokens": r.input_tokens + r.output_tokens,
                },
            }
            handle.write(json.dumps(obj) + "\n")
    return path


def _anthropic_message(i: int, r: Request) -> dict[str, object]:
    """Anthropic's usage: input_tokens leaves the cache reads and writes out."""
    return {
        "id": f"msg_{i:06d}",
        "type": "message",
        "role": "assistant",
        "model": r.model,
        "content": [{"type": "text", "text": "ok"}],
        "stop_reason": "end_turn",
        "usage": {
            "input_tokens": r.input_tokens - r.cached_tokens - r.cache_write_tokens,
            "cache_creation_input_tokens": r.cache_write_tokens,
            "cache_read_input_tokens": r.cached_tokens,
            "output_tokens": r.output_tokens,
        },
    }


def write_anthropic(path: Path, rows: list[Request], nested: bool = True) -> Path:
    """Anthropic messages, one per line, with the time the caller logged (`created_at`); with
    `nested`, every fourth line wraps the message ({"timestamp", "response"}) and every
    seventh is a Message Batches result line with the time logged beside it."""
    with path.open("w") as handle:
        for i, r in enumerate(rows):
            message = _anthropic_message(i, r)
            line: dict[str, object]
            if nested and i % 7 == 6:
                line = {
                    "custom_id": f"r{i}",
                    "result": {"type": "succeeded", "message": message},
                    "timestamp": _iso_z(r),
                }
            elif nested and i % 4 == 3:
                line = {"timestamp": _iso_z(r), "response": message}
            else:
                line = {"created_at": _iso_z(r), **message}
            handle.write(json.dumps(line) + "\n")
    return path
