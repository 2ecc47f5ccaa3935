"""`advisor import-usage` on a million requests: wall time and peak memory, as a whole process.

Generates, in a temporary folder, 30 days of traffic with a daily shape and three models:
1. the generic CSV (`timestamp,model,input_tokens,output_tokens`, ISO 8601 times), 1,000,000
   rows: the budget is 5 s and a peak RSS under 150 MB;
2. the same requests as OpenAI responses (JSON Lines), to see what JSON parsing costs;
3. the CSV gzip-compressed, to see what decompressing costs.
Each run is `advisor import-usage FILE --output PROFILE` in a child process; its peak RSS comes
from getrusage(RUSAGE_CHILDREN) in a small wrapper process around it. These are measurements to
read, not assertions: the machine is noisy.

    python scripts/bench_usage.py [ROWS]
"""

from __future__ import annotations

import gzip
import json
import math
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
DAYS = 30
START = datetime(2026, 10, 1, tzinfo=UTC)
MODELS = ("gpt-4o-2024-08-06", "anthropic/claude-3-5-sonnet-20241022", "gpt-4o-mini")
TIME_BUDGET = 5.0
RSS_BUDGET_MB = 150

WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(seconds, peak_kb, done.returncode)
"""


def per_hour() -> list[int]:
    """Requests in each hour of the span: a daytime peak, quiet nights, quieter weekends."""
    weights = []
    for hour in range(DAYS * 24):
        day, clock = divmod(hour, 24)
        daily = 0.15 + math.exp(-(((clock - 14) / 4.0) ** 2))
        weights.append(daily * (0.5 if day % 7 in (5, 6) else 1.0))
    total = sum(weights)
    counts = [int(ROWS * w / total) for w in weights]
    counts[len(counts) // 2] += ROWS - sum(counts)
    return counts


def generate(folder: Path) -> tuple[Path, Path]:
    rng = random.Random(42)
    csv_path, jsonl_path = folder / "usage.csv", folder / "responses.jsonl"
    counts = per_hour()
    inputs = rng.choices(range(300, 8000), k=ROWS)
    outputs = rng.choices(range(20, 1500), k=ROWS)
    models = rng.choices(MODELS, weights=(60, 30, 10), k=ROWS)
    i = 0
    with csv_path.open("w") as csv_file, jsonl_path.open("w") as jsonl_file:
        csv_file.write("timestamp,model,input_tokens,output_tokens\n")
        for hour, n in enumerate(counts):
            at = START + timedelta(hours=hour)
            prefix = at.strftime("%Y-%m-%dT%H")
            base = int(at.timestamp())
            csv_lines, json_lines = [], []
            for k in range(n):
                second = k * 3600 // n
                csv_lines.append(
                    f"{prefix}:{second // 60:02d}:{second % 60:02d}Z,"
                    f"{models[i]},{inputs[i]},{outputs[i]}\n"
                )
                json_lines.append(
                    json.dumps(
                        {
                            "id": f"chatcmpl-{i}",
                            "object": "chat.completion",
                            "created": base + second,
                            "model": models[i],
                            "usage": {
                                "prompt_tokens": inputs[i],
                                "completion_tokens": outputs[i],
                                "total_tokens": inputs[i] + outputs[i],
                            },
                        }
                    )
                    + "\n"
                )
                i += 1
            csv_file.writelines(csv_lines)
            jsonl_file.writelines(json_lines)
    return csv_path, jsonl_path


def measure(log: Path, profile: Path) -> tuple[float, float, int]:
    advisor = Path(sys.executable).parent / "advisor"
    command = [str(advisor)] if advisor.exists() else [sys.executable, "-m", "advisor"]
    command += ["import-usage", str(log), "--output", str(profile)]
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    )
    seconds, peak_kb, code = done.stdout.split()
    return float(seconds), int(peak_kb) / 1024, int(code)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="advisor-bench-usage-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        csv_path, jsonl_path = generate(folder)
        print(
            f"generated {ROWS:,} requests over {DAYS} days in {time.perf_counter() - start:.1f} s: "
            f"CSV {csv_path.stat().st_size / 1e6:.0f} MB, "
            f"JSON Lines {jsonl_path.stat().st_size / 1e6:.0f} MB"
        )
        gz_path = folder / "usage-gz.csv.gz"
        with csv_path.open("rb") as plain, gzip.open(gz_path, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(plain, packed)
        for label, log, budgeted in (
            ("generic CSV", csv_path, True),
            ("OpenAI JSON Lines", jsonl_path, False),
            ("generic CSV, gzip", gz_path, False),
        ):
            profile = folder / f"{log.stem}.toml"
            seconds, peak_mb, code = measure(log, profile)
            verdict = ""
            if budgeted:
                ok = seconds <= TIME_BUDGET and peak_mb < RSS_BUDGET_MB
                verdict = (
                    f" (budget {TIME_BUDGET:g} s, {RSS_BUDGET_MB} MB: {'ok' if ok else 'OVER'})"
                )
            import tomllib

            measured = tomllib.loads(profile.read_text())["workload"] if code == 0 else {}
            print(
                f"import-usage {label}: {seconds:.2f} s, peak RSS {peak_mb:.0f} MB{verdict}; "
                f"exit {code}, requests_per_day {measured.get('requests_per_day')}"
            )


if __name__ == "__main__":
    main()
