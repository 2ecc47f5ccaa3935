"""Reading pydantic's genai-prices data: the price in force on a date, its history, batch
prices, long-context tiers and what the data says of retirement.

The data (`genai_prices.data_snapshot`): providers, each with models; a model's `prices` is one
`ModelPrice` or a list of `ConditionalPrice` whose constraint is none (the undated first
price), a `StartDateConstraint` (in force from that date) or a `TimeOfDateConstraint` (off-peak
hours). The last active one wins, as in `ModelInfo.get_prices`; time-of-day prices are skipped
here so that what is written does not depend on the clock. Prices are $ per million tokens; a
`TieredPrices` value is cliff pricing on the request's total input tokens (cached included).
Batch prices are `price_variants` with `when = {"processing": "batch"}`.

Only `advisor catalog refresh` and `scripts/build_api_catalog.py` import this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from genai_prices.types import (
    ModelInfo,
    ModelPrice,
    Provider,
    StartDateConstraint,
    TieredPrices,
    TimeOfDateConstraint,
)

PriceValue = Decimal | TieredPrices | None
BATCH = {"processing": "batch"}
# genai-prices gives a model's first price no start date: in the history it is in force from
# this date (the earliest a usage log's request may be) until the first dated change.
UNDATED_SINCE = date(2000, 1, 1)


@dataclass(frozen=True)
class Resolved:
    """The standard price in force on a date, when it started (None: the undated first price),
    and the start dates of every dated price the model has."""

    prices: ModelPrice
    since: date | None
    starts: list[date]


def resolve_prices(model: ModelInfo, as_of: date) -> Resolved:
    """The price in force on `as_of` (last active conditional price wins; time-of-day prices
    skipped)."""
    if isinstance(model.prices, ModelPrice):
        return Resolved(model.prices, None, [])
    starts = [
        c.constraint.start_date
        for c in model.prices
        if isinstance(c.constraint, StartDateConstraint)
    ]
    for conditional in reversed(model.prices):
        constraint = conditional.constraint
        if constraint is None:
            return Resolved(conditional.prices, None, starts)
        if isinstance(constraint, StartDateConstraint) and constraint.start_date <= as_of:
            return Resolved(conditional.prices, constraint.start_date, starts)
    return Resolved(model.prices[0].prices, None, starts)


def base(value: PriceValue) -> Decimal | None:
    """A price's base (below every tier)."""
    if value is None:
        return None
    return value.base if isinstance(value, TieredPrices) else value


def at_tier(value: PriceValue, start: int) -> Decimal | None:
    """A price for requests whose input exceeds `start` (cliff tiers)."""
    if value is None or not isinstance(value, TieredPrices):
        return value
    price = value.base
    for tier in value.tiers:
        if tier.start <= start:
            price = tier.price
    return price


def tier_starts(prices: ModelPrice) -> list[int]:
    fields = (prices.input_mtok, prices.output_mtok, prices.cache_read_mtok)
    return sorted({t.start for v in fields if isinstance(v, TieredPrices) for t in v.tiers})


PricePoint = tuple[Decimal, Decimal, Decimal | None]  # input, output, cached input


def history(model: ModelInfo, as_of: date) -> list[tuple[date, PricePoint]]:
    """The model's standard prices over time, oldest first, up to the one in force on `as_of`:
    (since, (input, output, cached input)) for each dated change that changed a token price.
    Empty when the price never changed (a change of tiers or of other fees alone is not
    listed; tiers are the current ones). The undated first price is in force from
    UNDATED_SINCE."""
    if isinstance(model.prices, ModelPrice):
        return []
    points: list[tuple[date, PricePoint]] = []
    for conditional in model.prices:
        constraint = conditional.constraint
        if isinstance(constraint, TimeOfDateConstraint):
            continue
        if isinstance(constraint, StartDateConstraint):
            if constraint.start_date > as_of:
                continue
            since = constraint.start_date
        else:
            since = UNDATED_SINCE
        prices = conditional.prices
        price_in, price_out = base(prices.input_mtok), base(prices.output_mtok)
        if price_in is None or price_out is None:
            continue
        point = (price_in, price_out, base(prices.cache_read_mtok))
        if points and points[-1][1] == point:
            continue  # the same token prices: not a change
        points.append((since, point))
    return points if len(points) > 1 else []


