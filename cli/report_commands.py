"""passu report: the committee pack and investor statements, as PDF, from stored runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from passu.portfolio.errors import UsageError

from .context import Settings, pass_settings
from .options import as_of_option
from .paths import default_file, output_file, output_folder, writes_to
from .progress import progress_bar

_OUTPUT = click.Path(dir_okay=False, path_type=Path)


@click.group("report")
def report() -> None:
    """PDF reports rendered from a saved valuation run (`passu value --save`)."""


@report.command("committee")
@as_of_option()
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: every fund together).")
@click.option(
    "-o",
    "--output",
    type=_OUTPUT,
    help="Where to write the PDF (default: committee-<scope>-<as-of>.pdf here).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Render the pack in N processes at once (default: one per CPU, at most 8; "
    "never more than the CPUs this machine has).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep laid-out pages in DIR and reuse those of unchanged parts (default: "
    "<database file>.pack-cache/ beside a SQLite file, else ~/.cache/passu/pack/<hash>/).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Lay out every page afresh, neither reading nor writing the pack cache.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="The fund-level pack only: no page per project, and each per-project or "
    "per-holding table cut to its 50 largest rows (for ledgers of thousands).",
)
@pass_settings
def committee(
    settings: Settings,
    as_of: dt.date,
    fund_id: str | None,
    output: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    summary: bool,
) -> None:
    """The investment committee's pack (A4 PDF) from the run saved for the as-of date.

    Cover, headline figures, forecast against actual, charts, the portfolio,
    the NAV bridge, co-investors and the pari passu check, the market view
    when INDIGO data are loaded, one page per project, methods and sources.

    Pages of parts that have not changed since an earlier pack (the fund's
    sections, each project's pages, the methods) are reused from the pack cache;
    the contents, page numbers, header and footer are always made afresh.

    \b
    Example:
      passu value --as-of 2026-10-31 --save
      passu report committee --as-of 2026-10-31 -o pack.pdf
      passu report committee --as-of 2026-10-31 --summary -o fund-pack.pdf
    """
    from passu.portfolio.reporting import committee_bundle
    from passu.reports.committee import committee_pack  # WeasyPrint loads only when used
    from passu.reports.pack_cache import PackCache
    from passu.reports.parts import available_cpus

    if no_cache and cache_dir is not None:
        raise UsageError("--cache DIR and --no-cache: choose one")
    path = output_file(
        output or default_file("committee", fund_id or "ALL", as_of.isoformat(), suffix=".pdf")
    )
    if cache_dir is not None:
        output_folder(cache_dir)
    cpus = available_cpus()
    if jobs is not None and jobs > cpus:
        settings.say(f"--jobs {jobs}: this machine has {cpus} CPUs, so {cpus} render processes")
        jobs = cpus
    cache = None if no_cache else PackCache(cache_dir or _default_cache(settings))
    bundle = committee_bundle(settings.engine, as_of, fund_id)
    settings.say(
        f"rendering the committee pack for {as_of} from run {bundle.run.info.run_id} "
        "(year-end history recomputed when the run was saved)"
    )
    with writes_to(path), progress_bar(settings, "committee pack") as bar:
        written = committee_pack(
            bundle, path, jobs=jobs, cache=cache, progress=bar.update, summary=summary
        )
    if cache is not None:
        settings.say(
            f"pack cache {cache.folder}: pages of {cache.hits} of "
            f"{cache.hits + cache.misses} parts reused"
        )
    click.echo(written)


def _default_cache(settings: Settings) -> Path:
    """Beside a SQLite file; for any other database, in the user's cache folder."""
    from passu.reports.pack_cache import default_cache_dir

    url = settings.engine.url
    database = url.database if url.get_backend_name() == "sqlite" else None
    sqlite_file = Path(database).resolve() if database and database != ":memory:" else None
    return default_cache_dir(sqlite_file, url.render_as_string(hide_password=True))


@report.command("shareholder")
@click.option("--investor", "investor_id", required=True, metavar="ID", help="The shareholder.")
@as_of_option()
@click.option("-o", "--output", type=_OUTPUT, help="Where to write the PDF.")
@pass_settings
def shareholder(settings: Settings, investor_id: str, as_of: dt.date, output: Path | None) -> None:
    """A government shareholder's pari passu statement (PDF).

    Its capital account in each fund, its IRR and multiples beside its share
    class's and the fund's, and the pari passu check over its class. No other
    investor is named; class totals only for classes of three or more.

    \b
    Example:
      passu report shareholder --investor DCMS --as-of 2026-10-31
    """
    from passu.portfolio.reporting import statement_bundle
    from passu.reports.statements import write_statement

    path = output_file(
        output or default_file("shareholder", investor_id, as_of.isoformat(), suffix=".pdf")
    )
    bundle = statement_bundle(settings.engine, as_of)
    with writes_to(path):
        click.echo(write_statement(bundle, investor_id, path, "shareholder"))


@report.command("capital-account")
@click.option("--investor", "investor_id", required=True, metavar="ID", help="The investor.")
@as_of_option()
@click.option("-o", "--output", type=_OUTPUT, help="Where to write the PDF.")
@pass_settings
def capital_account(
    settings: Settings, investor_id: str, as_of: dt.date, output: Path | None
) -> None:
    """Any investor's capital account statement, with its own calls and distributions (PDF).

    \b
    Example:
      passu report capital-account --investor CWSI --as-of 2026-10-31 -o cwsi.pdf
    """
    from passu.portfolio.reporting import statement_bundle
    from passu.reports.statements import write_statement

    path = output_file(
        output or default_file("capital-account", investor_id, as_of.isoformat(), suffix=".pdf")
    )
    bundle = statement_bundle(settings.engine, as_of)
    with writes_to(path):
        click.echo(write_statement(bundle, investor_id, path, "capital-account"))


COMMANDS = (report,)
