"""The pack's furniture (running header, footer, "Page n of N"), laid out for a few pages
and stamped on all of them.

WeasyPrint takes about 5 ms to lay out a sheet of furniture (the page's and its margin
boxes' styles): 2.3 s of CPU for a 440-page pack, laid out afresh for every pack, with or
without the pack cache. Yet the sheets differ only in their page label. So three small
documents are laid out instead (:func:`furniture_parts`):

- the *sheets*, labels empty: the first page's (no header: report.css ``@page :first``),
  then one for each page size;
- the *label sheets*: for each page size, a sheet showing only the label of the first
  page of that size; it says where a label sits on such a page;
- the *labels*: every page's label, line after line, set as the margin box sets it
  (same font, size and colour, right-aligned).

:func:`stamp` then overlays on each page its sheet (one form XObject per sheet, shared)
and its label: the labels document's line for that page, moved by the shift that takes
the same text from the labels document to the label sheet. Right alignment is what
makes one shift per page size place every line: a line starts at the right edge less
its width in both documents. The glyphs are WeasyPrint's own (its shaping and font
subset), so the text reads as the sheets laid out page by page would; tests compare
the two, position by position. Where the labels cannot be read back as expected (one
run of text per line), :func:`stamp` says so and the caller lays out a sheet per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pikepdf

from .parts import Part, RenderedPart
from .render import render_html

Size = tuple[float, float]


def page_types(sizes: Sequence[Size]) -> dict[Size, str]:
    """A page type's name for each distinct page size, in order of first use."""
    names: dict[Size, str] = {}
    for size in sizes:
        names.setdefault(size, f"sheet{len(names)}")
    return names


def page_label(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def _sheets_html(
    sizes: Sequence[Size],
    sheets: list[tuple[str, str]],
    *,
    footer: str,
    illustrative: bool,
    labels_only: bool = False,
) -> str:
    types = page_types(sizes)
    return render_html(
        "furniture.html",
        page_types={name: size for size, name in types.items()},
        sheets=sheets,
        footer=footer,
        illustrative=illustrative,
        labels_only=labels_only,
    )


def furniture_parts(sizes: Sequence[Size], *, footer: str, illustrative: bool) -> list[Part]:
    """The sheets, the label sheets and the labels for pages of ``sizes``, to lay out
    (in any process) and pass to :func:`stamp` in this order."""
    types = page_types(sizes)
    total = len(sizes)
    first_of = {size: sizes.index(size) + 1 for size in types}
    sheets = [(types[sizes[0]], ""), *((name, "") for name in types.values())]
    marks = [(name, page_label(first_of[size], total)) for size, name in types.items()]
    labels = [page_label(number, total) for number in range(1, total + 1)]
    return [
        Part(
            _sheets_html(sizes, sheets, footer=footer, illustrative=illustrative),
            frozenset(),
            margin_boxes=True,
        ),
        Part(
            _sheets_html(sizes, marks, footer=footer, illustrative=illustrative, labels_only=True),
            frozenset(),
            margin_boxes=True,
        ),
        Part(render_html("page_labels.html", labels=labels), frozenset()),
    ]


def sheet_per_page(sizes: Sequence[Size], *, footer: str, illustrative: bool) -> Part:
    """The furniture as one sheet per page, labels and all: what :func:`stamp` replaces,
    for a pack whose labels cannot be stamped."""
    types = page_types(sizes)
    total = len(sizes)
    sheets = [(types[size], page_label(n, total)) for n, size in enumerate(sizes, start=1)]
    return Part(
        _sheets_html(sizes, sheets, footer=footer, illustrative=illustrative),
        frozenset(),
        margin_boxes=True,
    )


@dataclass(frozen=True)
class _Line:
    """One run of text as WeasyPrint draws it: the state it set up, its font, place, glyphs."""

    setup: list[pikepdf.ContentStreamInstruction]  # after the page's flip, up to BT
    font: list[Any]  # the Tf operands: name, size
    x: Decimal
    y: Decimal
    glyphs: pikepdf.ContentStreamInstruction  # the TJ
    page: int  # the page of its document it is on (whose resources it uses)


class CannotStamp(Exception):
    """The laid-out labels are not in the form :func:`stamp` reads (one run per line)."""


def _lines(page: pikepdf.Page, number: int = 0) -> list[_Line]:
    """Each run of text on ``page``, in order; :class:`CannotStamp` if any is not a plain
    ``Tm`` then ``TJ`` inside the page's y-flip and WeasyPrint's px-to-pt scale."""
    ops = pikepdf.parse_content_stream(page)
    if not ops or str(ops[0].operator) != "cm" or list(ops[0].operands)[:4] != [1, 0, 0, -1]:
        raise CannotStamp("the page does not start with the y-flip")
    setup: list[pikepdf.ContentStreamInstruction] = []
    lines: list[_Line] = []
    font: list[Any] | None = None
    place: tuple[Decimal, Decimal] | None = None
    in_text = False
    for op in ops[1:]:
        if not isinstance(op, pikepdf.ContentStreamInstruction):
            raise CannotStamp("an inline image among the labels")
        name = str(op.operator)
        if name == "BT":
            in_text = True
        elif name == "ET":
            in_text = False
        elif not in_text:
            setup.append(op)
        elif name == "Tf":
            font = list(op.operands)
        elif name == "Tm":
            a, b, c, d, e, f = (Decimal(str(v)) for v in op.operands)
            if (a, b, c, d) != (1, 0, 0, -1):
                raise CannotStamp("a label is scaled or turned")
            place = (e, f)
        elif name == "TJ":
            if font is None or place is None:
                raise CannotStamp("a run of text has no font or place")
            lines.append(_Line(list(setup), font, *place, op, number))
            place = None
        else:
            raise CannotStamp(f"unexpected {name} in the labels' text")
    return lines


def _only_line(page: pikepdf.Page) -> _Line:
    lines = _lines(page)
    if len(lines) != 1:
        raise CannotStamp(f"a label sheet has {len(lines)} runs of text, not one")
    return lines[0]


def _label_stream(line: _Line, dx: Decimal, mark: _Line, height: float) -> bytes:
    """A label's content: the labels document's set-up, glyphs and font, at the place the
    label sheet gives it (``dx`` across; the sheet's baseline)."""
    balance = sum(1 for op in line.setup if str(op.operator) == "q") - sum(
        1 for op in line.setup if str(op.operator) == "Q"
    )
    ops = [
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("q")),
        pikepdf.ContentStreamInstruction(
            [1, 0, 0, -1, 0, Decimal(str(height))], pikepdf.Operator("cm")
        ),
        *line.setup,
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("BT")),
        pikepdf.ContentStreamInstruction(line.font, pikepdf.Operator("Tf")),
        pikepdf.ContentStreamInstruction(
            [1, 0, 0, -1, line.x + dx, mark.y], pikepdf.Operator("Tm")
        ),
        line.glyphs,
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("ET")),
        *(pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")) for _ in range(balance)),
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")),
    ]
    return pikepdf.unparse_content_stream(ops)


