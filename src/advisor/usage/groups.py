"""What a bill is computed from: the requests tallied by (model, UTC day, size band, kind).

- the day: a request is priced at the price in force on its UTC date (`ApiModel.price_on`);
- the size band: how many of the catalog's long-context thresholds (`tier_thresholds`) the
  request's input exceeds, so that a tier's prices apply to exactly the requests above it;
- the kind: `BATCH` (a Batch API result, billed at the model's batch discount) and `PROXY_HIT`
  (answered from LiteLLM's own response cache: no provider call, nothing billed).

Each tally keeps the requests, the input tokens (all of them, cache reads and writes included),
the cache reads and writes, the output tokens, and the spend the logs record. A batch of rows is
split into its groups once (sorted by group, each group summed at C speed), so a million rows
make a few hundred tallies, not a million.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from advisor.core.catalog.model import Catalog

BATCH = 1  # kind bits
PROXY_HIT = 2


class GroupKey(NamedTuple):
    model: str
    day: int  # the UTC date's ordinal (date.toordinal)
    band: int  # how many tier thresholds the input exceeds
    kind: int  # BATCH | PROXY_HIT


@dataclass
class Tally:
    requests: int = 0
    input: int = 0  # every input token, cache reads and writes included
    cached: int = 0  # read from the prompt cache
    written: int = 0  # written to the prompt cache
    output: int = 0
    spend: float = 0.0  # what the logs say was paid, dollars
    spend_rows: int = 0  # requests whose spend the logs record

    def merge(self, other: Tally) -> None:
        self.requests += other.requests
        self.input += other.input
        self.cached += other.cached
        self.written += other.written
        self.output += other.output
        self.spend += other.spend
        self.spend_rows += other.spend_rows


def tier_thresholds(catalog: Catalog) -> tuple[int, ...]:
    """Every long-context threshold in the catalog, ascending."""
    return tuple(
        sorted({t.above_input_tokens for m in catalog.api_models.values() for t in m.tiers})
    )


def band_of(thresholds: Sequence[int], input_tokens: int) -> int:
    """How many thresholds the input exceeds (a tier applies above its threshold)."""
    return bisect_left(thresholds, input_tokens)


def _sums(
    idx: Sequence[int] | None,
    ins: Sequence[int],
    cached: Sequence[int] | None,
    written: Sequence[int] | None,
    outs: Sequence[int],
    spends: Sequence[float | None] | None,
) -> Tally:
    """The tally of the rows `idx` (None: every row)."""

    def total(column: Sequence[int] | None) -> int:
        if column is None:
            return 0
        return sum(column) if idx is None else sum(map(column.__getitem__, idx))

    tally = Tally(
        requests=len(ins) if idx is None else len(idx),
        input=total(ins),
        cached=total(cached),
        written=total(written),
        output=total(outs),
    )
    if spends is not None:
        picked: Iterable[float | None] = spends if idx is None else map(spends.__getitem__, idx)
        known = [s for s in picked if s is not None]
        tally.spend, tally.spend_rows = math.fsum(known), len(known)
    return tally


def split(
    keys: Sequence[Any],
    ins: Sequence[int],
    cached: Sequence[int] | None,
    written: Sequence[int] | None,
    outs: Sequence[int],
    spends: Sequence[float | None] | None,
) -> list[tuple[Any, Tally]]:
    """Each distinct key of a batch with the tally of its rows."""
    distinct = set(keys)
    if len(distinct) == 1:
        return [(next(iter(distinct)), _sums(None, ins, cached, written, outs, spends))]
    numbers = {key: i for i, key in enumerate(distinct)}
    by_key = list(map(numbers.__getitem__, keys))
    order = sorted(range(len(keys)), key=by_key.__getitem__)
    found = []
    for _, rows in groupby(order, key=by_key.__getitem__):
        idx = list(rows)
        found.append((keys[idx[0]], _sums(idx, ins, cached, written, outs, spends)))
    return found
