"""The profile format's schema version, without the model (a report reads it before, or
instead of, importing pydantic)."""

from __future__ import annotations

from typing import Any, Final

SCHEMA_VERSION: Final = 2


def schema_of(data: dict[str, Any]) -> int:
    """The schema version a raw profile says it is (the current one when it says nothing)."""
    version = data.get("schema_version", SCHEMA_VERSION)
    return version if isinstance(version, int) and not isinstance(version, bool) else 0