def stamp(
    pdf: pikepdf.Pdf,
    sizes: Sequence[Size],
    rendered: Sequence[RenderedPart],
    sources: dict[bytes, pikepdf.Pdf],
) -> None:
    """Overlay on ``pdf``'s pages their furniture from :func:`furniture_parts`'s three
    parts, laid out (``sources``: each part's PDF, opened). Raises :class:`CannotStamp`,
    having changed nothing, if the labels are not in the form it reads."""
    sheets_part, marks_part, labels_part = rendered
    types = page_types(sizes)
    order = list(types)
    sheets = sources[sheets_part.pdf].pages
    marks = sources[marks_part.pdf].pages
    label_pages = sources[labels_part.pdf].pages
    labels = [line for n, page in enumerate(label_pages) for line in _lines(page, n)]
    if len(labels) != len(sizes):
        raise CannotStamp(f"{len(labels)} labels laid out for {len(sizes)} pages")
    first_of = {size: sizes.index(size) for size in types}
    shifts: dict[Size, tuple[_Line, Decimal]] = {}
    for k, size in enumerate(order):
        mark = _only_line(marks[k])
        reference = labels[first_of[size]]
        if len(mark.glyphs.operands[0]) != len(reference.glyphs.operands[0]):
            raise CannotStamp("a label sheet's text is not its line's")
        shifts[size] = (mark, mark.x - reference.x)
    # Everything read: now change the pages.
    forms = [pdf.copy_foreign(page.as_form_xobject()) for page in sheets]
    resources = [pdf.copy_foreign(_indirect(page.obj.Resources)) for page in label_pages]
    for number, (page, size) in enumerate(zip(pdf.pages, sizes, strict=True)):
        box = pikepdf.Rectangle(page.mediabox)
        sheet = forms[0] if number == 0 else forms[1 + order.index(size)]
        page.add_overlay(sheet, box)
        line = labels[number]
        mark, dx = shifts[size]
        form = pdf.make_stream(
            _label_stream(line, dx, mark, float(box.height)),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=[0, 0, box.width, box.height],
            Resources=resources[line.page],
        )
        page.add_overlay(form, box)


def _indirect(obj: pikepdf.Object) -> pikepdf.Object:
    """``obj`` as an indirect object of its PDF (qpdf copies only those between PDFs)."""
    if not obj.is_indirect:
        raise CannotStamp("the labels' resources are not an indirect object")
    return obj
