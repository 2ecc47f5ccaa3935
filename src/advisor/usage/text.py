"""Text from the logs made safe to show on a terminal: `printable`, the one helper of every face
(it lives in the core, advisor.core.text, so reports and the app use it too).

Model names, file names, CSV headers and JSON keys come from files nobody here wrote. A name
holding "\\x1b]0;owned\\x07" or "\\x1b[2J" would retitle or clear the reader's terminal if it
were printed raw; `printable` writes every character that is not printable as a Python escape,
so the name is shown, not obeyed.
"""

from __future__ import annotations

from advisor.core.text import printable

__all__ = ["printable"]
