"""Errors as data: every problem names its file, row and column (beancount's way).

The CLI turns :class:`InputError` into one line per problem and exit code 2,
:class:`ConflictError` into exit code 3; neither ever shows a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input. ``row`` 1 is the first data row; 0 is the header."""

    file: str
    row: int | None
    column: str | None
    expected: str
    found: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append("header" if self.row == 0 else f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        found = f", found {self.found}" if self.found else ""
        return f"{', '.join(where)}: expected {self.expected}{found}"


class PassuError(Exception):
    """Base for errors a user can act on (never shown with a traceback)."""

    exit_code = 2


class InputError(PassuError):
    """Bad input: one or more problems, all reported together; nothing was written."""

    def __init__(self, problems: Sequence[Problem] | Problem) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(PassuError):
    """A command was asked for something it cannot do (a missing run, an unknown id)."""


class ConflictError(PassuError):
    """Another writer holds the lock, a run already exists, or a period is locked."""

    exit_code = 3


def show(value: object, limit: int = 40) -> str:
    """A found value as a user would recognise it in their file, quoted and shortened."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if text else "an empty cell"
