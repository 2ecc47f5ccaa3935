"""Measure instead of guess: read real request logs, derive the workload, refresh prices.

- `advisor.usage.formats`: the log formats read, and which one a file is in;
- `advisor.usage.reader`: streams the logs, a chunk at a time, into an `Accumulator`, counted by
  `advisor.usage.csv_chunks` and `advisor.usage.jsonl_chunks`;
- `advisor.usage.fields`: one request's fields (time, model, tokens, cache, spend) checked;
  `advisor.usage.cache_fields`: what each format says about the prompt cache;
  `advisor.usage.stamps`: a batch's timestamps;
- `advisor.usage.accumulator`: the running tallies, in bounded memory;
  `advisor.usage.groups`: the bill's tallies by model, day, size band and kind;
- `advisor.usage.histogram`: percentiles of counted values, and the buckets that fold them;
- `advisor.usage.summary`: the defined figures (`UsageSummary`), with their words in
  `advisor.usage.definitions` and warnings in `advisor.usage.warnings`;
  `advisor.usage.profile_update` writes them into a profile, `advisor.usage.summary_json` as JSON;
- `advisor.usage.bill`: each request priced as billed on its day; `advisor.usage.reconcile`:
  computed against paid;
- `advisor.usage.models`: provider spellings of model names matched to catalog ids;
- `advisor.usage.prices`: LiteLLM's price list into the user catalog;
- `advisor.usage.render` and `advisor.usage.command`: the CLI face (Rich only there).

Nothing here is imported by `advisor report`; the pure parts (everything but render and command)
use neither Rich nor Textual, so the TUI can call `advisor.usage.summary.analyse` directly.
"""
