"""Progress bars for long work (import, value, check, the pack), on stderr, on a terminal only.

A bar is drawn when stderr is a terminal (as rich decides it: a tty, or
``TTY_COMPATIBLE=1``) and ``--quiet`` was not given; otherwise nothing is drawn and
notices go to stderr as lines, as before. stdout is never touched, so with
``--format json|csv`` it holds only the document. The bar is transient: it is gone
when the work ends, leaving the notices printed above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from .context import Settings


class Bar:
    """What a command tells its progress bar: notices and, where known, steps done."""

    def __init__(self, settings: Settings, progress: Progress | None, task: TaskID | None) -> None:
        self._settings = settings
        self._progress = progress
        self._task = task

    @property
    def shown(self) -> bool:
        return self._progress is not None

    def say(self, message: str) -> None:
        """A notice: printed above the bar (or as a line on stderr without one)."""
        if self._progress is None or self._task is None:
            self._settings.say(message)
            return
        self._progress.console.print(message, highlight=False, markup=False)

    def update(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps finished (a bar without a total only pulses)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, total=total)


def _stderr() -> Console:
    return Console(stderr=True)


@contextmanager
def progress_bar(settings: Settings, label: str, *, total: int | None = None) -> Iterator[Bar]:
    """A bar labelled ``label`` while the block runs; pulsing until told a total."""
    console = _stderr()
    if settings.quiet or not console.is_terminal:
        yield Bar(settings, None, None)
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield Bar(settings, progress, task)
