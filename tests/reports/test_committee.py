"""The committee pack: figures equal the stored run's, pages per project, refusals."""

from __future__ import annotations

import datetime as dt
import shutil

from click.testing import CliRunner

from passu.cli.main import cli
from passu.portfolio.reporting import committee_bundle
from passu.portfolio.store.runs import get_run
from passu.portfolio.value import value_document
from passu.reports import committee
from passu.reports.committee import build_committee_pack, render_committee_pack
from passu.valuation.report_sections import HISTORY_KEYS

from .builders import AS_OF
from .pdf import page_count, pages_as_png, pdf_text, squashed


def test_key_figures_in_the_pdf_are_the_stored_runs(sample_engine, all_pack):
    _pack, path = all_pack
    stored = get_run(sample_engine, AS_OF, "ALL")
    document = stored.document
    text = pdf_text(path)
    # the sample's figures (README, "What the sample shows"), as the pack rounds them:
    expected = [
        "£25.0m",  # committed £25,000,000.00
        "£19.9m",  # paid-in £19,900,000.00
        "£19.4m",  # distributed £19,449,481.43
        "£1.1m",  # NAV £1,130,724.91
        "0.9%",  # net IRR 0.91%
        "2.1%",  # gross IRR 2.12%
        "1.03x",  # TVPI (19,449,481.43 + 1,130,724.91) ÷ 19,900,000 = 1.034
        "0.98x",  # DPI 19,449,481.43 ÷ 19,900,000 = 0.977
        "0.06x",  # RVPI 1,130,724.91 ÷ 19,900,000 = 0.057
        "2.2%",  # cost of capital 2.16%
        "0.93%",  # HM Treasury benchmark, to two places
        "+123 bp",  # spread 2.16% − 0.93%
        "£72.2m",  # outcome payments £72,200,000.00
        "£164.0m",  # fiscal value
        "£444.0m",  # economic value
        "£224.0m",  # social value
        "£832.0m",  # total 164 + 444 + 224
        "£11.52",  # value per £1 of outcome payments: 832.0 ÷ 72.2 = 11.52
    ]
    missing = [figure for figure in expected if figure not in text]
    assert missing == []
    # the cover names the run and its data fingerprint, and says what the data are
    assert document["fingerprint"] in squashed(text)
    assert f"run {stored.info.run_id}" in text
    assert "CONFIDENTIAL" in text
    assert "Illustrative data" in text
    for project in document["projects"]:
        assert project["project_id"] in text


def test_every_project_has_a_page_so_the_pack_grows_with_them(sample_engine, all_pack, artefacts):
    pack, path = all_pack
    one_fund = build_committee_pack(committee_bundle(sample_engine, AS_OF, "SOF1"))
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


def test_the_stored_history_equals_value_document_at_each_year_end(sample_engine):
    history = get_run(sample_engine, AS_OF, "ALL").document["history"]
    days = [p["as_of"] for p in history["year_ends"]]
    # the sample's first call is in 2013: every 31 December from 2013 to 2025
    assert days == [f"{year}-12-31" for year in range(2013, 2026)]
    point = history["year_ends"][5]
    fund = value_document(sample_engine, dt.date(2018, 12, 31))["fund"]
    assert {k: point[k] for k in HISTORY_KEYS} == {k: fund[k] for k in HISTORY_KEYS}


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
