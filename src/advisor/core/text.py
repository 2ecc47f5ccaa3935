"""Text from files made safe to show: the one helper every face and message uses.

Profile names, notes, model names, catalog sources and file names come from files nobody here
wrote. A name holding "\\x1b]0;owned\\x07" or "\\x1b[2J" would retitle or clear the reader's
terminal if it were printed raw (Rich and Textual pass ESC through as they are given it), and a
10 MB model name would make a 10 MB message. So:

- `printable` writes every character that is not printable (control and format characters,
  line and paragraph separators, bidirectional overrides) as a Python escape: shown, not obeyed;
- `clip` cuts a text to a length, with an ellipsis;
- `quoted` is how a message quotes a value from a file: repr, escaped and clipped (80 characters);
- `printable_strings` does `printable` to every text inside a decision (named tuples, tuples,
  lists, dicts), so faces that render it need not think of it.
"""

from __future__ import annotations

import reprlib
from typing import Any, Final

QUOTE_LIMIT: Final = 80  # characters of a value quoted in a message
ELLIPSIS: Final = "…"


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, keep: str = "") -> str:
    """`text` with each character that is not printable (str.isprintable) escaped, except
    those in `keep` (e.g. "\\n" for a message of several lines)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else _escape(c) for c in text)


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """At most `limit` characters: the start of a longer text and an ellipsis."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = QUOTE_LIMIT
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def quoted(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """A value from a file as a message quotes it: 'gpt-9', 5e-324, [1, 2, ...]; never longer
    than `limit` characters, never a control character, never deep (reprlib)."""
    if isinstance(value, str):
        shown = repr(value[: limit + 1])  # repr escapes control characters
        if len(value) <= limit and len(shown) <= limit:
            return shown
        return shown[0] + shown[1:-1][: max(limit - 3, 0)] + ELLIPSIS + shown[-1]
    try:
        shown = _REPR.repr(value)
    except (RecursionError, ValueError):  # a number of thousands of digits, say
        shown = f"<a {type(value).__name__} too long to show>"
    return clip(printable(shown), limit)


def printable_strings(
    value: Any,
    keep_multiline: frozenset[str] = frozenset({"notes"}),
    skip: frozenset[str] = frozenset(),
) -> Any:
    """`value` with every text inside it made printable; the same object when nothing changed.

    Named tuples, tuples, lists and dicts are walked; fields named in `keep_multiline` keep
    their line breaks and tabs; fields named in `skip` are left as they are."""
    return _walk(value, "", _Names(keep_multiline, skip), 0)


class _Names:
    def __init__(self, multiline: frozenset[str], skip: frozenset[str]) -> None:
        self.multiline, self.skip = multiline, skip

    def __contains__(self, name: str) -> bool:
        return name in self.multiline


def _walk(value: Any, name: str, multiline: _Names, depth: int) -> Any:
    if isinstance(value, str):
        return printable(value, "\n\t" if name in multiline else "")
    if depth > 20 or name in multiline.skip or not isinstance(value, tuple | list | dict):
        return value
    if isinstance(value, dict):
        changed, items = False, {}
        for key, item in value.items():
            new_key = _walk(key, "", multiline, depth + 1)
            new_item = _walk(item, str(key), multiline, depth + 1)
            changed = changed or new_key is not key or new_item is not item
            items[new_key] = new_item
        return items if changed else value
    fields = getattr(value, "_fields", None)
    names = fields if fields is not None else ("",) * len(value)
    walked = [_walk(v, n, multiline, depth + 1) for v, n in zip(value, names, strict=True)]
    if all(a is b for a, b in zip(walked, value, strict=True)):
        return value
    if fields is not None:
        return type(value)(*walked)
    return type(value)(walked)
