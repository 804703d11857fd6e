"""passu db backup, db restore and db roles."""

from __future__ import annotations

from pathlib import Path

import click

from passu.portfolio.interchange import backup as backups
from passu.portfolio.store import roles as db_roles

from .context import Settings, pass_settings
from .paths import output_file, writes_to


@click.group("db")
def db() -> None:
    """Look after the database: backup, restore, and PostgreSQL roles for a team."""


@db.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@pass_settings
def backup(settings: Settings, file: Path) -> None:
    """Back up the whole database into FILE (never overwriting one).

    SQLite: an SQLite file made with the online backup API, consistent even
    while someone else writes. PostgreSQL: a zip of the interchange export
    (CSV) plus every other table passu owns (runs and their history, the audit
    log, loaded gilt yields, the INDIGO market tables), read as one snapshot.
    Either way each table's row count and SHA-256 go with it, and restore
    checks them before writing anything.

    \b
    Examples:
      passu db backup passu-2026-10-31.db
      passu --database postgresql://fund@db.example/passu db backup passu-2026-10-31.zip
    """
    output_file(file)
    with writes_to(file):
        report = backups.backup(settings.engine, file)
    for table, rows in report.tables:
        settings.say(f"{table}: {rows} rows")
    settings.say(f"backed up to {report.path}")


@db.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@pass_settings
def restore(settings: Settings, file: Path) -> None:
    """Restore a backup into this database, which must be empty (else exit 3).

    Everything is restored in one transaction: the portfolio, valuation runs
    and their history, loaded gilt yields and every audit record as it was,
    plus one new audit record of the restore. A zip restores on SQLite or
    PostgreSQL; an SQLite backup on SQLite.

    \b
    Example:
      passu --database sqlite:///restored.db init
      passu --database sqlite:///restored.db db restore passu-2026-10-31.db
    """
    report = backups.restore(settings.engine, file, user=settings.who)
    for notice in report.notices:
        settings.say(notice)
    for table, rows in report.tables:
        settings.say(f"{table}: {rows} rows")
    settings.say(f"restored {report.path}")


@db.command("roles")
@click.option(
    "--apply", "apply_", is_flag=True, help="Execute the SQL (needs a role that may grant)."
)
@click.option(
    "--reader",
    default=db_roles.READER,
    show_default=True,
    help="Read-only role: committee members and shareholders.",
)
@click.option(
    "--writer",
    default=db_roles.WRITER,
    show_default=True,
    help="Writer role: fund managers (audit_log: SELECT and INSERT only).",
)
@pass_settings
def roles(settings: Settings, apply_: bool, reader: str, writer: str) -> None:
    """Print (or with --apply, execute) the PostgreSQL roles for a team.

    The reader role may connect and SELECT every table (also tables added by
    later migrations); the writer role may change data tables but only read
    and add to audit_log. Give people login users in these roles, e.g.
    CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE passu_reader.
    SQLite has no users: it exits 2 (protect the file instead).

    \b
    Examples:
      passu --database postgresql://postgres@db.example/passu db roles
      passu --database postgresql://postgres@db.example/passu db roles --apply
    """
    if apply_:
        statements = db_roles.apply_roles(
            settings.engine, reader=reader, writer=writer, user=settings.who
        )
        settings.say(f"applied {len(statements)} statements: roles {reader} and {writer}")
    else:
        statements = db_roles.role_sql(settings.engine, reader=reader, writer=writer)
        click.echo("\n".join(statements))


COMMANDS = (db,)
