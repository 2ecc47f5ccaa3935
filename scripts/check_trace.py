"""Check `advisor import-usage` on a real request trace against an independent computation.

    python scripts/check_trace.py AzureLLMInferenceTrace_conv.csv [more traces...]

A trace in the Azure LLM inference format (TIMESTAMP,ContextTokens,GeneratedTokens; the 2023
and 2024 public traces, CC BY 4.0, from github.com/Azure/AzurePublicDataset) or gzipped. Prints
advisor's figures beside the independent ones (tests/usage/traces.py) and their difference.
The traces are not shipped with advisor: download them to run this.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.usage.traces import independent, read_trace

from advisor.core.catalog.load import default_catalog
from advisor.usage.summary import analyse


def main(paths: list[str]) -> int:
    catalog = default_catalog()
    for name in paths:
        path = Path(name)
        want = independent(read_trace(path))
        got = analyse([path], catalog)
        print(f"{path.name}: {got.requests:,} requests over {got.window.seconds / 60:,.1f} min")
        rows = [
            ("requests per day", got.requests_per_day, want.requests_per_day),
            ("input tokens (mean)", got.inputs.mean, want.input_mean),
            ("output tokens (mean)", got.outputs.mean, want.output_mean),
            (f"peak-to-average ({got.resolution})", got.peak_to_average, want.peak_to_average),
            ("burst-to-average", got.burst_to_average, want.burst_to_average),
        ]
        for label, ours, theirs in rows:
            print(f"  {label:<28}{ours:>14,.3f}{theirs:>14,.3f}{ours / theirs - 1:>+9.2%}")
        print(f"  variability: {got.variability}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if len(sys.argv) > 1 else print(__doc__) or 2)
