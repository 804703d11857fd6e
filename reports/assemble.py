"""Join rendered parts into one PDF: pages, page furniture, links, bookmarks, metadata.

pikepdf (qpdf) copies pages between PDFs and overlays one page on another in C++,
in well under a second for hundreds of pages, and keeps every object intact.
Positions arrive in CSS pixels from a page's top left (WeasyPrint's units);
PDF points are three quarters of a pixel, from the bottom left.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .furniture import stamp
from .parts import Bookmark, RenderedPart

_PT_PER_PX = 0.75


@dataclass(frozen=True)
class Metadata:
    title: str
    language: str = "en-GB"


@dataclass(frozen=True)
class _Placed:
    """A part's page offset in the whole document."""

    part: RenderedPart
    first_page: int


def _placed(parts: Sequence[RenderedPart]) -> list[_Placed]:
    placed, offset = [], 0
    for part in parts:
        placed.append(_Placed(part, offset))
        offset += part.pages
    return placed


def _anchors(placed: list[_Placed]) -> dict[str, tuple[int, float, float]]:
    """Each anchor's first place in the whole document: (page index, x, y)."""
    found: dict[str, tuple[int, float, float]] = {}
    for item in placed:
        for name, (page, x, y) in item.part.anchors.items():
            found.setdefault(name, (item.first_page + page, x, y))
    return found


def page_numbers(parts: Sequence[RenderedPart]) -> dict[str, int]:
    """Each anchor's page number (1-based) in the document the parts make, in order."""
    return {name: page + 1 for name, (page, _x, _y) in _anchors(_placed(parts)).items()}


def page_sizes(parts: Sequence[RenderedPart]) -> list[tuple[float, float]]:
    return [size for part in parts for size in part.sizes]


def assemble(
    parts: Sequence[RenderedPart],
    furniture: Sequence[RenderedPart],
    path: Path,
    metadata: Metadata,
    *,
    stamped: bool = False,
) -> None:
    """Write ``parts`` as one PDF to ``path`` with their furniture: stamped from
    ``furniture.furniture_parts`` laid out (``stamped``; raises ``CannotStamp``, nothing
    written, if it cannot be), or the ``furniture``'s page i (its runs of sheets in
    order) overlaid on page i."""
    total = sum(p.pages for p in parts)
    sheet_count = sum(f.pages for f in furniture)
    if not stamped and sheet_count != total:
        raise ValueError(f"page furniture has {sheet_count} pages for {total}")
    placed = _placed(parts)
    # Slices of one rendered PDF (units from the pack cache, or cut from one part) are
    # copied from one source, so qpdf copies the fonts and images they share once.
    sources: dict[bytes, pikepdf.Pdf] = {}
    try:
        for p in (*parts, *furniture):
            if p.pdf not in sources:
                sources[p.pdf] = pikepdf.open(io.BytesIO(p.pdf))
        pdf = pikepdf.new()
        for p in parts:
            pdf.pages.extend(sources[p.pdf].pages[p.first : p.first + p.pages])
        sizes = page_sizes(parts)
        if stamped:
            stamp(pdf, sizes, furniture, sources)
        else:
            sheets = [
                sheet
                for f in furniture
                for sheet in sources[f.pdf].pages[f.first : f.first + f.pages]
            ]
            for page, sheet in zip(pdf.pages, sheets, strict=True):
                page.add_overlay(sheet, pikepdf.Rectangle(page.mediabox))
        destinations = _destinations(pdf, placed, sizes)
        _add_links(pdf, placed, sizes, destinations)
        _add_outline(pdf, placed, sizes)
        _set_metadata(pdf, metadata)
        path.parent.mkdir(parents=True, exist_ok=True)
        # object streams compress the many small objects (fonts' width tables, links)
        pdf.save(path, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        for source in sources.values():
            source.close()


def _point(sizes: list[tuple[float, float]], page: int, x: float, y: float) -> tuple[float, float]:
    return x * _PT_PER_PX, (sizes[page][1] - y) * _PT_PER_PX


def _destinations(
    pdf: pikepdf.Pdf, placed: list[_Placed], sizes: list[tuple[float, float]]
) -> dict[str, pikepdf.Array]:
    """Every anchor as a named destination, which the parts' own link annotations use."""
    found = {
        name: pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, *_point(sizes, page, x, y), 0])
        for name, (page, x, y) in _anchors(placed).items()
    }
    tree = pikepdf.NameTree.new(pdf)
    for name in sorted(found):
        tree[name] = found[name]
    pdf.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
    return found


def _add_links(
    pdf: pikepdf.Pdf,
    placed: list[_Placed],
    sizes: list[tuple[float, float]],
    destinations: dict[str, pikepdf.Array],
) -> None:
    """The links a part could not resolve on its own (the contents' entries)."""
    for item in placed:
        for link in item.part.links:
            if link.target not in destinations:
                continue  # an anchor nowhere in the document: no link, as WeasyPrint does
            number = item.first_page + link.page
            x1, y1 = _point(sizes, number, link.rect[0], link.rect[3])
            x2, y2 = _point(sizes, number, link.rect[2], link.rect[1])
            annotation = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[x1, y1, x2, y2],
                    BS=pikepdf.Dictionary(W=0),
                    Dest=pikepdf.String(link.target),
                )
            )
            page = pdf.pages[number]
            if pikepdf.Name.Annots not in page.obj:
                page.obj.Annots = pdf.make_indirect(pikepdf.Array())
            page.obj.Annots.append(annotation)


def _add_outline(pdf: pikepdf.Pdf, placed: list[_Placed], sizes: list[tuple[float, float]]) -> None:
    """The bookmarks (the headings' outline) of all the parts, nested by level."""
    marks: list[tuple[int, Bookmark]] = [
        (item.first_page + b.page, b) for item in placed for b in item.part.bookmarks
    ]
    with pdf.open_outline() as outline:
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for number, mark in marks:
            left, top = _point(sizes, number, mark.x, mark.y)
            entry = pikepdf.OutlineItem(mark.label, number, "XYZ", left=left, top=top)
            while stack and stack[-1][0] >= mark.level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(entry)
            stack.append((mark.level, entry))


def _set_metadata(pdf: pikepdf.Pdf, metadata: Metadata) -> None:
    pdf.docinfo[pikepdf.Name.Title] = metadata.title
    pdf.docinfo[pikepdf.Name.Creator] = "passu"
    pdf.docinfo[pikepdf.Name.Producer] = f"WeasyPrint and pikepdf {pikepdf.__version__}"
    pdf.Root.Lang = pikepdf.String(metadata.language)
