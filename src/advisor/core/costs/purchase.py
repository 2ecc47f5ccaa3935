"""How GPU time is bought (DESIGN.md §6 "Scaling, redundancy, purchase"): each way comes down
to an effective price per GPU-hour and a commitment.

- on demand: the profile's own price for its pinned GPU type, else the catalog's;
- reserved for 1 or 3 years: the on-demand price less the provider's discount (the catalog
  default where the GPU's provider has none); paid every hour, so sized fixed;
- spot: the discount for the hours it runs, on demand for the share of hours reclaimed;
- owned: purchase price / amortisation months, spread over the month's hours, plus power x
  PUE x electricity; paid every hour, so sized fixed. Only where a purchase price is known.

The GPU-price what-if scales every rate but electricity.
"""

from __future__ import annotations

from typing import NamedTuple

from advisor.core.costs.inputs import Inputs, ModelChoice
from advisor.core.costs.memo import CatalogMemo
from advisor.core.costs.shapes import Shape
from advisor.core.fmt import number, share

PURCHASES = ("on_demand", "spot", "reserved_1y", "reserved_3y", "owned")
FIXED_ONLY = frozenset({"reserved_1y", "reserved_3y", "owned"})
WORDS = {
    "on_demand": "on demand",
    "spot": "spot",
    "reserved_1y": "reserved for 1 year",
    "reserved_3y": "reserved for 3 years",
    "owned": "owned",
}


class Rate(NamedTuple):
    purchase: str
    hourly: float  # $ per GPU-hour, as it comes out for this way of buying
    months: int  # the commitment (0: none; owned: the amortisation)
    note: str  # how the rate is made, in words


def _owned(mc: ModelChoice, s: Shape) -> tuple[float, float] | None:
    """(purchase price, power in kW) of one GPU of this shape, owned; None where either is
    unknown. The profile's own figures are for its pinned GPU type."""
    o = mc.owned
    mine = mc.gpu == s.gpu_id
    price = o.purchase_price if mine and o.purchase_price is not None else None
    price = price if price is not None else s.gpu.purchase_price
    power = o.power_kw if mine and o.power_kw is not None else None
    power = power if power is not None else s.gpu.power_kw
    if price is None or power is None:
        return None
    return price, power


def hourly(mc: ModelChoice, inp: Inputs, s: Shape, purchase: str, scale: float) -> float | None:
    """The effective price of one GPU-hour bought this way, every price but electricity times
    `scale`; None where it cannot be bought so. Without the words: the odds ask it for every
    draw (`rate` gives the words)."""
    own = mc.gpu_hourly if mc.gpu_hourly is not None and mc.gpu == s.gpu_id else None
    base = (own if own is not None else s.gpu.hourly_price) * scale
    if purchase == "on_demand":
        return base
    if purchase == "owned":
        found = _owned(mc, s)
        if found is None:
            return None
        price, power = found
        o = mc.owned
        capital = price * scale / o.amortisation_months
        return capital / (24.0 * inp.days) + power * o.pue * o.electricity_per_kwh
    terms = inp.catalog.purchase.get(purchase)
    if terms is None:
        return None
    discount, _, _ = terms.for_provider(s.gpu.provider)
    if purchase == "spot":
        r = terms.reclaimed_share
        return base * ((1 - r) * (1 - discount) + r)
    return base * (1 - discount)


def rate(mc: ModelChoice, inp: Inputs, s: Shape, purchase: str) -> Rate | None:
    """The effective price of one GPU-hour bought this way, with how it is made; None where
    it cannot be (owned hardware with no known purchase price, a way the catalog does not
    list)."""
    price = hourly(mc, inp, s, purchase, mc.gpu_price_scale)
    if price is None:
        return None
    if purchase == "on_demand":
        return Rate(purchase, price, 0, f"${price:,.2f}/GPU-hour on demand")
    if purchase == "owned":
        o = mc.owned
        bought, power = _owned(mc, s) or (0.0, 0.0)
        capital = bought * mc.gpu_price_scale / o.amortisation_months
        note = (
            f"${bought * mc.gpu_price_scale:,.0f} a GPU over {o.amortisation_months} months "
            f"(${capital:,.2f}/month) + {number(power)} kW x PUE {number(o.pue)} x "
            f"${number(o.electricity_per_kwh)}/kWh"
        )
        return Rate(purchase, price, o.amortisation_months, note)
    terms = inp.catalog.purchase[purchase]
    discount, _, _ = terms.for_provider(s.gpu.provider)
    if purchase == "spot":
        r = terms.reclaimed_share
        note = (
            f"spot at {share(discount)} off for {share(1 - r)} of hours, on demand for the "
            f"{share(r)} reclaimed"
        )
        return Rate(purchase, price, 0, note)
    who = f" ({s.gpu.provider})" if s.gpu.provider else ""
    note = f"{share(discount)} off on demand{who}, committed for {terms.months} months"
    return Rate(purchase, price, terms.months, note)


def allowed(mc: ModelChoice, scaling: str) -> tuple[str, ...]:
    """The ways of buying the search may use with this scaling."""
    found = (mc.purchase,) if mc.purchase else mc.purchases
    if scaling == "autoscale":
        return tuple(p for p in found if p not in FIXED_ONLY)
    return found


_BEST: CatalogMemo[Rate | None] = CatalogMemo()


def best(mc: ModelChoice, inp: Inputs, s: Shape, scaling: str) -> Rate | None:
    """The cheapest way of buying this shape's GPUs with this scaling; None if there is none.
    (Memoised: the searches of one decision ask the same question thousands of times.)"""

    def cheapest() -> Rate | None:
        rates = [r for p in allowed(mc, scaling) if (r := rate(mc, inp, s, p)) is not None]
        return min(rates, key=lambda r: (r.hourly, PURCHASES.index(r.purchase))) if rates else None

    key = (
        s.gpu_id,
        scaling,
        mc.purchase,
        mc.purchases,
        mc.gpu,
        mc.gpu_hourly,
        mc.gpu_price_scale,
        mc.owned,
        inp.days,
    )
    return _BEST.get(inp.catalog, key, cheapest)
