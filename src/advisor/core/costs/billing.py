"""How an API bills a request (DESIGN.md §6, "The API as it is billed").

    per request = (uncached input x input price + cached input x cached-input price
                   + output x output price) / 1e6,
    and the batch share of requests at the model's batch discount.

A long-context tier (cliff pricing) applies every token of a request at the tier's prices when
its input, cached tokens included, exceeds the tier's threshold. A provider with no cache
price bills cached input at the input price; one with no batch API gives no discount.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from advisor.core.catalog.model import ApiModel, PriceTier


class Terms(NamedTuple):
    """One API route's prices, as they apply to this profile."""

    model_id: str
    name: str
    provider: str
    input: float  # $ per million tokens
    output: float
    cached: float | None  # cached input; None: no prompt-cache price (billed as input)
    batch_discount: float | None  # share off with the batch API; None: no batch API
    tiers: tuple[PriceTier, ...]
    source: str
    as_of: date
    own_prices: bool  # the profile's prices, not the catalog's
    open_model: str | None = None  # a hosted open model

    def scaled(self, factor: float) -> Terms:
        """Every price times `factor` (a what-if)."""
        cached = None if self.cached is None else self.cached * factor
        tiers = tuple(
            t._replace(
                input_per_mtok=t.input_per_mtok * factor,
                output_per_mtok=t.output_per_mtok * factor,
                cached_input_per_mtok=None
                if t.cached_input_per_mtok is None
                else t.cached_input_per_mtok * factor,
            )
            for t in self.tiers
        )
        return self._replace(
            input=self.input * factor, output=self.output * factor, cached=cached, tiers=tiers
        )


class Bill(NamedTuple):
    """One request's bill and how it is made (for the notes every face shows)."""

    per_request: float
    input_price: float  # the prices applied (a tier's, when one applies)
    output_price: float
    cached_price: float
    tier: PriceTier | None
    standard: float  # the request without the batch discount
    discount: float  # share off the whole bill from batching (batch share x discount)


def terms_of(
    model_id: str,
    entry: ApiModel,
    input_price: float | None = None,
    output_price: float | None = None,
) -> Terms:
    """A catalog entry's terms; the profile's own prices (if any) replace its list prices, and
    a cache price keeps its ratio to the input price."""
    own = input_price is not None or output_price is not None
    inp = entry.input_per_mtok if input_price is None else input_price
    out = entry.output_per_mtok if output_price is None else output_price
    cached = entry.cached_input_per_mtok
    if own and cached is not None:
        cached = cached / entry.input_per_mtok * inp if entry.input_per_mtok > 0 else cached
    return Terms(
        model_id=model_id,
        name=entry.name,
        provider=entry.provider,
        input=inp,
        output=out,
        cached=cached,
        batch_discount=entry.batch_discount,
        tiers=() if own else tuple(entry.tiers),
        source=entry.source,
        as_of=entry.as_of,
        own_prices=own,
        open_model=entry.open_model,
    )


def bill(
    terms: Terms, input_tokens: float, output_tokens: float, cached_share: float, batch_share: float
) -> Bill:
    tier = None
    for t in sorted(terms.tiers, key=lambda t: t.above_input_tokens):
        if input_tokens > t.above_input_tokens:
            tier = t
    price_in = tier.input_per_mtok if tier else terms.input
    price_out = tier.output_per_mtok if tier else terms.output
    cached_price = tier.cached_input_per_mtok if tier else terms.cached
    if cached_price is None:
        cached_price = price_in
    cached = input_tokens * cached_share
    standard = (
        (input_tokens - cached) * price_in + cached * cached_price + output_tokens * price_out
    ) / 1e6
    discount = batch_share * (terms.batch_discount or 0.0)
    return Bill(
        standard * (1 - discount), price_in, price_out, cached_price, tier, standard, discount
    )