def batch_prices(model: ModelInfo, as_of: date) -> ModelPrice | None:
    """The active batch price variants merged, first match per key (as `get_prices` does)."""
    merged: dict[str, Decimal | TieredPrices] = {}
    found = False
    for variant in model.price_variants or ():
        if variant.when != BATCH:
            continue
        constraint = variant.constraint
        if isinstance(constraint, TimeOfDateConstraint):
            continue
        if isinstance(constraint, StartDateConstraint) and constraint.start_date > as_of:
            continue
        found = True
        for key, value in vars(variant.prices).items():
            if value is not None:
                merged.setdefault(key, value)
    return ModelPrice(**merged) if found else None


def batch_discount(standard: ModelPrice, batch: ModelPrice) -> tuple[Decimal | None, str]:
    """The share off with the batch API, when input and output agree; else (None, why)."""
    s_in, s_out = base(standard.input_mtok), base(standard.output_mtok)
    b_in, b_out = base(batch.input_mtok), base(batch.output_mtok)
    if not s_in or not s_out or b_in is None or b_out is None:
        return None, "batch variant lacks input/output prices"
    d_in, d_out = 1 - b_in / s_in, 1 - b_out / s_out
    if abs(d_in - d_out) > Decimal("1e-9"):
        return None, f"batch discounts differ: input {d_in:.4f}, output {d_out:.4f}"
    return d_in, ""


def batch_data_start(provider: Provider) -> date | None:
    """The earliest dated batch variant of a provider: the data models batch prices from then."""
    starts = [
        v.constraint.start_date
        for m in provider.models
        for v in m.price_variants or ()
        if v.when == BATCH and isinstance(v.constraint, StartDateConstraint)
    ]
    return min(starts) if starts else None


def has_batch(model: ModelInfo) -> bool:
    return any(v.when == BATCH for v in model.price_variants or ())


_DATE_IN_TEXT = re.compile(
    r"(?:retired|retires|deprecated|shut down|discontinued)\b[^.;]{0,40}?\b(\d{4}-\d{2}-\d{2})",
    re.I,
)


def retirement(model: ModelInfo) -> tuple[bool, date | None]:
    """Retired or deprecated as the data says (the `deprecated` flag, or a description that
    starts 'Retired'), with a date only when the model's own comments state one."""
    text = " ".join(filter(None, [model.description, model.price_comments]))
    flagged = bool(model.deprecated) or bool(
        re.match(r"\s*retired\b", model.description or "", re.I)
    )
    if not flagged:
        return False, None
    found = _DATE_IN_TEXT.search(text)
    if found:
        try:
            return True, date.fromisoformat(found.group(1))
        except ValueError:
            pass
    return True, None


_CLAUDE_OLD = re.compile(r"^claude-(\d+)-(\d+)-(sonnet|opus|haiku)")  # claude-3-5-sonnet
_CLAUDE_NEW = re.compile(r"^claude-(sonnet|opus|haiku)-(\d+)(?:-(\d))?(?!\d)")  # claude-sonnet-4-0


def claude_version(model_id: str) -> tuple[str, tuple[int, int]] | None:
    """('sonnet', (3, 5)) from 'claude-3-5-sonnet...' or 'claude-sonnet-3-5...'."""
    if found := _CLAUDE_OLD.match(model_id):
        return found.group(3), (int(found.group(1)), int(found.group(2)))
    if found := _CLAUDE_NEW.match(model_id):
        return found.group(1), (int(found.group(2)), int(found.group(3) or 0))
    return None


def inferred_retirement(provider: Provider, model: ModelInfo, as_of: date) -> str:
    """Anthropic only: the data's provider comment says its batch variants cover the active
    models of Anthropic's batch price table as of a date and that "Retired models are skipped".
    A Claude model without a batch price, while a newer one of its family has one, is retired as
    of that date. The reason, or "" when not inferred."""
    comment = provider.price_comments or ""
    table = re.search(r"as of (\d{4}-\d{2}-\d{2})", comment)
    if provider.id != "anthropic" or "Retired models are skipped" not in comment or not table:
        return ""
    table_date = date.fromisoformat(table.group(1))
    if as_of < table_date or has_batch(model):
        return ""
    version = claude_version(model.id)
    if version is None:
        return ""
    newer = [
        other.id
        for other in provider.models
        if (v := claude_version(other.id))
        and v[0] == version[0]
        and v[1] > version[1]
        and has_batch(other)
    ]
    if not newer:
        return ""
    return (
        f"inferred: not in Anthropic's batch price table as of {table_date.isoformat()}, "
        "whose genai-prices comment says retired models are skipped"
    )
