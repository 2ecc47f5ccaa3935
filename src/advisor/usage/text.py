"""Text from the logs made safe to show on a terminal.

Model names, file names, CSV headers and JSON keys come from files nobody here wrote. A name
holding "\\x1b]0;owned\\x07" or "\\x1b[2J" would retitle or clear the reader's terminal if it
were printed raw; `printable` writes every character that is not printable (control and format
characters, line and paragraph separators, bidirectional overrides) as a Python escape, so
the name is shown, not obeyed.
"""

from __future__ import annotations


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
