"""What the API costs: per request and per month (DESIGN.md section 2, "API")."""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.inputs import Inputs


class ApiCost(NamedTuple):
    model: str
    input_price_per_mtok: float
    output_price_per_mtok: float
    cost_per_request: float
    monthly_cost: float
    monthly_spend: float | None  # the bill actually paid, when given
    cost_per_1k_tokens: float


def per_request(inp: Inputs) -> float:
    return (inp.input_tokens * inp.api_in_price + inp.output_tokens * inp.api_out_price) / 1e6


def api_cost(inp: Inputs, share: float = 1.0) -> ApiCost:
    """The API bill for `share` of the requests."""
    request = per_request(inp)
    monthly = share * inp.requests_per_day * inp.days * request
    tokens = inp.input_tokens + inp.output_tokens
    return ApiCost(
        model=inp.api_model_id,
        input_price_per_mtok=inp.api_in_price,
        output_price_per_mtok=inp.api_out_price,
        cost_per_request=request,
        monthly_cost=monthly,
        monthly_spend=inp.monthly_spend,
        cost_per_1k_tokens=request / tokens * 1000 if tokens else 0.0,
    )
