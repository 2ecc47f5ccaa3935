"""Errors the faces turn into a clear message (and exit code 2), never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: names the file, the field (and line where known) and what is allowed."""

    def __init__(
        self,
        file: str,
        problem: str,
        field: str | None = None,
        line: int | None = None,
        allowed: str | None = None,
    ) -> None:
        super().__init__(file, problem, field, line, allowed)
        self.file, self.problem, self.field = file, problem, field
        self.line, self.allowed = line, allowed

    def moved(self, file: str, line: int | None) -> InputError:
        """The same problem, addressed to another file and line."""
        return InputError(file, self.problem, self.field, line, self.allowed)

    def __str__(self) -> str:
        """One paragraph; whatever came from a file is escaped and no part runs on for ever
        (values are quoted short where the problem is worded; this is the net below that)."""
        from advisor.core.text import clip, printable

        where = clip(printable(self.file), 300)
        if self.line is not None:
            where += f", line {self.line}"
        text = f"{where}: "
        if self.field:
            text += f"{clip(printable(self.field), 200)}: "
        text += clip(printable(self.problem), 2000)
        if self.allowed:
            text += f" Allowed: {clip(printable(self.allowed), 1000)}."
        return text


class InputErrors(Exception):
    """Several problems found in one file; each is an InputError."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
