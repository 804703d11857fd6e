"""The furniture stamped on every page reads and sits as a sheet laid out per page would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from passu.portfolio.reporting import committee_bundle
from passu.reports import furniture
from passu.reports.assemble import Metadata, assemble
from passu.reports.committee import build_committee_pack, render_committee_pack
from passu.reports.furniture import CannotStamp, furniture_parts, sheet_per_page
from passu.reports.parts import Part, RenderedPart, render_part

from .builders import AS_OF

FOOTER = "passu · Fund One · as of 30 November 2026 · run 7"


def _body(landscape: list[bool]) -> tuple[RenderedPart, list[tuple[float, float]]]:
    """A page of text for each entry, A4 landscape where it is true, and the pages' sizes."""
    sections = "".join(
        f'<section style="break-before: page" class="{"landscape" if wide else ""}">'
        f"<p>body page {number}</p></section>"
        for number, wide in enumerate(landscape, start=1)
    )
    body = render_part(Part(sections, frozenset()))
    assert [w > h for w, h in body.sizes] == landscape
    return body, list(body.sizes)


def _runs(path: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's runs of text and where each starts on the page, in points."""
    pages = []
    for page in PdfReader(path).pages:
        found: list[tuple[str, float, float]] = []

        def visit(
            text: str, cm: Any, tm: Any, _font: Any, _size: Any, found: list[Any] = found
        ) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((text.strip(), round(x, 2), round(y, 2)))

        page.extract_text(visitor_text=visit)
        pages.append(sorted(found))
    return pages


@pytest.mark.parametrize("illustrative", [False, True])
def test_stamped_furniture_is_the_sheets_laid_out_page_by_page(tmp_path, illustrative):
    # portrait and landscape pages, page 1 without a header, labels of one to three digits
    body, sizes = _body([False] * 4 + [True] * 3 + [False] * 95 + [True] * 2)
    text = {"footer": FOOTER, "illustrative": illustrative}
    stamped, sheets = tmp_path / "stamped.pdf", tmp_path / "sheets.pdf"
    laid_out = [render_part(part) for part in furniture_parts(sizes, **text)]
    assert [p.pages for p in laid_out[:2]] == [3, 2]  # not a sheet a page
    assemble([body], laid_out, stamped, Metadata("t"), stamped=True)
    assemble([body], [render_part(sheet_per_page(sizes, **text))], sheets, Metadata("t"))

    runs = _runs(stamped)
    assert runs == _runs(sheets)
    assert len(runs) == len(sizes)
    for number, page in enumerate(runs, start=1):
        labels = [r for r in page if r[0].startswith("Page ")]
        assert [label[0] for label in labels] == [f"Page {number} of {len(sizes)}"]
        assert (number > 1) == any(r[0] == "CONFIDENTIAL" for r in page)
        assert (illustrative and number > 1) == any(r[0] == "Illustrative data" for r in page)
    # right-aligned: "Page 9" and "Page 10" end where the other does, start apart
    nine, ten = (next(r for r in runs[n] if r[0].startswith("Page ")) for n in (8, 9))
    assert ten[1] < nine[1] and ten[2] == nine[2]
    with pikepdf.open(stamped) as pdf:
        assert [float(p.mediabox[2]) > float(p.mediabox[3]) for p in pdf.pages][3:8] == [
            False,
            True,
            True,
            True,
            False,
        ]


def test_labels_that_cannot_be_read_back_refuse_and_change_nothing(tmp_path):
    body, sizes = _body([False] * 3)
    laid_out = [
        render_part(part) for part in furniture_parts(sizes, footer=FOOTER, illustrative=False)
    ]
    short = [
        laid_out[0],
        laid_out[1],
        render_part(furniture_parts(sizes[:2], footer=FOOTER, illustrative=False)[2]),
    ]
    path = tmp_path / "pack.pdf"
    with pytest.raises(CannotStamp, match="2 labels laid out for 3 pages"):
        assemble([body], short, path, Metadata("t"), stamped=True)
    assert not path.exists()


def test_a_pack_whose_labels_cannot_be_stamped_lays_out_a_sheet_a_page(
    sample_engine, tmp_path, monkeypatch
):
    def refuse(*_args: object) -> None:
        raise CannotStamp("as if WeasyPrint drew its text otherwise")

    monkeypatch.setattr(furniture, "_lines", refuse)
    pack = build_committee_pack(committee_bundle(sample_engine, AS_OF, "SOF1"))
    path = tmp_path / "pack.pdf"
    render_committee_pack(pack, path, jobs=1)
    pages = [page.extract_text() for page in PdfReader(path).pages]
    assert len(pages) > 15
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "CONFIDENTIAL" in text or number == 1
