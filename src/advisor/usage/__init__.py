"""Measure instead of guess: read real request logs, derive the workload, refresh prices.

- `advisor.usage.reader`: detects a log's format and streams it into an `Accumulator`;
- `advisor.usage.stats`: the accumulator (bounded memory) and the percentile arithmetic;
- `advisor.usage.summary`: the defined figures (`UsageSummary`) and how they update a profile;
- `advisor.usage.models`: provider spellings of model names matched to catalog ids;
- `advisor.usage.prices`: LiteLLM's price list into the user catalog;
- `advisor.usage.render` and `advisor.usage.command`: the CLI face (Rich only there).

Nothing here is imported by `advisor report`; the pure parts (everything but render and command)
use neither Rich nor Textual, so the TUI can call `advisor.usage.summary.analyse` directly.
"""
