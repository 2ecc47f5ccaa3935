"""The API rows' notes: how one request's bill is made (cache, batch, long-context tier),
where the prices come from, and a retired model's successor."""

from __future__ import annotations

from datetime import date

from advisor.core.catalog.model import Catalog
from advisor.core.costs.billing import Bill, Terms, terms_of
from advisor.core.costs.inputs import Inputs
from advisor.core.fmt import dated, money, money_fine, number, price, share


def prices(t: Terms) -> str:
    """'$3.00 in / $15.00 out per M tokens, cached input $0.30'."""
    text = f"{price(t.input)} in / {price(t.output)} out per M tokens"
    if t.cached is not None:
        text += f", cached input {price(t.cached)}"
    return text


def arithmetic(inp: Inputs, b: Bill) -> str:
    """One request's bill in figures: '(1,500 x $3.00 + 6,000 cached x $0.30 + 500 x $15.00)
    / 1M = $0.0138; 50% by batch at 50% off: $0.0104'."""
    cached = inp.input_tokens * inp.cached_share
    parts = [f"{number(inp.input_tokens - cached)} x {price(b.input_price)}"]
    if cached > 0:
        parts.append(f"{number(cached)} cached x {price(b.cached_price)}")
    parts.append(f"{number(inp.output_tokens)} out x {price(b.output_price)}")
    text = f"({' + '.join(parts)}) / 1M = {money_fine(b.standard)}/request"
    if b.tier is not None:
        text += f" at the long-context price (input above {number(b.tier.above_input_tokens)})"
    if b.discount > 0:
        text += (
            f"; {share(inp.batch_share)} by batch at {share(b.discount / inp.batch_share)} off: "
            f"{money_fine(b.per_request)}"
        )
    elif inp.batch_share > 0:
        text += "; no batch API, so no discount"
    return text


def source(t: Terms, today: date, stale_after_days: int) -> str:
    if t.own_prices:
        return "your prices"
    return f"{t.source}, as of {dated(t.as_of, today, stale_after_days)}"


def api_note(inp: Inputs, b: Bill, today: date, spend: float | None) -> str:
    t = inp.api
    note = f"{t.name} ({t.model_id}): {prices(t)}; {arithmetic(inp, b)}; "
    note += source(t, today, inp.catalog.meta.stale_after_days)
    if spend is not None:
        note += f"; bill actually paid {money(spend)}"
    return note


def hosted_note(inp: Inputs, t: Terms, b: Bill, excluded: str | None, today: date) -> str:
    note = (
        f"{inp.main.model.name} hosted by {t.provider} ({t.model_id}), the cheapest provider "
        f"in the catalog for the model self-hosting would run: {prices(t)}; "
        f"{arithmetic(inp, b)}; {source(t, today, inp.catalog.meta.stale_after_days)}"
    )
    if excluded:
        note += f"; does not apply: {excluded}"
    return note


def retired_warning(catalog: Catalog, model_id: str) -> str | None:
    """A retired model: priced at its last price, and the successor with its price."""
    entry = catalog.api_models[model_id]
    if entry.retired is False:
        return None
    when = f" on {entry.retired.isoformat()}" if isinstance(entry.retired, date) else ""
    text = (
        f"{entry.name} ({model_id}) was retired{when} and can no longer be bought: it is priced "
        f"at its last price ({prices(terms_of(model_id, entry))})"
    )
    successor = catalog.api_models.get(entry.successor) if entry.successor else None
    if successor is not None and entry.successor is not None:
        text += (
            f"; its successor, {successor.name} ({entry.successor}), costs "
            f"{prices(terms_of(entry.successor, successor))}: choose it as the API model to "
            "price that"
        )
    return text + "."
