"""What every command shares: the database, the user and quietness."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import make_url

from passu.portfolio.audit import current_user
from passu.portfolio.database import Engine, make_engine, normalise_url, resolve_url
from passu.portfolio.errors import UsageError


@dataclass
class Settings:
    database: str | None = None
    user: str | None = None
    quiet: bool = False
    creates: bool = False  # only `passu init` may bring a new SQLite file into being
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return resolve_url(self.database)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if not self.creates:
                _require_sqlite_file(self.url)
            self._engine = make_engine(self.database)
        return self._engine

    @property
    def who(self) -> str:
        return current_user(self.user)

    def say(self, message: str) -> None:
        """Progress and notices: stderr, silenced by --quiet."""
        if not self.quiet:
            click.echo(message, err=True)


pass_settings: Any = click.make_pass_decorator(Settings, ensure=True)


def _require_sqlite_file(url: str) -> None:
    """A mistyped SQLite path is an error, not a new empty database left behind."""
    try:
        parsed = make_url(normalise_url(url))
    except Exception:
        return  # make_engine says what is wrong with the URL
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return
    if not Path(path).exists():
        raise UsageError(f"no database at {path}: run `passu init` first")
