"""Long text cannot break the pack: an unbroken 5,000-character name keeps the figures
on the page, and renders about as fast as an ordinary name (issue 17, item 10)."""

from __future__ import annotations

import dataclasses

import weasyprint
from markupsafe import Markup

from passu.reports.model import Table
from passu.reports.render import (
    CELL_WORD_AT_MOST,
    ELLIPSIS,
    WORD_AT_MOST,
    SafeFetcher,
    base_url,
    fit,
    report_css,
    template_macros,
)

LONG = "Careleaverspartnership" * 228  # 5,016 characters without a break


def _boxes(box: object) -> list[object]:
    found = [box]
    for child in getattr(box, "children", ()):
        found += _boxes(child)
    return found


def _portfolio_page(table: Table) -> tuple[float, list[tuple[str, float]]]:
    """The landscape portfolio page's content right edge and each text's right edge (px)."""
    macros = template_macros("_macros.html")
    html = (
        '<section class="section landscape" id="portfolio"><h1>Portfolio</h1>'
        f"{macros.table(table, 'portfolio')}</section>"
    )
    fetcher = SafeFetcher()
    document = weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render(
        stylesheets=[report_css(fetcher)]
    )
    page = document.pages[0]._page_box
    right = page.content_box_x() + page.width
    texts = [
        (b.text, b.position_x + b.width)
        for p in document.pages
        for b in _boxes(p._page_box)
        if isinstance(b, weasyprint.formatting_structure.boxes.TextBox)
    ]
    return right, texts


def test_an_unbroken_long_name_keeps_the_figure_columns_on_the_page(all_pack):
    pack, _path = all_pack
    table = pack.portfolio
    first = (LONG, *table.rows[0][1:])
    long_table = dataclasses.replace(table, rows=(first, *table.rows[1:]))
    right, texts = _portfolio_page(long_table)
    beyond = [(text[:20], edge) for text, edge in texts if edge > right + 0.5]
    assert not beyond, f"text past the page's right edge at {right:.0f} px: {beyond[:3]}"
    # every figure of the long name's row is there, on the page
    shown = {text for text, _edge in texts}
    assert all(cell in shown for cell in first[1:] if cell and " " not in cell)
    # the name shows shortened: its first forty characters, then "…" (the run keeps it all)
    joined = "".join(text for text, _edge in texts)
    assert LONG[: CELL_WORD_AT_MOST - 1] + ELLIPSIS in joined


def test_fit_shortens_long_words_and_long_text_but_leaves_markup_alone():
    assert fit("Care leavers partnership") == "Care leavers partnership"
    assert fit("x" * 5_000) == "x" * (WORD_AT_MOST - 1) + ELLIPSIS
    url = "https://example.org/" + "a" * 60  # a long web address, kept whole
    assert fit(url) == url
    assert len(fit("word " * 1_000)) == 1_000
    assert fit("word " * 200, 50).endswith(ELLIPSIS)
    markup = Markup("<td>" + "x" * 500 + "</td>")
    assert fit(markup) is markup
    assert fit(None) is None
