"""What the API costs: per request and per month, as billed (DESIGN.md §2 "API", §6 "The API
as it is billed"): the closed model, and the same open model as self-hosting, hosted."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.billing import Bill, Terms
from advisor.core.costs.inputs import Inputs


class ApiCost(NamedTuple):
    model: str
    input_price_per_mtok: float
    output_price_per_mtok: float
    cost_per_request: float
    monthly_cost: float
    monthly_spend: float | None  # the bill actually paid, when given
    cost_per_1k_tokens: float
    terms: Terms
    bill: Bill  # how one request's cost is made (cache, batch, tier)
    cached_share: float
    batch_share: float


class HostedOpen(NamedTuple):
    """The open model self-hosting would run, hosted by the cheapest provider in the catalog:
    the like-for-like comparator (same model, same quality)."""

    cost: ApiCost
    provider: str
    model: str  # the open model's id
    excluded: str | None  # why it may not be used; None: it may


def _cost(inp: Inputs, terms: Terms, spend: float | None) -> ApiCost:
    b = inp.bill_of(terms)
    monthly = inp.requests_per_day * inp.days * b.per_request
    tokens = inp.context_tokens
    return ApiCost(
        model=terms.model_id,
        input_price_per_mtok=terms.input,
        output_price_per_mtok=terms.output,
        cost_per_request=b.per_request,
        monthly_cost=monthly,
        monthly_spend=spend,
        cost_per_1k_tokens=b.per_request / tokens * 1000 if tokens else 0.0,
        terms=terms,
        bill=b,
        cached_share=inp.cached_share,
        batch_share=inp.batch_share,
    )


def per_request(inp: Inputs) -> float:
    """One request on the closed model, as billed."""
    return inp.api_request_cost


def api_cost(inp: Inputs) -> ApiCost:
    """The closed model's bill: what is paid today."""
    return _cost(inp, inp.api, inp.monthly_spend)


def hosted_open(inp: Inputs) -> HostedOpen | None:
    if inp.hosted is None:
        return None
    return HostedOpen(
        cost=_cost(inp, inp.hosted, None),
        provider=inp.hosted.provider,
        model=inp.hosted.open_model or inp.main.model_id,
        excluded=inp.hosted_excluded,
    )
