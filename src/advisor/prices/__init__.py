"""Prices from a maintained source: pydantic's genai-prices data into the catalog's API entries.

- `advisor.prices.genai`: reading the data (the price in force on a date, its history, batch
  prices, tiers, what the data says of retirement);
- `advisor.prices.curated`: our editorial choices (models, names, successors, dated
  retirements with their sources, hand-kept batch fallbacks, hosted open models);
- `advisor.prices.entries`: the entries built from both; `advisor.prices.toml_out`: as TOML;
- `advisor.prices.data`: the installed package's data, or genai-prices' online update;
- `advisor.prices.user_catalog`: entries merged into the user catalog, atomically;
- `advisor.prices.refresh`: `advisor catalog refresh`.

Only `advisor catalog refresh` and `scripts/build_api_catalog.py` import genai_prices: the
core never imports this package (an import contract), and `advisor report` reads the generated
`api_models.toml` instead.
"""
