"""``passu report committee --summary``: the fund-level pack, without a page per project."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from passu.cli.main import cli
from passu.portfolio.store.database import make_engine, upgrade

from ..portfolio.builders import a_portfolio, write_csvs


def _run(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _outline(path: Path) -> list[str]:
    return [item.title for item in PdfReader(path).outline if not isinstance(item, list)]


def test_the_summary_pack_leaves_out_the_project_pages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'passu.db'}"
    upgrade(make_engine(url))
    _run(url, "import", str(write_csvs(tmp_path / "in", a_portfolio())))
    _run(url, "value", "--as-of", "2016-12-31", "--save")
    full, summary = tmp_path / "full.pdf", tmp_path / "summary.pdf"
    _run(url, "report", "committee", "--as-of", "2016-12-31", "--no-cache", "-o", str(full))
    _run(
        url,
        "report",
        "committee",
        "--as-of",
        "2016-12-31",
        "--no-cache",
        "--summary",
        "-o",
        str(summary),
    )
    projects = [t for t in _outline(full) if t not in _outline(summary)]
    assert projects, "the full pack has a page per project, the summary none"
    assert set(_outline(summary)) <= set(_outline(full))
    assert "Methods and sources" in _outline(summary)
    assert len(PdfReader(summary).pages) < len(PdfReader(full).pages)
