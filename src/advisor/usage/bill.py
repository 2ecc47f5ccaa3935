"""The logs' API bill, computed the way the API bills it (DESIGN.md §6): each request at the
price in force on its UTC date (`ApiModel.price_on`), cache reads at the cached-input price,
a long-context tier's prices for the requests above its threshold, Batch API results at the
model's batch discount, and nothing for a response LiteLLM served from its own cache.

The formula is the core's (`advisor.core.costs.billing.bill`), applied to each tally of
(model, day, size band, kind) (`advisor.usage.groups`): it is linear in the tokens, so a
tally's bill is the sum of its requests' bills. Cache writes are priced as input: what a
provider adds for them (Anthropic: 1.25x the input price for 5-minute writes, 2x for 1-hour) is
not in the catalog; the reconciliation (`advisor.usage.reconcile`) says what it comes to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from advisor.core.costs.billing import bill, terms_of
from advisor.usage.groups import BATCH, PROXY_HIT, GroupKey, Tally

if TYPE_CHECKING:
    from advisor.core.catalog.model import ApiModel

CACHE_WRITE_PREMIUM = 0.25  # Anthropic: 5-minute cache writes at 1.25x the input price
CACHE_WRITE_PREMIUM_1H = 1.0  # 1-hour cache writes at 2x


@dataclass
class Priced:
    """A model's requests in the logs, priced."""

    requests: int = 0
    input_tokens: int = 0
    cached_tokens: int = 0
    written_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0  # each request at the price in force on its day
    paid: float = 0.0  # what the logs record, over `paid_requests`
    paid_requests: int = 0
    batch_requests: int = 0
    proxy_hits: int = 0
    write_premium: float = 0.0  # cache writes at 1.25x input instead of 1x
    batchable: float = 0.0  # what the batch discount would take off the requests not batched
    days: set[int] = field(default_factory=set)  # the UTC dates (ordinals) of its requests
    first_price: float = 0.0  # every request at the price in force on the first day
    last_price: float = 0.0  # every request at the price in force on the last day

    def count(self, key: GroupKey, tally: Tally) -> None:
        self.requests += tally.requests
        self.input_tokens += tally.input
        self.cached_tokens += tally.cached
        self.written_tokens += tally.written
        self.output_tokens += tally.output
        self.paid += tally.spend
        self.paid_requests += tally.spend_rows
        if key.kind & BATCH:
            self.batch_requests += tally.requests
        if key.kind & PROXY_HIT:
            self.proxy_hits += tally.requests
        self.days.add(key.day)


def _tier_prices(
    entry: ApiModel, band: int, thresholds: tuple[int, ...]
) -> tuple[float, float, float | None] | None:
    """The prices of the highest tier a request of this size band is above, if any."""
    found = None
    for tier in sorted(entry.tiers, key=lambda t: t.above_input_tokens):
        threshold = tier.above_input_tokens
        if threshold in thresholds and band > thresholds.index(threshold):
            found = tier
    if found is None:
        return None
    return found.input_per_mtok, found.output_per_mtok, found.cached_input_per_mtok


def group_cost(
    model_id: str,
    entry: ApiModel,
    key: GroupKey,
    tally: Tally,
    thresholds: tuple[int, ...],
    day: date | None = None,
) -> float:
    """One tally's bill, at the price in force on `day` (default: its own day)."""
    if key.kind & PROXY_HIT or tally.requests == 0:
        return 0.0
    price_in, price_out, price_cached = entry.price_on(day or date.fromordinal(key.day))
    tier = _tier_prices(entry, key.band, thresholds)
    if tier is not None:
        price_in, price_out = tier[0], tier[1]
        price_cached = tier[2] if tier[2] is not None else price_cached
    terms = terms_of(model_id, entry)._replace(
        input=price_in, output=price_out, cached=price_cached, tiers=()
    )
    cached_share = tally.cached / tally.input if tally.input else 0.0
    batch_share = 1.0 if key.kind & BATCH else 0.0
    return bill(terms, tally.input, tally.output, cached_share, batch_share).per_request


def price_model(
    model_id: str,
    entry: ApiModel,
    tallies: Iterable[tuple[GroupKey, Tally]],
    thresholds: tuple[int, ...],
) -> Priced:
    """A model's tallies priced, with what the reconciliation weighs: the cache-write premium,
    what batching would take off, and the bill at the first and at the last day's price."""
    items = list(tallies)
    priced = Priced()
    for key, tally in items:
        priced.count(key, tally)
    if not items:
        return priced
    first, last = date.fromordinal(min(priced.days)), date.fromordinal(max(priced.days))
    discount = entry.batch_discount or 0.0
    for key, tally in items:
        cost = group_cost(model_id, entry, key, tally, thresholds)
        priced.cost += cost
        priced.first_price += group_cost(model_id, entry, key, tally, thresholds, first)
        priced.last_price += group_cost(model_id, entry, key, tally, thresholds, last)
        if key.kind & PROXY_HIT:
            continue
        if not key.kind & BATCH:
            priced.batchable += cost * discount
        price_in = entry.price_on(date.fromordinal(key.day))[0]
        priced.write_premium += tally.written * price_in * CACHE_WRITE_PREMIUM / 1e6
    return priced


def unpriced(tallies: Iterable[tuple[GroupKey, Tally]]) -> Priced:
    """A model the catalog does not price: its counts and what the logs say was paid."""
    priced = Priced()
    for key, tally in tallies:
        priced.count(key, tally)
    return priced


def changes_within(entry: ApiModel, first: date, last: date) -> list[date]:
    """The dates in (first, last] on which the model's price changed."""
    return sorted(c.since for c in entry.history if first < c.since <= last)
