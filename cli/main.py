"""Entry point for the ``passu`` command: global options and error handling."""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from typing import Any

import click

from passu.portfolio.errors import InputError, PassuError
from passu.portfolio.store.database import refusal

from .context import Settings

PROBLEMS_SHOWN = 100  # a file with thousands of bad cells: the first hundred, then a count


class PassuGroup(click.Group):
    """Turns a user's mistake into one line per problem and an exit code, never a traceback.

    A bad option (click's usage errors) is one line too. Anything else is a bug in
    passu: one line saying so, exit code 1, and the traceback in a file to send with
    the report (shown on stderr as well when ``PASSU_DEBUG`` is set).
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            returned = super().main(*args, **kwargs)
        except click.exceptions.Abort:
            click.echo("error: interrupted; nothing was written", err=True)
            sys.exit(1)
        except click.ClickException as error:
            context = getattr(error, "ctx", None)
            hint = f" (see `{context.command_path} -h`)" if context is not None else ""
            click.echo(f"error: {error.format_message()}{hint}", err=True)
            sys.exit(error.exit_code)
        sys.exit(returned if isinstance(returned, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            for problem in error.problems[:PROBLEMS_SHOWN]:
                click.echo(f"error: {problem}", err=True)
            more = len(error.problems) - PROBLEMS_SHOWN
            if more > 0:
                click.echo(f"error: … and {more:,} more problems", err=True)
            click.echo("nothing was written", err=True)
            sys.exit(error.exit_code)
        except PassuError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as error:
            message = refusal(error)
            if message is not None:
                click.echo(f"error: {message}", err=True)
                sys.exit(2)
            click.echo(f"internal error: {_internal(error)}", err=True)
            sys.exit(1)


def _internal(error: Exception) -> str:
    """A bug in passu, in one line; its traceback kept in a file (and on stderr if asked)."""
    trace = "".join(traceback.format_exception(error))
    if os.environ.get("PASSU_DEBUG"):
        click.echo(trace, err=True)
    summary = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    try:
        handle, name = tempfile.mkstemp(prefix="passu-internal-error-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as log:
            log.write(trace)
    except OSError:
        return f"{summary[:300]} (a bug in passu; set PASSU_DEBUG=1 to see the traceback)"
    return f"{summary[:300]} (a bug in passu; the traceback is in {name}, please report it)"


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
