"""Errors as data: every problem names its file, row and column (beancount's way).

The CLI turns :class:`InputError` into one line per problem and exit code 2,
:class:`ConflictError` into exit code 3; neither ever shows a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

# One Problem type for the ledger's reader and for import: valuation/ defines it.
from passu.valuation.problems import Problem, show

__all__ = ["ConflictError", "InputError", "PassuError", "Problem", "UsageError", "show"]


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
