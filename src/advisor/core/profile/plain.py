"""A profile file checked without pydantic, for `advisor report` (its start-up budget: importing
pydantic and building the profile's validators takes longer than deciding).

The fields are the pydantic model's own (plain_spec.py, generated from model.py and compared
by a test). A profile is taken here only when every value is one the model certainly takes
(strict types, bounds, choices, no unknown key, a finite number, schema 2), with the values
the model would give it: a number field's integer becomes a float, a share under one in a
billion is none, a key left out is the model's default. Anything else returns None, and the
caller checks the file with pydantic, which says what is wrong. Property tests hold the two
to the same answers.
"""

from __future__ import annotations

import math
from typing import Any

from advisor.core.profile.plain_spec import SECTIONS

_NOT_TAKEN = object()


class PlainSection:
    """A section of a profile checked here: its answers as attributes, and the two things the
    core asks of a pydantic model (`model_fields_set`, `model_dump`)."""

    def __init__(self, kind: str, values: dict[str, Any], given: set[str]) -> None:
        self._kind = kind
        self._given = given
        self.__dict__.update(values)

    @property
    def model_fields_set(self) -> set[str]:
        return set(self._given)

    def model_dump(
        self, *, exclude: set[str] | None = None, exclude_none: bool = False
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in SECTIONS[self._kind]:
            if exclude and name in exclude:
                continue
            value = getattr(self, name)
            if isinstance(value, PlainSection):
                value = value.model_dump(exclude_none=exclude_none)
            elif isinstance(value, list):
                value = list(value)
            if exclude_none and value is None:
                continue
            out[name] = value
        return out


def plain_profile(data: dict[str, Any]) -> PlainSection | None:
    """The profile these TOML data make, or None where pydantic must look at them (an empty
    file is refused there: a truncated file is not a profile of defaults)."""
    if not data:
        return None
    found = _section("Profile", data)
    return None if found is _NOT_TAKEN else found


def _section(kind: str, data: Any) -> Any:
    if type(data) is not dict:
        return _NOT_TAKEN
    fields = SECTIONS[kind]
    if not set(data) <= set(fields):
        return _NOT_TAKEN  # an unknown key: pydantic names it, and the nearest known one
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name in data:
            value = _value(spec, data[name])
            if value is _NOT_TAKEN:
                return _NOT_TAKEN
        elif spec["kind"] == "section":
            value = _section(spec["section"], {})
        else:
            value = spec["default"]
        values[name] = value
    return PlainSection(kind, values, set(data))


def _value(spec: dict[str, Any], value: Any) -> Any:
    kind = spec["kind"]
    if kind == "section":
        return _section(spec["section"], value)
    if kind == "float":
        if type(value) not in (int, float):
            return _NOT_TAKEN
        try:
            value = float(value)
        except OverflowError:
            return _NOT_TAKEN
        if not math.isfinite(value):
            return _NOT_TAKEN
    elif kind == "int":
        if type(value) is not int:
            return _NOT_TAKEN
    elif kind == "bool":
        if type(value) is not bool:
            return _NOT_TAKEN
    elif kind == "str":
        if type(value) is not str:
            return _NOT_TAKEN
    elif kind == "literal":
        if not any(type(value) is type(v) and value == v for v in spec["values"]):
            return _NOT_TAKEN
    elif kind == "list":
        if type(value) is not list:
            return _NOT_TAKEN
        items = [_value(spec["item"], item) for item in value]
        if any(item is _NOT_TAKEN for item in items):
            return _NOT_TAKEN
        value = items
    else:
        return _NOT_TAKEN
    if not _within(spec["bounds"], value):
        return _NOT_TAKEN
    after = spec["after"]
    if after == "share":
        return 0.0 if value < 1e-9 else value
    if after == "ordered":
        return value if value[0] <= value[1] else _NOT_TAKEN
    return value if after is None else _NOT_TAKEN


def _within(bounds: dict[str, Any], value: Any) -> bool:
    for name, limit in bounds.items():
        if name == "ge" and not value >= limit:
            return False
        if name == "gt" and not value > limit:
            return False
        if name == "le" and not value <= limit:
            return False
        if name == "lt" and not value < limit:
            return False
        if name == "min_length" and not len(value) >= limit:
            return False
        if name == "max_length" and not len(value) <= limit:
            return False
    return True
