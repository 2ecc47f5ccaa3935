"""Where the genai-prices data comes from: the installed package's own data (offline, always
there), or genai-prices' online update (the JSON file its `UpdatePrices` fetches from GitHub),
fetched once, synchronously, with a short timeout: no background thread, and the package's
global snapshot is never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

from genai_prices.types import Provider

PACKAGE = "genai-prices"
CONNECT_TIMEOUT = 3.0  # seconds: an offline machine answers at once, a firewall may not
READ_TIMEOUT = 10.0


def package_version() -> str:
    return version(PACKAGE)


def package_source() -> str:
    """The `source` the entries carry when they come from the installed package."""
    return f"pydantic/genai-prices {package_version()} data"


@dataclass(frozen=True)
class PriceData:
    providers: list[Provider]
    source: str  # what each entry's `source` says
    described: str  # where the prices came from, in words
    online: bool


def package_data() -> PriceData:
    """The installed package's data."""
    from genai_prices.data import providers

    return PriceData(
        providers,
        package_source(),
        f"the genai-prices {package_version()} package data (offline)",
        online=False,
    )


def online_data(url: str | None, today: date, timeout: float = READ_TIMEOUT) -> PriceData:
    """genai-prices' online update, fetched now; raises whatever the fetch raises (no network,
    an HTTP error, a payload that is not the data)."""
    import httpx2
    from genai_prices import UpdatePrices

    settings: dict[str, object] = {
        "request_timeout": httpx2.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
    }
    if url:
        settings["url"] = url
    updater = UpdatePrices(**settings)  # type: ignore[arg-type]
    snapshot = updater.fetch()  # one synchronous fetch; UpdatePrices.start() is never called
    if snapshot is None or not snapshot.providers:
        raise ValueError("the online update holds no providers")
    return PriceData(
        snapshot.providers,
        f"pydantic/genai-prices online data fetched {today.isoformat()}",
        f"genai-prices' online update of {today.isoformat()} ({updater.url})",
        online=True,
    )
