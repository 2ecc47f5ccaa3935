"""Errors the faces turn into a clear message (and exit code 2), never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Bad input: names the file, the field (and line where known) and what is allowed."""

    file: str
    problem: str
    field: str | None = None
    line: int | None = None
    allowed: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        text = f"{where}: "
        if self.field:
            text += f"{self.field}: "
        text += self.problem
        if self.allowed:
            text += f" Allowed: {self.allowed}."
        return text


@dataclass
class InputErrors(Exception):
    """Several problems found in one file; each is an InputError."""

    errors: list[InputError]

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
