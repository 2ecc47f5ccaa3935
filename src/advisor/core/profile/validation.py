"""Turn pydantic validation errors into InputErrors a person can act on."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor.core.bounds import PEAK_TO_AVERAGE_MAX
from advisor.core.errors import InputError, InputErrors
from advisor.core.files.toml import find_line
from advisor.core.text import clip, printable, quoted

MAX_ERRORS = 10  # problems a message lists; a file of 60,000 wrong keys says how many more

_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a text in quotes",
    "model_type": "a table",
    "dict_type": "a table",
    "list_type": "a list",
}

# Why a bound is what it is, where the number alone would puzzle (keyed by field name).
_BOUND_REASONS = {
    "peak_to_average": (
        "the busiest hour's traffic over an average hour's: 1 is perfectly even traffic, "
        f"{PEAK_TO_AVERAGE_MAX:g} a whole day's traffic in a single hour"
    ),
}


def _fields(kind: Any) -> dict[str, Any] | None:
    """Field name -> type for a pydantic model or a named tuple; None for anything else."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {name: f.annotation for name, f in kind.model_fields.items()}
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        return typing.get_type_hints(kind)
    return None


def _fields_at(model: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed in the table that holds `loc`'s last key."""
    current: Any = model
    for part in loc[:-1]:
        fields = _fields(current)
        if fields is not None:
            current = fields.get(str(part))
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]  # an entry of a table or list
        else:
            return []
        while typing.get_origin(current) is typing.Annotated:
            current = typing.get_args(current)[0]
    return list(_fields(current) or {})


def _describe(error: Any, model: Any) -> tuple[str, str | None]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    given = error.get("input")
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        names = _fields_at(model, loc)
        close = difflib.get_close_matches(str(loc[-1])[:100], names, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        return f"unknown key.{hint}", ", ".join(names) if names else None
    if kind == "literal_error":
        return f"{quoted(given)} is not one of the choices.", str(ctx.get("expected", ""))
    if kind in _TYPE_WORDS:
        return f"{quoted(given)} has the wrong type.", _TYPE_WORDS[kind]
    bounds = {
        "greater_than": "greater than {gt}",
        "greater_than_equal": "at least {ge}",
        "less_than": "less than {lt}",
        "less_than_equal": "at most {le}",
    }
    if kind in bounds:
        allowed = bounds[kind].format(**{k: _plain(v) for k, v in ctx.items()})
        why = _BOUND_REASONS.get(str(loc[-1])) if loc else None
        return f"{quoted(given)} is out of range.", f"{allowed} ({why})" if why else allowed
    if kind == "finite_number":  # TOML reads nan, inf and 1e400 (as inf)
        return f"{quoted(given)} is not a finite number.", "a finite number"
    if kind in ("missing", "missing_argument"):
        return "is required.", None
    message = str(error.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ")
    return message[0].lower() + message[1:] + ".", None


def _plain(bound: Any) -> Any:
    """A bound as a person writes it: 10,000,000,000 and 24, not 10000000000.0 and 24.0."""
    if isinstance(bound, bool) or not isinstance(bound, int | float):
        return bound
    return f"{bound:,.0f}" if float(bound).is_integer() else f"{bound:,g}"


def to_input_errors(exc: ValidationError, file: str, text: str | None, model: Any) -> InputErrors:
    """One InputError per pydantic error, with the field path and line where known."""
    return input_errors(exc.errors(include_url=False), exc.error_count(), file, text, model)


def input_errors(
    errors: list[Any], total: int | None, file: str, text: str | None, model: Any
) -> InputErrors:
    """The first MAX_ERRORS of pydantic's error dicts as InputErrors, and how many more there
    are (`total`; None: more, not counted)."""
    found: list[InputError] = []
    for error in errors[:MAX_ERRORS]:
        loc = tuple(error["loc"])
        problem, allowed = _describe(error, model)
        field = ".".join(clip(printable(str(p)), 80) for p in loc) or None
        line = find_line(text, loc) if text is not None and loc else None
        found.append(InputError(file, problem, field=field, line=line, allowed=allowed))
    if total is None and len(errors) > MAX_ERRORS:
        found.append(InputError(file, "and more problems after these."))
    elif total is not None and total > MAX_ERRORS:
        more = total - MAX_ERRORS
        found.append(
            InputError(file, f"and {more:,} more problem{'s' if more > 1 else ''} after these.")
        )
    return InputErrors(found)
