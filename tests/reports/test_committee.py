"""The committee pack: figures equal the stored run's, pages per project, refusals."""

from __future__ import annotations

import datetime as dt
import shutil

from click.testing import CliRunner

from passu.cli.main import cli
from passu.portfolio.store.runs import get_run
from passu.portfolio.value import value_document
from passu.reports import committee
from passu.reports.committee import (
    build_committee_pack,
    render_committee_pack,
    year_end_valuer,
)
from passu.reports.formatting import basis_points, money_short, multiple, per_pound, percent

from .builders import AS_OF, flat_history
from .pdf import page_count, pages_as_png, pdf_text, squashed


def test_key_figures_in_the_pdf_are_the_stored_runs(sample_engine, all_pack):
    _pack, path = all_pack
    stored = get_run(sample_engine, AS_OF, "ALL")
    document = stored.document
    fund, outcomes, value = document["fund"], document["outcomes"], document["social_value"]
    text = pdf_text(path)
    expected = [
        money_short(fund["committed"]),
        money_short(fund["paid_in"]),
        money_short(fund["distributed"]),
        money_short(fund["nav"]),
        percent(fund["net_irr"]),
        percent(fund["gross_irr"]),
        multiple(fund["tvpi"]),
        multiple(fund["dpi"]),
        multiple(fund["rvpi"]),
        percent(fund["cost_of_capital"]),
        percent(fund["hmt_benchmark"], 2),
        basis_points(fund["spread_bps"]),
        money_short(outcomes["payments"]),
        money_short(value["fiscal"]),
        money_short(value["economic"]),
        money_short(value["social"]),
        money_short(value["total"]),
        per_pound(value["per_pound_paid"]["total"]),
    ]
    missing = [figure for figure in expected if figure not in text]
    assert missing == []
    # the published programme's totals, as the seed figures print them
    for published in ("£72.2m", "£164.0m", "£224.0m", "£444.0m", "£832.0m"):
        assert published in text
    # the cover names the run and its data fingerprint, and says what the data are
    assert document["fingerprint"] in squashed(text)
    assert f"run {stored.info.run_id}" in text
    assert "CONFIDENTIAL" in text
    assert "Illustrative data" in text
    for project in document["projects"]:
        assert project["project_id"] in text


def test_every_project_has_a_page_so_the_pack_grows_with_them(sample_engine, all_pack, artefacts):
    pack, path = all_pack
    one_fund = build_committee_pack(
        sample_engine, AS_OF, "SOF1", value_at=flat_history(sample_engine, "SOF1")
    )
    small = artefacts / "committee-SOF1.pdf"
    render_committee_pack(one_fund, small)
    fewer = len(pack.projects) - len(one_fund.projects)
    assert fewer > 0
    assert page_count(path) - page_count(small) >= fewer


def test_tables_repeat_their_header_on_every_page(all_pack):
    _pack, path = all_pack
    pages = [squashed(page) for page in pdf_text(path).split("\f")]
    # the holders table spans pages; its header row heads each of them
    holders = [p for p in pages if "Shareoftranche" in p]
    assert len(holders) >= 2
    assert all(p.index("Shareoftranche") < p.index("Loan") for p in holders)


def test_the_history_reads_once_and_equals_value_document(sample_engine):
    year_end = dt.date(2018, 12, 31)
    recomputed = year_end_valuer(sample_engine, AS_OF, None)(year_end)
    assert recomputed["fund"] == value_document(sample_engine, year_end)["fund"]


def test_no_saved_run_is_a_usage_error_naming_the_command(sample_engine, tmp_path):
    url = sample_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli,
        [
            "--database",
            url,
            "report",
            "committee",
            "--as-of",
            "2025-01-31",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 2
    assert "passu value --as-of 2025-01-31" in result.output
    assert "--save" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_jobs_must_be_a_positive_count(tmp_path):
    result = CliRunner().invoke(
        cli, ["--database", f"sqlite:///{tmp_path / 'x.db'}", "report", "committee", "--jobs", "0"]
    )
    assert result.exit_code == 2
    assert "--jobs" in result.output and "0 is not in the range x>=1" in result.output
    assert not (tmp_path / "x.db").exists()


def test_report_committee_command_renders_the_pack_with_recomputed_history(
    sample_engine, artefacts, monkeypatch
):
    asked: list[int | None] = []

    class Spy(committee.PartRenderer):
        def __init__(self, jobs: int | None = None) -> None:
            asked.append(jobs)
            super().__init__(jobs)

    monkeypatch.setattr(committee, "PartRenderer", Spy)
    url = sample_engine.url.render_as_string(hide_password=False)
    out = artefacts / "committee-cli-ALL.pdf"
    result = CliRunner().invoke(
        cli,
        [
            "--database",
            url,
            "--quiet",
            "report",
            "committee",
            "--as-of",
            "2026-10-31",
            "-o",
            str(out),
            "--jobs",
            "1",  # the option reaches the renderer: one process, the pack as with two
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    assert asked == [1]
    text = pdf_text(out)
    assert "recomputed" in text
    if shutil.which("pdftoppm"):  # the first pages as PNG, to look at (test-artefacts/)
        assert len(pages_as_png(out, artefacts, pages=8)) == 8
