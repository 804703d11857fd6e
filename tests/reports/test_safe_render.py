"""Names and notes are text: they can never make the renderer read a file or reach a host."""

from __future__ import annotations

import pytest

from passu.portfolio.reporting import committee_bundle, statement_bundle
from passu.reports.committee import build_committee_pack, render_committee_pack
from passu.reports.render import RefusedURL, SafeFetcher, base_url
from passu.reports.statements import write_statement

from .builders import AS_OF, edit_csv
from .pdf import pdf_text, squashed
from .runs import reportable_portfolio

IMG = '<img src="file:///etc/hostname">'
LINK = '<link rel=stylesheet href="http://127.0.0.1:9/x.css">'
TEMPLATE = "{{ 7*7 }}"
FORBIDDEN = ("/etc/hostname", "127.0.0.1")


def test_the_fetcher_serves_only_passus_own_files():
    fetcher = SafeFetcher()
    assert fetcher(base_url() + "report.css").content_type == "text/css"
    for url in (
        "file:///etc/hostname",
        "http://127.0.0.1:9/x.css",
        "https://example.org/font.woff",
        base_url() + "../portfolio/data/SOURCES.md",
        "data:text/css;base64,Ym9keXt9",  # a data: URI passu did not write itself
    ):
        with pytest.raises(RefusedURL):
            fetcher(url)
    ours = fetcher.data_uri("image/svg+xml", b"<svg/>")
    assert fetcher(ours).read() == b"<svg/>"


def _hostile(folder):
    def rename_project(rows):
        for row in rows:
            if row["project_id"] == "FT-LONDON":
                row["name"] = IMG

    def rename_investors(rows):
        for row in rows:
            if row["investor_id"] == "DALE":  # a co-investor in FT-LONDON
                row["name"] = TEMPLATE
            if row["investor_id"] in ("HLND", "TIDE"):  # a co-investor; a fund's investor
                row["name"] = LINK

    def note_marks(rows):
        for row in rows:
            if row["project_id"] == "FT-LONDON" and row["holder_id"] == "SOF2":
                row["note"] = LINK

    edit_csv(folder, "projects", rename_project)
    edit_csv(folder, "investors", rename_investors)
    edit_csv(folder, "marks", note_marks)


@pytest.fixture(scope="module")
def hostile_engine(tmp_path_factory):
    return reportable_portfolio(tmp_path_factory.mktemp("hostile"), edit=_hostile)


def test_markup_and_template_syntax_in_data_print_as_text(hostile_engine, artefacts):
    pack = build_committee_pack(committee_bundle(hostile_engine, AS_OF, None))
    fetcher = SafeFetcher()
    path = artefacts / "committee-hostile.pdf"
    render_committee_pack(pack, path, fetcher=fetcher)
    text = squashed(pdf_text(path))
    for literal in (IMG, LINK, TEMPLATE):
        assert squashed(literal) in text
    assert not any(bad in url for url in fetcher.requested for bad in FORBIDDEN)


def test_statements_print_hostile_names_as_text_too(hostile_engine, artefacts):
    fetcher = SafeFetcher()
    path = artefacts / "capital-account-hostile.pdf"
    write_statement(
        statement_bundle(hostile_engine, AS_OF), "TIDE", path, "capital-account", fetcher=fetcher
    )
    assert squashed(LINK) in squashed(pdf_text(path))
    assert not any(bad in url for url in fetcher.requested for bad in FORBIDDEN)
