"""`advisor catalog refresh`: the user catalog's API prices rebuilt from genai-prices.

The data is genai-prices' online update where the network allows (one fetch, a short timeout),
else the installed package's own data; the result says which, and why the online update was not
used. The entries are those of the bundled `api_models.toml`, in force today and dated today,
with source naming where they came from; they are merged into the user catalog, whose other
entries (GPU prices, a price of your own, LiteLLM imports) are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from advisor.core.errors import InputError
from advisor.prices.data import PriceData, online_data, package_data
from advisor.prices.entries import build
from advisor.prices.toml_out import as_table
from advisor.prices.user_catalog import Merged, existing_ids, merge_api_models

REASON_CHARS = 200


@dataclass(frozen=True)
class Refreshed:
    merged: Merged
    data: PriceData
    closed: int  # entries of closed models
    hosted: int  # entries of hosted open models
    missing: list[str]  # curated models the data lacks
    offline_because: str | None  # why the online update was not used (None: it was)

    def described(self, today: date) -> str:
        """What was done, in words: where, how many, from which data."""
        verb = "Created" if self.merged.created else "Updated"
        count = self.closed + self.hosted
        text = (
            f"{verb} {self.merged.path}: {count} API model{'s' if count != 1 else ''} "
            f"({self.closed} closed, {self.hosted} hosted open models; "
            f"{len(self.merged.added)} added, {len(self.merged.updated)} updated), prices in "
            f"force on {today.isoformat()} from {self.data.described}"
        )
        if self.offline_because:
            text += f": {self.offline_because}"
        text += "."
        if self.missing:
            text += " Not in the data: " + ", ".join(self.missing) + "."
        return text


def _reason(error: BaseException) -> str:
    """One line for a failed fetch: no traceback, nothing long."""
    text = " ".join(str(error).split()) or type(error).__name__
    if len(text) > REASON_CHARS:
        text = text[: REASON_CHARS - 3] + "..."
    return f"{type(error).__name__}: {text}"


def _data(
    online: bool, url: str | None, today: date, timeout: float
) -> tuple[PriceData, str | None]:
    if not online:
        return package_data(), "the online update was not asked for (--offline)"
    try:
        return online_data(url, today, timeout), None
    except Exception as error:  # no network, HTTP error, a payload that is not the data...
        return package_data(), f"the online update could not be used ({_reason(error)})"


def refresh(
    target: Path,
    today: date,
    online: bool = True,
    url: str | None = None,
    timeout: float = 10.0,
) -> Refreshed:
    """Rebuild the API models of the user catalog at `target`. Raises InputError(s) for a user
    catalog that cannot be read or written."""
    existing_ids(target)  # a user catalog that does not load today: said before any fetch
    data, because = _data(online, url, today, timeout)
    try:
        built = build(data.providers, today)
    except Exception as error:  # online data the package validated but we cannot use
        if not data.online:
            raise
        because = f"the online update could not be used ({_reason(error)})"
        data = package_data()
        built = build(data.providers, today)
    if not built.entries and data.online:
        because = "the online update lists none of the catalog's models"
        data = package_data()
        built = build(data.providers, today)
    if not built.entries:
        raise InputError(data.described, "lists none of the catalog's API models.")
    tables = {e.id: as_table(e, today, data.source) for e in built.entries}
    merged = merge_api_models(target, tables)
    hosted = sum(1 for e in built.entries if e.open_model)
    return Refreshed(merged, data, len(built.entries) - hosted, hosted, built.missing, because)
