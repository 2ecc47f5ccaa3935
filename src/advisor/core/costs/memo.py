"""A bounded memo for answers that depend on a catalog and a few inputs (the deployment
search's shapes, the cheapest way of buying a shape's GPUs): one decision, and a what-if sweep
even more, asks the same question thousands of times."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class CatalogMemo(Generic[T]):
    """Answers keyed by the catalog's identity and a tuple. The catalog is kept with each
    answer (an id can be reused once a catalog is freed); at most `size` answers, the oldest
    dropped first."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._answers: dict[tuple[Hashable, ...], tuple[object, T]] = {}

    def get(self, catalog: object, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        full = (id(catalog), *key)
        hit = self._answers.get(full)
        if hit is not None and hit[0] is catalog:
            return hit[1]
        found = compute()
        self._answers[full] = (catalog, found)
        if len(self._answers) > self.size:  # what-if sweeps: keep the memory bounded
            self._answers.pop(next(iter(self._answers)))
        return found
