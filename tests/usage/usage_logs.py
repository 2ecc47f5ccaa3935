"""Usage logs with known answers, written in every format advisor reads.

`requests()` is a small, deterministic workload: five UTC calendar days, nights empty, busier
office hours, one burst, three models in a 60/30/10 mix. `reference()` computes the defined
figures the plain way (every hour in a list, `statistics.quantiles`), independently of
advisor.usage. The writers put the same requests into each format.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from typing import NamedTuple


class Request(NamedTuple):
    at: datetime  # UTC, aware
    model: str
    input_tokens: int  # every input token, cache reads and writes included
    output_tokens: int
    cached_tokens: int = 0  # read from the prompt cache
    cache_write_tokens: int = 0  # written to it
    proxy_hit: bool = False  # answered from LiteLLM's own cache (nothing paid)


START = datetime(2024, 3, 4, tzinfo=UTC)
MODELS = ("gpt-4o-2024-08-06", "anthropic/claude-3-5-sonnet-20241022", "gpt-4o-mini")
PRICES = {MODELS[0]: (2.5, 10.0), MODELS[1]: (3.0, 15.0), MODELS[2]: (0.15, 0.6)}
PRICES["claude-sonnet-4-6"] = (3.0, 15.0)  # list prices (spend logs of cached requests)
# Batch API discounts (genai-prices data, 2026-11-30): GPT-4o and GPT-4o mini 50%; Claude 3.5
# Sonnet, retired, none.
BATCH_DISCOUNT = {MODELS[0]: 0.5, MODELS[1]: 0.0, MODELS[2]: 0.5}


def requests(seed: int = 7, days: int = 5) -> list[Request]:
    rng = random.Random(seed)
    out: list[Request] = []
    i = 0
    for day in range(days):
        for hour in range(24):
            if hour < 6:
                continue  # empty night hours
            n = 20 if 9 <= hour < 18 else 5
            if day == 2 and hour == 14:
                n = 120  # a burst
            for _ in range(n):
                at = START + timedelta(days=day, hours=hour, seconds=rng.randrange(3600))
                model = MODELS[0] if i % 10 < 6 else MODELS[1] if i % 10 < 9 else MODELS[2]
                out.append(Request(at, model, rng.randint(200, 6000), rng.randint(20, 900)))
                i += 1
    return out


def hourly(at_hours: dict[int, int], days: int = 2) -> list[Request]:
    """`at_hours[h]` requests in hour h (counted from START) and none elsewhere."""
    assert max(at_hours) >= (days - 1) * 24, "the last day needs a request"
    out = []
    for hour, n in at_hours.items():
        assert hour < days * 24
        for k in range(n):
            at = START + timedelta(hours=hour, seconds=k * 3600 // n)
            out.append(Request(at, MODELS[0], 1000, 100))
    return out


def q(values: list[int], p: int) -> float:
    """The p-th percentile by linear interpolation (numpy's default)."""
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def batch_bill(rows: list[Request]) -> float:
    """The bill of `write_openai(rows)`: every third line a Batch API result, at its discount."""
    return sum(
        (r.input_tokens * PRICES[r.model][0] + r.output_tokens * PRICES[r.model][1])
        / 1e6
        * (1 - BATCH_DISCOUNT[r.model] if i % 3 == 2 else 1)
        for i, r in enumerate(rows)
    )


def reference(rows: list[Request]) -> dict[str, object]:
    n = len(rows)
    first = min(r.at for r in rows).date()
    last = max(r.at for r in rows).date()
    days = (last - first).days + 1
    start = datetime.combine(first, time(0), UTC)
    counts = [0] * (days * 24)
    for r in rows:
        counts[int((r.at - start).total_seconds() // 3600)] += 1
    mean_hourly = n / len(counts)
    ins = [r.input_tokens for r in rows]
    outs = [r.output_tokens for r in rows]
    per_model = Counter(r.model for r in rows)
    bill = sum(
        (r.input_tokens * PRICES[r.model][0] + r.output_tokens * PRICES[r.model][1]) / 1e6
        for r in rows
    )
    return {
        "requests": n,
        "days": days,
        "requests_per_day": n / days,
        "input_mean": statistics.fmean(ins),
        "input_p50": q(ins, 50),
        "input_p95": q(ins, 95),
        "output_mean": statistics.fmean(outs),
        "output_p50": q(outs, 50),
        "output_p95": q(outs, 95),
        "p95_hourly": q(counts, 95),
        "peak_to_average": q(counts, 95) / mean_hourly,
        "shares": {m: c / n for m, c in per_model.items()},
        "bill": bill,
    }


# -- writers: one per format -----------------------------------------------------------------


def _iso_z(r: Request) -> str:
    return r.at.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_csv(path: Path, rows: list[Request], stamp: str = "iso-z") -> Path:
    """The generic CSV; stamp: iso-z, naive (space, no zone), offset, seconds, ms."""
    india = timezone(timedelta(hours=5, minutes=30))
    with path.open("w", newline="") as handle:
        handle.write("timestamp,model,input_tokens,output_tokens\n")
        for r in rows:
            if stamp == "iso-z":
                ts = _iso_z(r)
            elif stamp == "naive":
                ts = r.at.strftime("%Y-%m-%d %H:%M:%S")
            elif stamp == "offset":
                ts = r.at.astimezone(india).isoformat()
            elif stamp == "seconds":
                ts = str(int(r.at.timestamp()))
            elif stamp == "ms":
                ts = str(int(r.at.timestamp() * 1000))
            else:
                raise ValueError(stamp)
            handle.write(f"{ts},{r.model},{r.input_tokens},{r.output_tokens}\n")
    return path


def write_jsonl(path: Path, rows: list[Request], mixed: bool = True) -> Path:
    """Generic JSON Lines; timestamps alternate between zones and Unix forms (else all
    ISO 8601 with a zone)."""
    berlin = timezone(timedelta(hours=1))
    with path.open("w") as handle:
        for i, r in enumerate(rows):
            stamp: object
            if i % 4 == 0 or not mixed:
                stamp = r.at.astimezone(berlin).isoformat()
            elif i % 4 == 1:
                stamp = r.at.timestamp() + 0.25  # seconds, fractional
            elif i % 4 == 2:
                stamp = int(r.at.timestamp() * 1000)  # milliseconds
            else:
                stamp = r.at.replace(tzinfo=None).isoformat()  # no zone: UTC
            obj = {
                "timestamp": stamp,
                "model": r.model,
                "input_tokens": r.input_tokens,
                "output_tokens": r.output_tokens,
            }
            handle.write(json.dumps(obj) + "\n")
    return path


def _spend(r: Request) -> float:
    price_in, price_out = PRICES[r.model]
    return (r.input_tokens * price_in + r.output_tokens * price_out) / 1e6


def litellm_metadata(i: int, r: Request) -> dict[str, object]:
    """A spend log's metadata: a note (now and then over two lines), and the usage as LiteLLM
    records it (prompt_tokens counts the cache reads and writes in); a fine-tune (`my-...`)
    behind a gateway that reports no usage details has none."""
    metadata: dict[str, object] = {"note": "line one\nline two" if i % 50 == 0 else "x, y"}
    if r.model.startswith("my-"):
        return metadata
    usage: dict[str, object] = {
        "prompt_tokens": r.input_tokens,
        "completion_tokens": r.output_tokens,
        "prompt_tokens_details": {"cached_tokens": r.cached_tokens},
    }
    if "claude" in r.model:  # Anthropic's usage says what was written, OpenAI's does not
        usage["cache_read_input_tokens"] = r.cached_tokens
        usage["cache_creation_input_tokens"] = r.cache_write_tokens
    metadata["usage_object"] = usage
    return metadata


def write_litellm_jsonl(
    path: Path, rows: list[Request], spend: Callable[[Request], float] | None = None
) -> Path:
    """LiteLLM's spend logs as JSON Lines; the cache reads and writes, when any, in the
    metadata's usage_object as LiteLLM records them (prompt_tokens counts them in)."""
    with path.open("w") as handle:
        for i, r in enumerate(rows):
            obj = {
                "request_id": f"req-{i}",
                "call_type": "acompletion",
                "api_key": "hashed",
                "spend": (spend or _spend)(r),
                "total_tokens": r.input_tokens + r.output_tokens,
                "prompt_tokens": r.input_tokens,
                "completion_tokens": r.output_tokens,
                "startTime": r.at.replace(tzinfo=None).isoformat(timespec="microseconds"),
                "endTime": (r.at + timedelta(seconds=2)).isoformat(),
                "model": r.model,
                "user": "",
                "metadata": litellm_metadata(i, r),
                "cache_hit": str(r.proxy_hit),
            }
            handle.write(json.dumps(obj) + "\n")
    return path


def write_litellm_csv(
    path: Path, rows: list[Request], spend: Callable[[Request], float] | None = None
) -> Path:
    """LiteLLM's CSV export: quoted JSON metadata, and now and then a note over two lines."""
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "request_id",
                "startTime",
                "endTime",
                "model",
                "prompt_tokens",
                "completion_tokens",
                "spend",
                "metadata",
                "cache_hit",
            ]
        )
        for i, r in enumerate(rows):
            meta = json.dumps(litellm_metadata(i, r))
            out.writerow(
                [
                    f"req-{i}",
                    r.at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    (r.at + timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S"),
                    r.model,
                    r.input_tokens,
                    r.output_tokens,
                    f"{(spend or _spend)(r):.8f}",
                    meta,
                    str(r.proxy_hit),
                ]
            )
    return path


def write_openai(
    path: Path, rows: list[Request], batch: bool = True, details: bool = False
) -> Path:
    """OpenAI responses, one per line; every third as a Batch API output line (if batch); with
    `details`, the cached tokens as OpenAI reports them (prompt_tokens includes them)."""
    with path.open("w") as handle:
        for i, r in enumerate(rows):
            usage: dict[str, object] = {
                "prompt_tokens": r.input_tokens,
                "completion_tokens": r.output_tokens,
                "total_tokens": r.input_tokens + r.output_tokens,
            }
            if details:
                usage["prompt_tokens_details"] = {
                    "cached_tokens": r.cached_tokens,
                    "audio_tokens": 0,
                }
                usage["completion_tokens_details"] = {"reasoning_tokens": 0}
            response = {
                "id": f"chatcmpl-{i}",
                "object": "chat.completion",
                "created": int(r.at.timestamp()),
                "model": r.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}}],
                "usage": usage,
            }
            if batch and i % 3 == 2:
                line = {
                    "id": f"batch_req_{i}",
                    "custom_id": f"r{i}",
                    "response": {"status_code": 200, "body": response},
                }
            else:
                line = response
            handle.write(json.dumps(line) + "\n")
    return path


WRITERS = {
    "csv-iso-z": lambda p, rows: write_csv(p, rows, "iso-z"),
    "csv-naive": lambda p, rows: write_csv(p, rows, "naive"),
    "csv-offset": lambda p, rows: write_csv(p, rows, "offset"),
    "csv-seconds": lambda p, rows: write_csv(p, rows, "seconds"),
    "csv-ms": lambda p, rows: write_csv(p, rows, "ms"),
    "jsonl": write_jsonl,
    "litellm-jsonl": write_litellm_jsonl,
    "litellm-csv": write_litellm_csv,
    "openai": write_openai,
}
FORMAT_OF = {
    "csv-iso-z": "csv",
    "csv-naive": "csv",
    "csv-offset": "csv",
    "csv-seconds": "csv",
    "csv-ms": "csv",
    "jsonl": "jsonl",
    "litellm-jsonl": "litellm-jsonl",
    "litellm-csv": "litellm-csv",
    "openai": "openai",
}
