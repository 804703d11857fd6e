"""What every command shares: the database, the user and quietness."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from passu.portfolio.store.audit import current_user
from passu.portfolio.store.database import Engine, make_engine, resolve_url


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
            self._engine = make_engine(self.database, must_exist=not self.creates)
        return self._engine

    @property
    def who(self) -> str:
        return current_user(self.user)

    def say(self, message: str) -> None:
        """Progress and notices: stderr, silenced by --quiet."""
        if not self.quiet:
            click.echo(message, err=True)


pass_settings: Any = click.make_pass_decorator(Settings, ensure=True)
