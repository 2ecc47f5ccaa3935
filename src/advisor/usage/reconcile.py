"""Computed against paid: where the logs record what each request cost (LiteLLM's `spend`, a
`cost` column), the bill computed from the catalog is set beside it, and a gap over
`TOLERANCE` of what was paid is explained as far as the logs allow, each part in dollars:

1. what the computed bill leaves out, known from the logs: requests on models the catalog does
   not price (paid, computed as nothing); cache writes, billed by Anthropic at 1.25x the input
   price (5-minute writes; 1-hour writes at 2x) and computed at the input price;
2. what fits what is left: a price change inside the window that the payer's prices did not
   follow (or followed before the catalog's date: the bill at the first day's price, or at the
   last day's, is nearer what was paid); requests sent through a batch API at its discount,
   which the logs do not mark (paid less than computed, by no more than batching all of them
   would take off);
3. the rest, not explained by the logs: negotiated discounts or credits, taxes, a price list
   other than the catalog's (LiteLLM prices from its own map), or requests the logs miss.

Only logs where every request records a spend are reconciled: a partial record says nothing of
the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from advisor.usage.bill import CACHE_WRITE_PREMIUM, CACHE_WRITE_PREMIUM_1H, Priced

TOLERANCE = 0.05  # of what was paid: a smaller gap is agreement


@dataclass(frozen=True)
class Explanation:
    amount: float  # dollars of (paid - computed) it accounts for
    reason: str
    known: bool  # from the logs (True), or what fits the rest (False)


@dataclass(frozen=True)
class Reconciliation:
    computed: float
    paid: float
    requests: int
    explanations: list[Explanation] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """paid - computed: above 0, more was paid than computed."""
        return self.paid - self.computed

    @property
    def share(self) -> float:
        """The gap as a share of what was paid (of what was computed, when nothing was)."""
        base = self.paid or self.computed
        return self.gap / base if base else 0.0

    @property
    def flagged(self) -> bool:
        return abs(self.share) > TOLERANCE

    @property
    def unexplained(self) -> float:
        return self.gap - sum(e.amount for e in self.explanations)

    def described(self) -> str:
        """In words, with the figures."""
        direction = "more" if self.gap >= 0 else "less"
        text = (
            f"Computed {money(self.computed)} against {money(self.paid)} paid (the logs' own "
            f"record) for {self.requests:,} requests: {abs(self.share):.1%} {direction} "
            "was paid than computed"
        )
        if not self.flagged:
            return text + f", within the {TOLERANCE:.0%} a bill reconciles to."
        parts = [f"{_signed(e.amount)}: {e.reason}" for e in self.explanations]
        text += f", over {TOLERANCE:.0%}. " + ("; ".join(parts) + "." if parts else "")
        rest = self.unexplained
        base = self.paid or self.computed
        if base and abs(rest) / base > TOLERANCE / 5:
            text += (
                f" Not explained by the logs: {_signed(rest)} ({abs(rest) / base:.1%} of what "
                "was paid): negotiated discounts or credits, taxes, a price list other than the "
                "catalog's (LiteLLM prices from its own map), or requests the logs miss."
            )
        return text


def money(amount: float) -> str:
    """$1,234 or $12.34 (cents for small bills)."""
    return f"${amount:,.2f}" if abs(amount) < 100 else f"${amount:,.0f}"


def _signed(amount: float) -> str:
    return ("+" if amount >= 0 else "-") + money(abs(amount))


def _price_change(
    priced: dict[str, Priced], changes: dict[str, list[date]], computed: float, paid: float
) -> Explanation | None:
    """The bill at each model's first-day or last-day price, when that is nearer what was paid
    than the bill at each day's price."""
    changed = {m: d for m, d in changes.items() if d}
    if not changed:
        return None
    best: Explanation | None = None
    for label, attribute in (("first", "first_price"), ("last", "last_price")):
        other = computed + sum(
            getattr(priced[m], attribute) - priced[m].cost for m in changed if m in priced
        )
        if abs(paid - other) < abs(paid - computed) and (
            best is None or abs(paid - other) < abs(paid - computed - best.amount)
        ):
            dates = ", ".join(
                f"{m} on {', '.join(d.isoformat() for d in ds)}" for m, ds in changed.items()
            )
            best = Explanation(
                other - computed,
                f"the price changed inside the window ({dates}); at each model's price on "
                f"its {label} day the bill is {money(other)}, nearer what was paid: the payer's "
                "prices did not change when the catalog's did",
                known=False,
            )
    return best


def reconcile(
    priced: dict[str, Priced],
    unpriced: dict[str, Priced],
    changes: dict[str, list[date]],
) -> Reconciliation | None:
    """Computed against paid, with the gap explained (see the module docstring); None unless
    every request records what was paid. `priced` and `unpriced` are by logged model name;
    `changes`: each priced model's price changes inside the window."""
    every = [*priced.values(), *unpriced.values()]
    requests = sum(p.requests for p in every)
    if not every or sum(p.paid_requests for p in every) < requests:
        return None
    computed = sum(p.cost for p in priced.values())
    paid = sum(p.paid for p in every)
    found = Reconciliation(computed, paid, requests)
    if not found.flagged:
        return found
    explanations: list[Explanation] = []
    lost = {name: p for name, p in unpriced.items() if p.paid > 0}
    if lost:
        names = ", ".join(sorted(lost)[:5]) + (" ..." if len(lost) > 5 else "")
        explanations.append(
            Explanation(
                sum(p.paid for p in lost.values()),
                f"paid for {sum(p.requests for p in lost.values()):,} requests on models the "
                f"catalog does not price ({names}), which the computed bill leaves out",
                known=True,
            )
        )
    premium = sum(p.write_premium for p in priced.values())
    written = sum(p.written_tokens for p in priced.values())
    if premium > 0:
        hour = premium * CACHE_WRITE_PREMIUM_1H / CACHE_WRITE_PREMIUM
        explanations.append(
            Explanation(
                premium,
                f"{written:,} cache-write tokens, which Anthropic bills at 1.25x the input "
                f"price for the 5-minute cache (at 2x for the 1-hour cache: {_signed(hour)}) "
                "and the computed bill prices as input",
                known=True,
            )
        )
    rest = found.gap - sum(e.amount for e in explanations)
    change = _price_change(priced, changes, computed, paid - sum(e.amount for e in explanations))
    if change is not None and abs(rest - change.amount) < abs(rest):
        explanations.append(change)
        rest -= change.amount
    batchable = sum(p.batchable for p in priced.values())
    if rest < 0 and batchable > 0 and abs(rest) / (found.paid or 1) > TOLERANCE / 5:
        share = min(1.0, -rest / batchable)
        explanations.append(
            Explanation(
                max(rest, -batchable),
                f"fits about {share:.0%} of the requests sent through a batch API at its "
                "discount, which these logs do not mark (batching every one would take off "
                f"{money(batchable)})",
                known=False,
            )
        )
    return Reconciliation(computed, paid, requests, explanations)
