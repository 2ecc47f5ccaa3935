"""Value bounds for data files, declared without importing pydantic.

`Annotated[float, Bound(gt=0)]` marks a field's range. The catalog's entry types are plain
named tuples that faces can hold (and a decision can be pickled with) without pydantic being
imported; pydantic reads a Bound only when it validates a file (it calls
`__get_pydantic_core_schema__`), so the range check costs nothing until then.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

# The busiest hour's traffic over an average hour's: at most a whole day's traffic in one hour.
PEAK_TO_AVERAGE_MAX: Final = 24.0


class Bound(NamedTuple):
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        for key in ("gt", "ge", "lt", "le"):
            value = getattr(self, key)
            if value is not None:
                schema[key] = value
        return schema
