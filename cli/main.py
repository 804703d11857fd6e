"""Entry point for the ``passu`` command: global options and error handling."""

from __future__ import annotations

import sys
from typing import Any

import click

from passu.portfolio.errors import InputError, PassuError
from passu.portfolio.store.database import refusal

from .context import Settings


class PassuGroup(click.Group):
    """Turns a user's mistake into one line per problem and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            click.echo("nothing was written", err=True)
            sys.exit(error.exit_code)
        except PassuError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except Exception as error:
            message = refusal(error)
            if message is None:
                raise  # a bug, not a user's mistake: the traceback helps to fix it
            click.echo(f"error: {message}", err=True)
            sys.exit(2)


@click.group(cls=PassuGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database",
    metavar="URL",
    help="Database URL (default: $PASSU_DATABASE_URL, else sqlite:///passu.db here). "
    "postgresql://user@host/db works too.",
)
@click.option(
    "--user",
    metavar="NAME",
    help="Who is acting, for the audit trail (default: $PASSU_USER, else your login name).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress or notices on stderr.")
@click.version_option(package_name="passu")
@click.pass_context
def cli(ctx: click.Context, database: str | None, user: str | None, quiet: bool) -> None:
    """passu: track social-investment funds that invest in outcomes partnerships.

    \b
    Start with the built-in illustrative sample:
      passu demo                      # writes ./passu-demo/passu.db and shows what to try
    Or with your own portfolio (docs/format.md: a folder of CSV files or an .xlsx workbook):
      passu init
      passu import my-portfolio/
      passu show fund
    """
    ctx.obj = Settings(database=database, user=user, quiet=quiet)


def _register() -> None:
    """Every ``cli/*_commands.py`` module contributes its ``COMMANDS``."""
    import importlib
    import pkgutil

    package = importlib.import_module(__package__ or "passu.cli")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.endswith("_commands"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for command in module.COMMANDS:
                cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="passu")
