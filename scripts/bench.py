"""`make bench`: how fast advisor is, measured against a baseline in the same run.

1. `advisor report PROFILE --format json` as a whole process, against
   `python -c "import tomllib, rich; from pydantic import BaseModel"` (median of runs, interleaved).
2. One decision in-process, its outlook (horizon, growth flip, 2,000 draws), and a 1,000-point
   sensitivity sweep.
These are measurements to read, not assertions: the machine is noisy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = int(os.environ.get("RUNS", "9"))
BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def process_ratio(profile: str) -> None:
    baseline = [sys.executable, "-c", "import tomllib, rich; from pydantic import BaseModel"]
    report = [str(BIN / "advisor"), "report", profile, "--format", "json"]
    timed(baseline), timed(report)  # warm the file cache
    base, ours = [], []
    for _ in range(RUNS):
        base.append(timed(baseline))
        ours.append(timed(report))
    b, o = statistics.median(base), statistics.median(ours)
    print(
        f"report --format json: {o * 1000:.0f} ms; baseline imports {b * 1000:.0f} ms; "
        f"ratio {o / b:.2f} (budget 2.00)"
    )


def in_process(profile: str) -> None:
    from advisor.cli import resolve_profile_path
    from advisor.core.decision.decide import decide
    from advisor.core.decision.outlook import with_outlook
    from advisor.core.decision.sensitivity import levers, sweep
    from advisor.core.profile.io import load_profile

    p = load_profile(resolve_profile_path(profile))
    decide(p)
    times, outlook = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        d = decide(p, outlook=False)
        middle = time.perf_counter()
        with_outlook(d)
        times.append(middle - start)
        outlook.append(time.perf_counter() - middle)
    print(f"one decision (with its sensitivity analysis): {statistics.median(times) * 1000:.1f} ms")
    print(
        f"its outlook ({d.inputs.horizon.months}-month horizon, growth flip, "
        f"{d.inputs.uncertainty.draws:,} draws): {statistics.median(outlook) * 1000:.0f} ms "
        "(budget 1,000 ms)"
    )
    lever = levers(d.inputs)[0]
    multipliers = [0.5 + 1.5 * i / 999 for i in range(1000)]
    start = time.perf_counter()
    sweep(d.inputs, lever, multipliers)
    print(
        f"1,000-point sensitivity sweep ({lever.label}): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "customer-service"
    process_ratio(name)
    for each in dict.fromkeys([name, "consumer-scale", "heavy"]):
        print(f"--- {each}")
        in_process(each)
    for extra in sorted(Path(__file__).parent.glob("bench_*.py")):  # TUI, SSH, usage logs
        print(f"--- {extra.stem}")
        subprocess.run([sys.executable, str(extra)], check=False)
