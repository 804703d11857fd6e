"""Problems with an input, as data: each names its file, row and column (beancount's way).

Reading and checking a portfolio (``Ledger.from_csv``, ``passu import``) collects
every problem before giving up, so a user fixes them all in one pass. portfolio's
``InputError`` carries the same problems to the CLI, which prints one line each.
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


class LedgerInputError(ValueError):
    """A portfolio's tables were refused: every problem found, one line each."""

    def __init__(self, problems: Sequence[Problem] | Problem) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def show(value: object, limit: int = 40) -> str:
    """A found value as a user would recognise it in their file, quoted and shortened."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if text else "an empty cell"
